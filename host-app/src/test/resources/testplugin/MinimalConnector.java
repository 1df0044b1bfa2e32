package test.minimal;

import com.helpdeskconnect.api.Capability;
import com.helpdeskconnect.api.ConnectorDescriptor;
import com.helpdeskconnect.api.HelpdeskConnection;
import com.helpdeskconnect.api.HelpdeskConnector;
import com.helpdeskconnect.api.IntegrationContext;
import com.helpdeskconnect.api.OperationContext;
import com.helpdeskconnect.api.VerificationResult;
import com.helpdeskconnect.api.cases.Activity;
import com.helpdeskconnect.api.cases.CaseDraft;
import com.helpdeskconnect.api.cases.CaseRef;
import com.helpdeskconnect.api.errors.TransientException;
import com.helpdeskconnect.api.settings.Setting;
import jakarta.validation.constraints.NotBlank;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import org.pf4j.Extension;

/**
 * The least a connector can be: it opens cases (with their first messages) and nothing else. Every
 * optional operation keeps the SPI's default, which throws: the host must never call one.
 */
@Extension
public class MinimalConnector implements HelpdeskConnector {

    public record MinimalSettings(@Setting(label = "Journal file") @NotBlank String journal) {}

    @Override
    public ConnectorDescriptor describe() {
        return ConnectorDescriptor.of("minimal", "Minimal desk", "1.0.0", "Opens cases, nothing else",
                MinimalSettings.class, EnumSet.of(Capability.CREATE_CASE));
    }

    @Override
    public HelpdeskConnection open(IntegrationContext context) {
        Path journal = Path.of(context.settings(MinimalSettings.class).journal());
        return new HelpdeskConnection() {
            @Override
            public VerificationResult verify() {
                return VerificationResult.success();
            }

            @Override
            public CaseRef createCase(OperationContext op, CaseDraft draft, List<Activity> firstActivities) {
                synchronized (MinimalConnector.class) {
                    try {
                        List<String> lines = Files.exists(journal) ? Files.readAllLines(journal) : List.of();
                        String id = "min-" + draft.conversationId();
                        if (lines.stream().noneMatch(l -> l.startsWith("CASE " + draft.conversationId() + " "))) {
                            StringBuilder write = new StringBuilder("CASE " + draft.conversationId() + " " + id + " "
                                    + enc(String.valueOf(draft.ownerId())) + " " + enc(draft.description()) + "\n");
                            for (Activity a : firstActivities) {
                                write.append("ACTIVITY ").append(id).append(' ').append(a.externalId()).append('\n');
                            }
                            Files.writeString(journal, write, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                                    StandardOpenOption.APPEND, StandardOpenOption.WRITE);
                        }
                        return new CaseRef(id, id.toUpperCase(), null);
                    } catch (IOException e) {
                        throw new TransientException("journal not writable", e);
                    }
                }
            }
        };
    }

    private static String enc(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
