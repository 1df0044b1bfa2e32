package com.helpdeskconnect.creatio;

import static org.assertj.core.api.Assertions.assertThat;

import com.helpdeskconnect.api.Integration;
import com.helpdeskconnect.api.cases.Activity;
import com.helpdeskconnect.api.cases.CaseDraft;
import com.helpdeskconnect.api.cases.CaseRef;
import com.helpdeskconnect.api.cases.Customer;
import com.helpdeskconnect.api.cases.Direction;
import com.helpdeskconnect.api.cases.FieldValues;
import com.helpdeskconnect.api.cases.Handoff;
import com.helpdeskconnect.api.cases.Resolution;
import com.helpdeskconnect.sandbox.CreatioSandbox;
import com.helpdeskconnect.sandbox.CreatioSandboxExtension;
import com.helpdeskconnect.sandbox.model.EdmType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Round trips for one scripted conversation (message, AI reply, handoff with summary, owner and
 * three fields, resolve) once the token, lookups and $metadata are cached. The figures are in the README.
 */
class RequestsPerConversationTest {
    private static final String SUPERVISOR = "410006e1-ca4e-4502-a9ec-e54d922d2c00";

    @RegisterExtension
    CreatioSandboxExtension creatio = new CreatioSandboxExtension(b -> b.customColumn("Case", "UsrSentiment", EdmType.STRING));

    @Test
    void aConversationCostsFewRoundTripsOnceCachesAreWarm(CreatioSandbox sandbox) {
        CreatioConnector connector = new CreatioConnector();
        Map<String, Object> raw = Integrations.settingsFor(sandbox);
        raw.put("fieldMap", Map.of("sentiment", "UsrSentiment"));
        Integration integration = Integrations.of(raw);
        converse(connector, integration, "warm-up@example.com");

        long before = connector.session(integration).odata().requestCount();
        converse(connector, integration, "new-customer@example.com");
        long newCustomer = connector.session(integration).odata().requestCount() - before;

        before = connector.session(integration).odata().requestCount();
        converse(connector, integration, "new-customer@example.com");
        long knownCustomer = connector.session(integration).odata().requestCount() - before;

        System.out.printf("Creatio requests per conversation: new customer %d, known customer %d%n", newCustomer, knownCustomer);
        assertThat(newCustomer).isLessThanOrEqualTo(5);
        assertThat(knownCustomer).isLessThanOrEqualTo(4);
        assertThat(connector.session(integration).tokens().fetchCount()).isEqualTo(1);
        connector.close();
    }

    private static void converse(CreatioConnector connector, Integration integration, String email) {
        // the host opens the case with the message that started the conversation
        CaseRef ref = connector.createCaseWithActivities(integration, CaseDraft.of("conv-" + UUID.randomUUID(),
                "Parcel missing", "Where is my parcel?", new Customer("Ada", email, null)),
                List.of(new Activity("m1", Direction.CUSTOMER, "Ada", "Where is my parcel?", Instant.now())));
        connector.appendActivity(integration, ref, new Activity("m2", Direction.AI, "", "Let me check.", Instant.now()));
        connector.handOff(integration, ref, new Handoff(new Activity("m3", Direction.SYSTEM, "", "Summary: parcel lost", Instant.now()),
                SUPERVISOR, null, FieldValues.of(Map.of("priority", "High", "category", "Incident", "sentiment", "upset"))));
        connector.resolve(integration, ref, Resolution.of("Refunded"));
    }
}
