package test.noop;

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
import com.helpdeskconnect.api.cases.FieldDescriptor;
import com.helpdeskconnect.api.cases.FieldValues;
import com.helpdeskconnect.api.cases.FillResult;
import com.helpdeskconnect.api.cases.Handoff;
import com.helpdeskconnect.api.cases.Resolution;
import com.helpdeskconnect.api.errors.TransientException;
import com.helpdeskconnect.api.errors.WebhookAuthenticationException;
import com.helpdeskconnect.api.settings.Setting;
import com.helpdeskconnect.api.webhook.HelpdeskEvent;
import com.helpdeskconnect.api.webhook.WebhookRequest;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;

/**
 * A connector with no helpdesk behind it, for the benchmark's no-op mode (bench/run.sh --connector noop):
 * every call answers at once (after an optional delay), so what is measured is the host's own work. It
 * declares every capability, as the Creatio connector does, so the host runs every step of a
 * conversation. The case id is derived from the conversation, which keeps a repeated createCase idempotent
 * without any state.
 */
@Extension
public class NoopConnector implements HelpdeskConnector {

    public record NoopSettings(
            @Setting(label = "Delay per call in ms", help = "Stands in for a helpdesk's latency") int delayMs) {}

    @Override
    public ConnectorDescriptor describe() {
        return ConnectorDescriptor.of("noop", "No-op desk", "PLUGIN_VERSION", "Answers every call at once; writes nothing",
                NoopSettings.class, EnumSet.allOf(Capability.class));
    }

    @Override
    public HelpdeskConnection open(IntegrationContext context) {
        int delayMs = context.settings(NoopSettings.class).delayMs();
        return new HelpdeskConnection() {
            @Override
            public VerificationResult verify() {
                return VerificationResult.success();
            }

            @Override
            public CaseRef createCase(OperationContext op, CaseDraft draft, List<Activity> firstActivities) {
                pause(delayMs);
                String id = "noop-" + draft.conversationId();
                return new CaseRef(id, id, null);
            }

            @Override
            public CaseRef appendActivity(OperationContext op, CaseRef caseRef, Activity activity) {
                pause(delayMs);
                return caseRef;
            }

            @Override
            public CaseRef appendActivities(OperationContext op, CaseRef caseRef, List<Activity> activities) {
                pause(delayMs);
                return caseRef;
            }

            @Override
            public FillResult handOff(OperationContext op, CaseRef caseRef, Handoff handoff) {
                pause(delayMs);
                return new FillResult(handoff.fields().values().keySet(), Map.of());
            }

            @Override
            public void resolve(OperationContext op, CaseRef caseRef, Resolution resolution) {
                pause(delayMs);
            }

            @Override
            public List<FieldDescriptor> describeFields() {
                return List.of();
            }

            @Override
            public FillResult fillFields(OperationContext op, CaseRef caseRef, FieldValues values) {
                pause(delayMs);
                return new FillResult(values.values().keySet(), Map.of());
            }

            @Override
            public void authenticateWebhook(WebhookRequest request) {
                throw new WebhookAuthenticationException("The no-op desk sends no webhooks");
            }

            @Override
            public List<HelpdeskEvent> onWebhook(OperationContext op, WebhookRequest request) {
                return List.of();
            }
        };
    }

    private static void pause(int ms) {
        if (ms <= 0) {
            return;
        }
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientException("interrupted", e);
        }
    }
}
