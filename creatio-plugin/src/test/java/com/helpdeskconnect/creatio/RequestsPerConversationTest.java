package com.helpdeskconnect.creatio;

import static com.helpdeskconnect.creatio.Integrations.op;
import static org.assertj.core.api.Assertions.assertThat;

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
import com.helpdeskconnect.sandbox.model.StandardRows;
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
    @RegisterExtension
    CreatioSandboxExtension creatio = new CreatioSandboxExtension(b -> b.customColumn("Case", "UsrSentiment", EdmType.STRING));

    @Test
    void aConversationCostsFewRoundTripsOnceCachesAreWarm(CreatioSandbox sandbox) {
        CreatioConnector connector = new CreatioConnector();
        Map<String, Object> raw = Integrations.settingsFor(sandbox);
        raw.put("fieldMap", Map.of("sentiment", "UsrSentiment"));
        CreatioConnection connection = Integrations.open(connector, raw);
        converse(connection, "warm-up@example.com");

        long before = connection.odata().requestCount();
        converse(connection, "new-customer@example.com");
        long newCustomer = connection.odata().requestCount() - before;

        before = connection.odata().requestCount();
        converse(connection, "new-customer@example.com");
        long knownCustomer = connection.odata().requestCount() - before;

        System.out.printf("Creatio requests per conversation: new customer %d, known customer %d%n", newCustomer, knownCustomer);
        assertThat(newCustomer).isLessThanOrEqualTo(5);
        assertThat(knownCustomer).isLessThanOrEqualTo(4);
        assertThat(connection.tokens().fetchCount()).isEqualTo(1);
        connector.close();
    }

    /** Customer messages (which read the case's status for reopening) and messages due together cost one request. */
    @Test
    void eachAppendIsOneRequestEvenWithTheReopenCheck(CreatioSandbox sandbox) {
        CreatioConnector connector = new CreatioConnector();
        CreatioConnection connection = Integrations.open(connector, sandbox);
        CaseRef ref = connection.createCase(op(), CaseDraft.of("conv-" + UUID.randomUUID(), "Counting", "",
                Customer.anonymous()), List.of());
        connection.statuses(null);

        long before = connection.odata().requestCount();
        connection.appendActivity(op(), ref, message("c1", Direction.CUSTOMER, "Still there?"));
        connection.appendActivity(op(), ref, message("a1", Direction.AI, "Yes."));
        connection.appendActivities(op(), ref, List.of(message("c2", Direction.CUSTOMER, "One"),
                message("c3", Direction.CUSTOMER, "Two"), message("a2", Direction.AI, "Three")));
        long spent = connection.odata().requestCount() - before;

        System.out.printf("Creatio requests for 2 single appends and 1 append of 3 messages: %d%n", spent);
        assertThat(spent).isEqualTo(3);
        assertThat(sandbox.inspect().findCase(ref.id()).orElseThrow().activities()).hasSize(5);
        connector.close();
    }

    private static Activity message(String id, Direction direction, String text) {
        return new Activity(id, direction, "", text, Instant.now());
    }

    private static void converse(CreatioConnection connection, String email) {
        // the host opens the case with the message that started the conversation
        CaseRef ref = connection.createCase(op(), CaseDraft.of("conv-" + UUID.randomUUID(),
                "Parcel missing", "Where is my parcel?", new Customer("Ada", email, null)),
                List.of(new Activity("m1", Direction.CUSTOMER, "Ada", "Where is my parcel?", Instant.now())));
        connection.appendActivity(op(), ref, new Activity("m2", Direction.AI, "", "Let me check.", Instant.now()));
        connection.handOff(op(), ref, new Handoff(new Activity("m3", Direction.SYSTEM, "", "Summary: parcel lost", Instant.now()),
                StandardRows.CONTACT_SUPERVISOR, null,
                FieldValues.of(Map.of("priority", "High", "category", "Incident", "sentiment", "upset"))));
        connection.resolve(op(), ref, Resolution.of("Refunded"));
    }
}
