package test.fakedesk;

import com.helpdeskconnect.api.Capability;
import com.helpdeskconnect.api.ConnectorDescriptor;
import com.helpdeskconnect.api.HelpdeskConnector;
import com.helpdeskconnect.api.Integration;
import com.helpdeskconnect.api.VerificationResult;
import com.helpdeskconnect.api.cases.Activity;
import com.helpdeskconnect.api.cases.ActivityRef;
import com.helpdeskconnect.api.cases.CaseDraft;
import com.helpdeskconnect.api.cases.CaseRef;
import com.helpdeskconnect.api.cases.FieldDescriptor;
import com.helpdeskconnect.api.cases.FieldType;
import com.helpdeskconnect.api.cases.FieldValues;
import com.helpdeskconnect.api.cases.FillResult;
import com.helpdeskconnect.api.cases.Resolution;
import com.helpdeskconnect.api.errors.ErrorKind;
import com.helpdeskconnect.api.errors.PermanentException;
import com.helpdeskconnect.api.errors.RateLimitedException;
import com.helpdeskconnect.api.errors.TransientException;
import com.helpdeskconnect.api.errors.WebhookAuthenticationException;
import com.helpdeskconnect.api.settings.Secret;
import com.helpdeskconnect.api.settings.Setting;
import com.helpdeskconnect.api.webhook.AgentReplied;
import com.helpdeskconnect.api.webhook.HelpdeskEvent;
import com.helpdeskconnect.api.webhook.WebhookRequest;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.pf4j.Extension;

/**
 * A helpdesk double compiled by the host's tests into a plugin jar. It keeps its "helpdesk" in a
 * journal file (one line per write), honours the SPI idempotency keys by reading that journal,
 * and can be told through its settings to fail or to be slow.
 */
@Extension
public class FakeDeskConnector implements HelpdeskConnector {

    public record FakeSettings(
            @Setting(label = "Journal file") @NotBlank String journal,
            @Setting(label = "Password") @NotNull Secret password,
            @Setting(label = "Create case only on handoff") boolean createCaseOnlyOnHandoff,
            @Setting(label = "Fail the first N writes") int failFirst,
            @Setting(label = "Failure kind", defaultValue = "TRANSIENT") String failKind,
            @Setting(label = "Delay per write in ms") int delayMs,
            @Setting(label = "Webhook secret") Secret webhookSecret) {}

    private static final Object JOURNAL_LOCK = new Object();
    private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();

    @Override
    public ConnectorDescriptor describe() {
        return ConnectorDescriptor.of("CONNECTOR_ID", "Fake Desk CONNECTOR_ID", "PLUGIN_VERSION",
                "jackson visible: " + visible("com.fasterxml.jackson.databind.ObjectMapper"),
                FakeSettings.class, EnumSet.allOf(Capability.class));
    }

    private static boolean visible(String className) {
        try {
            Class.forName(className, false, FakeDeskConnector.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    @Override
    public VerificationResult verify(Integration integration) {
        FakeSettings s = integration.settings(FakeSettings.class);
        if (!s.password().matches("good")) {
            return VerificationResult.failure(ErrorKind.INVALID_CREDENTIALS, "Invalid credentials", "password");
        }
        return VerificationResult.success();
    }

    @Override
    public CaseRef createCase(Integration integration, CaseDraft draft) {
        FakeSettings s = write(integration);
        synchronized (JOURNAL_LOCK) {
            for (String[] line : read(s)) {
                if (line[0].equals("CASE") && line[1].equals(draft.conversationId())) {
                    return ref(line[2]);
                }
            }
            long n = read(s).stream().filter(l -> l[0].equals("CASE")).count() + 1;
            String id = "case-" + n;
            append(s, "CASE", draft.conversationId(), id, enc(draft.subject()), enc(draft.description()),
                    enc(String.valueOf(draft.customer().email())), enc(String.valueOf(draft.ownerId())));
            return ref(id);
        }
    }

    @Override
    public ActivityRef appendActivity(Integration integration, CaseRef caseRef, Activity activity) {
        FakeSettings s = write(integration);
        synchronized (JOURNAL_LOCK) {
            for (String[] line : read(s)) {
                if (line[0].equals("ACTIVITY") && line[1].equals(caseRef.id()) && line[2].equals(activity.externalId())) {
                    return new ActivityRef(activity.externalId());
                }
            }
            append(s, "ACTIVITY", caseRef.id(), activity.externalId(), activity.direction().name(), enc(activity.text()));
            return new ActivityRef(activity.externalId());
        }
    }

    @Override
    public void resolve(Integration integration, CaseRef caseRef, Resolution resolution) {
        FakeSettings s = write(integration);
        synchronized (JOURNAL_LOCK) {
            for (String[] line : read(s)) {
                if (line[0].equals("RESOLVE") && line[1].equals(caseRef.id())) {
                    return;
                }
            }
            append(s, "RESOLVE", caseRef.id(), enc(resolution.solution()));
        }
    }

    @Override
    public List<FieldDescriptor> describeFields(Integration integration) {
        boolean tccl = Thread.currentThread().getContextClassLoader() == getClass().getClassLoader();
        return List.of(
                new FieldDescriptor("priority", "Priority", FieldType.LOOKUP, List.of("Low", "Medium", "High"), "tccl=" + tccl),
                new FieldDescriptor("category", "Category", FieldType.TEXT, List.of(), ""));
    }

    @Override
    public FillResult fillFields(Integration integration, CaseRef caseRef, FieldValues values) {
        FakeSettings s = write(integration);
        Set<String> applied = new HashSet<>();
        Map<String, String> rejected = new HashMap<>();
        values.values().forEach((k, v) -> {
            if (k.equals("priority") && !List.of("Low", "Medium", "High").contains(String.valueOf(v))) {
                rejected.put(k, "is not one of Low, Medium, High");
            } else if (k.equals("priority") || k.equals("category")) {
                applied.add(k);
            } else {
                rejected.put(k, "is not a field of this helpdesk");
            }
        });
        synchronized (JOURNAL_LOCK) {
            for (String k : applied) {
                append(s, "FIELD", caseRef.id(), k, enc(String.valueOf(values.values().get(k))));
            }
        }
        return new FillResult(applied, rejected);
    }

    @Override
    public List<HelpdeskEvent> onWebhook(Integration integration, WebhookRequest request) {
        FakeSettings s = integration.settings(FakeSettings.class);
        if (s.webhookSecret() == null || !s.webhookSecret().matches(request.header("X-Webhook-Secret").orElse(null))) {
            throw new WebhookAuthenticationException("Webhook secret does not match");
        }
        String[] parts = request.bodyText().split(":", 3);
        if (parts.length < 3) {
            throw new PermanentException("Malformed webhook body");
        }
        return List.of(new AgentReplied("reply-" + parts[1] + "-" + parts[2].hashCode(), ref(parts[1]), "agent", parts[2], Instant.now()));
    }

    private FakeSettings write(Integration integration) {
        FakeSettings s = integration.settings(FakeSettings.class);
        if (s.delayMs() > 0) {
            try {
                Thread.sleep(s.delayMs());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TransientException("interrupted");
            }
        }
        AtomicInteger failed = failures.computeIfAbsent(integration.id(), k -> new AtomicInteger());
        if (failed.get() < s.failFirst()) {
            failed.incrementAndGet();
            switch (String.valueOf(s.failKind())) {
                case "RATE_LIMITED": throw new RateLimitedException("Too many requests", Duration.ofMillis(300));
                case "PERMANENT": throw new PermanentException("Case type is not allowed");
                default: throw new TransientException("Helpdesk answered 503");
            }
        }
        return s;
    }

    private static CaseRef ref(String id) {
        return new CaseRef(id, id.toUpperCase(), URI.create("https://fake.example/cases/" + id));
    }

    private static String enc(String text) {
        return Base64.getEncoder().encodeToString(String.valueOf(text).getBytes(StandardCharsets.UTF_8));
    }

    private static List<String[]> read(FakeSettings s) {
        Path path = Path.of(s.journal());
        try {
            List<String[]> lines = new ArrayList<>();
            if (Files.exists(path)) {
                for (String line : Files.readAllLines(path)) {
                    if (!line.isBlank()) {
                        lines.add(line.split(" "));
                    }
                }
            }
            return lines;
        } catch (IOException e) {
            throw new TransientException("journal unreadable", e);
        }
    }

    private static void append(FakeSettings s, String... fields) {
        try {
            Files.writeString(Path.of(s.journal()), String.join(" ", fields) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new TransientException("journal not writable", e);
        }
    }
}
