package com.helpdeskconnect.zendesk;

import static com.helpdeskconnect.zendesk.Integrations.op;
import static org.assertj.core.api.Assertions.assertThat;

import com.helpdeskconnect.api.cases.Activity;
import com.helpdeskconnect.api.cases.CaseDraft;
import com.helpdeskconnect.api.cases.CaseRef;
import com.helpdeskconnect.api.cases.Customer;
import com.helpdeskconnect.api.cases.Direction;
import com.helpdeskconnect.api.cases.FieldValues;
import com.helpdeskconnect.api.cases.Handoff;
import com.helpdeskconnect.api.cases.Resolution;
import com.helpdeskconnect.zendesk.sandbox.ZendeskSandbox;
import com.helpdeskconnect.zendesk.sandbox.ZendeskSandboxExtension;
import com.helpdeskconnect.zendesk.sandbox.model.SeedData;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Zendesk requests for one scripted conversation (the case opened with the first customer message,
 * an AI reply, a handoff with summary, assignee and three fields, resolve), counted by the sandbox.
 * The figures are in the README and BENCHMARKS.md.
 */
class RequestsPerConversationTest {
    @RegisterExtension
    ZendeskSandboxExtension zendesk = new ZendeskSandboxExtension();

    @Test
    void aConversationCostsOneRequestPerStep(ZendeskSandbox sandbox) {
        ZendeskConnector connector = new ZendeskConnector();
        Map<String, Object> raw = Integrations.settingsFor(sandbox);
        raw.put("fieldMap", Map.of("sentiment", "Sentiment"));
        ZendeskConnection connection = Integrations.open(connector, Integrations.context(raw));

        int before = sandbox.inspect().totalRequests();
        converse(connection, "first@example.com");
        int cold = sandbox.inspect().totalRequests() - before;

        before = sandbox.inspect().totalRequests();
        converse(connection, "new-customer@example.com");
        int newCustomer = sandbox.inspect().totalRequests() - before;

        before = sandbox.inspect().totalRequests();
        converse(connection, "new-customer@example.com");
        int knownCustomer = sandbox.inspect().totalRequests() - before;

        System.out.printf("Zendesk requests per conversation: first of a connection %d, new customer %d, "
                + "known customer %d (%s)%n", cold, newCustomer, knownCustomer, sandbox.inspect().requestCounts());
        assertThat(newCustomer).isEqualTo(4);
        assertThat(knownCustomer).isEqualTo(4);
        assertThat(cold).as("plus the ticket field catalogue, read once per connection").isEqualTo(5);
        connector.close();
    }

    private static void converse(ZendeskConnection connection, String email) {
        String conversation = "conv-" + UUID.randomUUID();
        // the host opens the case with the message that started the conversation
        CaseRef ref = connection.createCase(op(connection, conversation, "m1"), CaseDraft.of(conversation,
                "Parcel missing", "Where is my parcel?", new Customer("Ada", email, null)),
                List.of(new Activity("m1", Direction.CUSTOMER, "Ada", "Where is my parcel?", Instant.now())));
        connection.appendActivity(op(connection, conversation, "m2"), ref,
                new Activity("m2", Direction.AI, "", "Let me check.", Instant.now()));
        connection.handOff(op(connection, conversation, "m3"), ref, new Handoff(
                new Activity("m3", Direction.SYSTEM, "", "Summary: parcel lost", Instant.now()),
                Long.toString(SeedData.USER_ALICE), null,
                FieldValues.of(Map.of("priority", "High", "type", "Incident", "sentiment", "Negative"))));
        connection.resolve(op(connection, conversation, "m4"), ref, Resolution.of("Refunded"));
    }
}
