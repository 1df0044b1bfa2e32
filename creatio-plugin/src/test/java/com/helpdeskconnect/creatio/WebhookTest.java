package com.helpdeskconnect.creatio;

import static com.helpdeskconnect.creatio.Integrations.op;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.helpdeskconnect.api.OperationContext;
import com.helpdeskconnect.api.cases.Activity;
import com.helpdeskconnect.api.cases.CaseDraft;
import com.helpdeskconnect.api.cases.CaseRef;
import com.helpdeskconnect.api.cases.Customer;
import com.helpdeskconnect.api.cases.Direction;
import com.helpdeskconnect.api.cases.Resolution;
import com.helpdeskconnect.api.cases.Visibility;
import com.helpdeskconnect.api.errors.PermanentException;
import com.helpdeskconnect.api.errors.WebhookAuthenticationException;
import com.helpdeskconnect.api.webhook.AgentReplied;
import com.helpdeskconnect.api.webhook.CaseReopened;
import com.helpdeskconnect.api.webhook.CaseResolved;
import com.helpdeskconnect.api.webhook.HelpdeskEvent;
import com.helpdeskconnect.api.webhook.WebhookRequest;
import com.helpdeskconnect.sandbox.identity.RegisteredClient;
import com.helpdeskconnect.sandbox.model.StandardRows;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Webhooks from the admin's business processes: authentication on arrival (a header, no Creatio
 * call), reading later without authenticating again, echoes, and what agent changes mean.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookTest {
    private SandboxFixture fixture;
    private CreatioConnector connector;
    private CreatioConnection connection;

    @BeforeAll
    void start() {
        fixture = new SandboxFixture();
        connector = (CreatioConnector) fixture.connector();
        connection = Integrations.open(connector, fixture.validSettings().asMap());
    }

    @AfterAll
    void stop() {
        fixture.close();
    }

    private CaseRef newCase() {
        return connection.createCase(op(), CaseDraft.of("conv-" + UUID.randomUUID(), "Webhook test", "",
                new Customer("Grace", "grace@example.com", null)), List.of());
    }

    /** As the host does: authenticate on arrival, process later. */
    private List<HelpdeskEvent> deliver(CaseRef ref) {
        List<HelpdeskEvent> events = new ArrayList<>();
        for (WebhookRequest request : fixture.takeWebhooks(ref)) {
            connection.authenticateWebhook(request);
            events.addAll(connection.onWebhook(webhookOp(), request));
        }
        return events;
    }

    private OperationContext webhookOp() {
        return OperationContext.forWebhook("it", "wh-" + UUID.randomUUID(), 1, Instant.now());
    }

    private WebhookRequest call(String secret, String body) {
        return WebhookRequest.json(secret == null ? Map.of() : Map.of("X-Helpdesk-Connect-Secret", secret), body);
    }

    @Test
    void wrongOrMissingSecretIsRejectedOnArrivalWithoutAskingCreatio() {
        CaseRef ref = newCase();
        String body = "{\"event\":\"case_status_changed\",\"caseId\":\"" + ref.id() + "\",\"statusId\":\"x\"}";
        int requestsBefore = fixture.sandbox.inspect().requests().size();
        assertThatThrownBy(() -> connection.authenticateWebhook(call(null, body)))
                .isInstanceOf(WebhookAuthenticationException.class);
        assertThatThrownBy(() -> connection.authenticateWebhook(call("guess", body)))
                .isInstanceOf(WebhookAuthenticationException.class)
                .hasMessageNotContaining(fixture.webhookSecret);
        assertThatThrownBy(() -> connection.authenticateWebhook(call(fixture.webhookSecret + "x", body)))
                .isInstanceOf(WebhookAuthenticationException.class);
        connection.authenticateWebhook(call(fixture.webhookSecret, body));
        assertThat(fixture.sandbox.inspect().requests()).hasSize(requestsBefore);
    }

    @Test
    void integrationWithoutWebhookSecretRejectsEveryCall() {
        CreatioConnection noSecret = Integrations.open(connector, fixture.validSettings().with("webhookSecret", null).asMap());
        assertThatThrownBy(() -> noSecret.authenticateWebhook(call("", "{}")))
                .isInstanceOf(WebhookAuthenticationException.class).hasMessageContaining("No webhook secret");
    }

    @Test
    void processingAStoredCallDoesNotAuthenticateItAgain() {
        CaseRef ref = newCase();
        fixture.takeWebhooks(ref);
        String activityId = fixture.sandbox.agent().reply(ref.id(), "Late but here");
        fixture.takeWebhooks(ref);
        // The host stored the call when it arrived; what it hands over later carries no secret header.
        WebhookRequest stored = new WebhookRequest(Map.of("Content-Type", List.of("application/json")), Map.of(),
                ("{\"event\":\"activity_added\",\"caseId\":\"" + ref.id() + "\",\"recordId\":\"" + activityId + "\"}")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8), Instant.now().minusSeconds(2400));
        assertThat(connection.onWebhook(webhookOp(), stored)).singleElement().isInstanceOf(AgentReplied.class);
    }

    @Test
    void malformedPayloadsArePermanentErrors() {
        for (String body : List.of("not json", "[]", "{\"event\":\"activity_added\",\"caseId\":\"nope\"}",
                "{\"event\":\"something_else\",\"caseId\":\"" + UUID.randomUUID() + "\"}")) {
            assertThatThrownBy(() -> connection.onWebhook(webhookOp(), call(fixture.webhookSecret, body)))
                    .as(body).isInstanceOf(PermanentException.class);
        }
    }

    @Test
    void echoesOfOurMessagesNotesAndResolveYieldNothing() {
        CaseRef ref = newCase();
        connection.appendActivity(op(), ref, new Activity("m1", Direction.CUSTOMER, "Grace", "Hi", Instant.now()));
        connection.appendActivity(op(), ref, new Activity("m2", Direction.AI, "", "Hello Grace", Instant.now()));
        connection.appendActivity(op(), ref, new Activity("m3", Direction.SYSTEM, "", "Internal: VIP", Instant.now()));
        connection.resolve(op(), ref, Resolution.of("Answered"));
        assertThat(deliver(ref)).isEmpty();
        assertThat(fixture.sandbox.webhooks().deliveries()).isNotEmpty();
    }

    @Test
    void agentReplyCarriesTheAgentsNameAndIsPublic() {
        CaseRef ref = newCase();
        fixture.takeWebhooks(ref);
        fixture.sandbox.agent().reply(ref.id(), "We shipped it");
        assertThat(deliver(ref)).singleElement().isInstanceOfSatisfying(AgentReplied.class, e -> {
            assertThat(e.text()).isEqualTo("We shipped it");
            assertThat(e.author()).as("the contact's name, not the email").isEqualTo("Alice Agent");
            assertThat(e.visibility()).isEqualTo(Visibility.PUBLIC);
            assertThat(e.caseRef().number()).isNotEmpty();
        });
    }

    @Test
    void agentNoteIsAnInternalReply() {
        CaseRef ref = newCase();
        fixture.takeWebhooks(ref);
        fixture.sandbox.agent().note(ref.id(), "Customer is on the premium plan");
        assertThat(deliver(ref)).singleElement().isInstanceOfSatisfying(AgentReplied.class, e -> {
            assertThat(e.text()).isEqualTo("Customer is on the premium plan");
            assertThat(e.author()).isEqualTo("Alice Agent");
            assertThat(e.visibility()).isEqualTo(Visibility.INTERNAL);
        });
    }

    @Test
    void resolveAndReopenByAnAgentAreReported() {
        CaseRef ref = newCase();
        fixture.takeWebhooks(ref);
        fixture.sandbox.agent().resolve(ref.id(), "Shipped");
        assertThat(deliver(ref)).singleElement().isInstanceOfSatisfying(CaseResolved.class,
                e -> assertThat(e.solution()).isEqualTo("Shipped"));
        fixture.sandbox.agent().reopen(ref.id());
        assertThat(deliver(ref)).singleElement().isInstanceOf(CaseReopened.class);
    }

    @Test
    void customerPortalMessagesAndIncomingEmailsAreNotAgentReplies() {
        CaseRef ref = newCase();
        fixture.takeWebhooks(ref);
        fixture.sandbox.agent().portalMessage(ref.id(), "Any news?");
        assertThat(deliver(ref)).isEmpty();

        // An email the customer sent, filed on the case by another app (Creatio's mailbox sync, say).
        RegisteredClient mailbox = RegisteredClient.generate().runningAs(StandardRows.CONTACT_SUPERVISOR);
        fixture.sandbox.registerClient(mailbox);
        Map<String, Object> raw = new java.util.LinkedHashMap<>(fixture.validSettings().asMap());
        raw.put("clientId", mailbox.clientId());
        raw.put("clientSecret", mailbox.clientSecret());
        CreatioConnection sync = Integrations.open(connector, raw);
        sync.appendActivity(op(), ref, new Activity("mail-1", Direction.CUSTOMER, "Grace", "Still waiting", Instant.now()));
        String id = sync.deterministicId("activity", ref.id() + ":mail-1").toString();
        assertThat(fixture.sandbox.inspect().find("Activity", id)).hasValueSatisfying(a ->
                assertThat(a.get("MessageTypeId")).isEqualTo(StandardRows.MESSAGE_TYPE_INCOMING));
        WebhookRequest arrived = call(fixture.webhookSecret,
                "{\"event\":\"activity_added\",\"caseId\":\"" + ref.id() + "\",\"recordId\":\"" + id + "\"}");
        assertThat(connection.onWebhook(webhookOp(), arrived)).isEmpty();
    }
}
