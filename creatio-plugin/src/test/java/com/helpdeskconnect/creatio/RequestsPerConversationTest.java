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
import com.helpdeskconnect.api.cases.HandoffResult;
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
 * three fields, resolve) once the token, lookups and $metadata are cached, as the host sends it: the
 * AI reply and the handoff right behind it due together (one appendAndHandOff), or apart (the reply
 * synced before the handoff arrived). The figures are in the README.
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
        converse(connection, "warm-up@example.com", true);

        long newCustomer = requests(connection, () -> converse(connection, "new-customer@example.com", true));
        long knownCustomer = requests(connection, () -> converse(connection, "new-customer@example.com", true));
        long newApart = requests(connection, () -> converse(connection, "another-customer@example.com", false));
        long knownApart = requests(connection, () -> converse(connection, "another-customer@example.com", false));

        System.out.printf("Creatio requests per conversation: reply and handoff due together: new customer %d, "
                + "known customer %d; apart: new customer %d, known customer %d%n", newCustomer, knownCustomer, newApart,
                knownApart);
        // GET Contact, $batch (contact + case + first message), $batch (AI reply + summary + case update), PATCH Case
        assertThat(newCustomer).isEqualTo(4);
        assertThat(knownCustomer).isEqualTo(3);
        // the reply alone is one more: POST Activity
        assertThat(newApart).isEqualTo(5);
        assertThat(knownApart).isEqualTo(4);
        assertThat(connection.tokens().fetchCount()).isEqualTo(1);
        connector.close();
    }

    /** The reply and the summary land in the order said, the reply in the message history, the summary a note. */
    @Test
    void theReplyDueWithTheHandoffLandsBeforeTheSummaryInTheSameBatch(CreatioSandbox sandbox) {
        CreatioConnector connector = new CreatioConnector();
        CreatioConnection connection = Integrations.open(connector, sandbox);
        CaseRef ref = connection.createCase(op(), CaseDraft.of("conv-" + UUID.randomUUID(), "Together", "",
                Customer.anonymous()), List.of(message("c1", Direction.CUSTOMER, "Where is my parcel?")));
        int batches = sandbox.inspect().requestCount("POST", "/0/odata/$batch");
        Handoff handoff = new Handoff(new Activity("h1", Direction.SYSTEM, "", "Summary: parcel lost", Instant.now().plusSeconds(2)),
                StandardRows.CONTACT_SUPERVISOR, null, FieldValues.of(Map.of("priority", "High")));
        List<Activity> reply = List.of(message("a1", Direction.AI, "Let me hand you to a colleague."));

        HandoffResult result = connection.appendAndHandOff(op(), ref, reply, handoff);
        connection.appendAndHandOff(op().retry(), ref, reply, handoff);

        assertThat(result.caseRef()).isEqualTo(ref);
        assertThat(result.fields().applied()).containsExactly("priority");
        assertThat(sandbox.inspect().requestCount("POST", "/0/odata/$batch")).as("one $batch per call").isEqualTo(batches + 2);
        List<Map<String, Object>> activities = sandbox.inspect().findCase(ref.id()).orElseThrow().activities();
        assertThat(activities).extracting(a -> a.get("Body"))
                .containsExactly("Where is my parcel?", "Let me hand you to a colleague.", "Summary: parcel lost");
        assertThat(activities.get(1).get("TypeId")).as("the reply: an email in the message history")
                .isEqualTo(StandardRows.ACTIVITY_TYPE_EMAIL);
        assertThat(activities.get(2).get("TypeId")).as("the summary: a task").isEqualTo(StandardRows.ACTIVITY_TYPE_TASK);
        assertThat(String.valueOf(sandbox.inspect().findCase(ref.id()).orElseThrow().fields().get("OwnerId")))
                .isEqualTo(StandardRows.CONTACT_SUPERVISOR);
        connector.close();
    }

    private static long requests(CreatioConnection connection, Runnable conversation) {
        long before = connection.odata().requestCount();
        conversation.run();
        return connection.odata().requestCount() - before;
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

    private static void converse(CreatioConnection connection, String email, boolean replyDueWithHandoff) {
        // the host opens the case with the message that started the conversation
        CaseRef ref = connection.createCase(op(), CaseDraft.of("conv-" + UUID.randomUUID(),
                "Parcel missing", "Where is my parcel?", new Customer("Ada", email, null)),
                List.of(new Activity("m1", Direction.CUSTOMER, "Ada", "Where is my parcel?", Instant.now())));
        Activity reply = new Activity("m2", Direction.AI, "", "Let me check.", Instant.now());
        Handoff handoff = new Handoff(new Activity("m3", Direction.SYSTEM, "", "Summary: parcel lost", Instant.now()),
                StandardRows.CONTACT_SUPERVISOR, null,
                FieldValues.of(Map.of("priority", "High", "category", "Incident", "sentiment", "upset")));
        if (replyDueWithHandoff) {
            connection.appendAndHandOff(op(), ref, List.of(reply), handoff);
        } else {
            connection.appendActivity(op(), ref, reply);
            connection.appendAndHandOff(op(), ref, List.of(), handoff);
        }
        connection.resolve(op(), ref, Resolution.of("Refunded"));
    }
}
