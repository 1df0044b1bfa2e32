package com.helpdeskconnect.zendesk;

import static com.helpdeskconnect.zendesk.Integrations.op;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.helpdeskconnect.api.OperationContext;
import com.helpdeskconnect.api.cases.Activity;
import com.helpdeskconnect.api.cases.CaseDraft;
import com.helpdeskconnect.api.cases.CaseRef;
import com.helpdeskconnect.api.cases.Customer;
import com.helpdeskconnect.api.cases.Direction;
import com.helpdeskconnect.api.cases.FieldValues;
import com.helpdeskconnect.api.cases.Handoff;
import com.helpdeskconnect.api.cases.Resolution;
import com.helpdeskconnect.api.cases.Visibility;
import com.helpdeskconnect.api.errors.PermanentException;
import com.helpdeskconnect.api.errors.WebhookAuthenticationException;
import com.helpdeskconnect.api.webhook.AgentReplied;
import com.helpdeskconnect.api.webhook.CaseClosed;
import com.helpdeskconnect.api.webhook.CaseReopened;
import com.helpdeskconnect.api.webhook.CaseResolved;
import com.helpdeskconnect.api.webhook.HelpdeskEvent;
import com.helpdeskconnect.api.webhook.WebhookRequest;
import com.helpdeskconnect.zendesk.sandbox.ZendeskSandbox;
import com.helpdeskconnect.zendesk.sandbox.model.SeedData;
import com.helpdeskconnect.zendesk.sandbox.model.Status;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Signed trigger webhooks: authenticated on arrival over the exact bytes within five minutes of
 * arrival; processed by re-reading the ticket; agent comments and status changes as events, our
 * own writes never.
 */
class WebhookTest {
    private static final ZendeskConnector CONNECTOR = new ZendeskConnector();
    private static WebhookReceiver receiver;
    private static ZendeskSandbox sandbox;

    private Integrations.Context context;
    private ZendeskConnection connection;
    private String conversation;
    private CaseRef ref;

    @BeforeAll
    static void start() {
        receiver = new WebhookReceiver();
        sandbox = ZendeskSandbox.builder().webhook(receiver.url(), null).webhookRetryDelay(Duration.ofMillis(10)).start();
    }

    @AfterAll
    static void stop() {
        sandbox.close();
        receiver.close();
        CONNECTOR.close();
    }

    @BeforeEach
    void openCase() {
        sandbox.reset();
        receiver.take(sandbox);
        context = Integrations.context(Integrations.settingsFor(sandbox));
        connection = Integrations.open(CONNECTOR, context);
        conversation = "conv-" + UUID.randomUUID();
        ref = connection.createCase(op(connection, conversation, "m1"),
                CaseDraft.of(conversation, "Parcel", "", new Customer("Carla", SeedData.CUSTOMER_EMAIL, null)),
                List.of(new Activity("m1", Direction.CUSTOMER, "", "Where is my parcel?", Instant.now())));
    }

    @Test
    void anAgentsPublicReplyComesBackOnceWithTheCommentIdAsEventId() {
        long commentId = sandbox.agent().reply(id(), "It ships today");
        List<WebhookRequest> calls = receiver.take(sandbox);
        assertThat(calls).hasSize(1);
        WebhookRequest call = calls.get(0);
        assertThatCode(() -> connection.authenticateWebhook(call)).doesNotThrowAnyException();
        assertThat(call.bodyText()).isEqualTo("{\"ticket_id\":\"" + id() + "\"}");

        List<HelpdeskEvent> events = connection.onWebhook(webhookOp(call), call);
        assertThat(events).singleElement().isInstanceOfSatisfying(AgentReplied.class, reply -> {
            assertThat(reply.eventId()).isEqualTo(Long.toString(commentId));
            assertThat(reply.caseRef()).isEqualTo(ref);
            assertThat(reply.author()).isEqualTo("Alice Agent");
            assertThat(reply.text()).isEqualTo("It ships today");
            assertThat(reply.visibility()).isEqualTo(Visibility.PUBLIC);
        });
        // processed again (a retry): the same event
        assertThat(connection.onWebhook(webhookOp(call).retry(), call)).extracting(HelpdeskEvent::eventId)
                .containsExactly(Long.toString(commentId));
    }

    @Test
    void anInternalNoteComesBackInternal() {
        sandbox.agent().note(id(), "Customer is a VIP");
        List<HelpdeskEvent> events = process(receiver.take(sandbox));
        assertThat(events).singleElement().isInstanceOfSatisfying(AgentReplied.class,
                note -> assertThat(note.visibility()).isEqualTo(Visibility.INTERNAL));
    }

    @Test
    void ourOwnWritesAreNeverEvents() {
        connection.appendActivities(op(connection, conversation, "m3"), ref, List.of(
                new Activity("m2", Direction.CUSTOMER, "", "Hello?", Instant.now()),
                new Activity("m3", Direction.AI, "", "Checking", Instant.now())));
        connection.handOff(op(connection, conversation, "h1"), ref, new Handoff(
                new Activity("h1", Direction.SYSTEM, "", "Summary", Instant.now()), Long.toString(SeedData.USER_ALICE),
                null, FieldValues.of(Map.of("priority", "High"))));
        connection.resolve(op(connection, conversation, "r1"), ref, Resolution.of("Done"));
        List<WebhookRequest> calls = receiver.take(sandbox);
        assertThat(calls).as("the trigger fires for our own updates too").hasSize(3);
        assertThat(process(calls)).isEmpty();
        // a ticket another integration opened is none of this one's business
        ZendeskConnection other = Integrations.open(CONNECTOR, Integrations.context(Integrations.settingsFor(sandbox)));
        assertThat(other.onWebhook(OperationContext.forWebhook("it-other", "w", 1, Instant.now()), calls.get(0)))
                .isEmpty();
    }

    @Test
    void anEchoWhoseAnswerWasLostIsStillOurs() {
        // the comment lands, its answer (and so its id in the echo ledger) is lost
        sandbox.faults().add(com.helpdeskconnect.zendesk.sandbox.faults.FaultRule.on("PUT", "/api/v2/tickets")
                .loseAnswer().times(1));
        Activity m2 = new Activity("m2", Direction.AI, "", "Checking", Instant.now());
        catchThrowableOfType(com.helpdeskconnect.api.errors.ConnectorException.class,
                () -> connection.appendActivity(op(connection, conversation, "m2"), ref, m2));
        assertThat(process(receiver.take(sandbox))).as("recognised by our User-Agent").isEmpty();
    }

    @Test
    void statusChangesAreResolvedClosedAndReopened() {
        sandbox.agent().solve(id());
        List<HelpdeskEvent> solved = process(receiver.take(sandbox));
        assertThat(solved).singleElement().isInstanceOf(CaseResolved.class);

        sandbox.agent().customerReply(id(), "Still broken");
        List<HelpdeskEvent> reopened = process(receiver.take(sandbox));
        assertThat(reopened).as("the customer's mail reopened it; the mail itself is no agent reply")
                .singleElement().isInstanceOfSatisfying(CaseReopened.class, e -> assertThat(e.status()).isEqualTo("open"));

        sandbox.agent().reply(id(), SeedData.ALICE_EMAIL, "Fixed now", Status.SOLVED);
        List<HelpdeskEvent> solvedWithReply = process(receiver.take(sandbox));
        assertThat(solvedWithReply).hasSize(2);
        assertThat(solvedWithReply.get(1)).isInstanceOfSatisfying(CaseResolved.class,
                e -> assertThat(e.solution()).isEqualTo("Fixed now"));

        sandbox.agent().close(id());
        assertThat(process(receiver.take(sandbox))).singleElement().isInstanceOf(CaseClosed.class);
    }

    @Test
    void aCallProcessedLateStillYieldsItsEvents() {
        sandbox.agent().reply(id(), "Sorry for the wait");
        List<WebhookRequest> calls = receiver.take(sandbox);
        WebhookRequest call = calls.get(0);
        connection.authenticateWebhook(call);
        // more happens before the stored call is processed, and a new connection processes it
        sandbox.agent().reply(id(), "Anything else?");
        receiver.take(sandbox);
        ZendeskConnection later = Integrations.open(CONNECTOR, new Integrations.Context(
                context.integrationId(), context.settings(), context.state(), context.outbound()));
        assertThat(later.onWebhook(webhookOp(call), call)).hasSize(2);
    }

    @Test
    void aSecondDeliveryOfOneInvocationIsNotReadAgain() {
        sandbox.agent().reply(id(), "Hello");
        WebhookRequest call = receiver.take(sandbox).get(0);
        assertThat(connection.onWebhook(webhookOp(call), call)).hasSize(1);
        int requests = sandbox.inspect().totalRequests();
        // Zendesk delivered the same invocation again: the host stored it as another call
        assertThat(connection.onWebhook(OperationContext.forWebhook(connection.session().integrationId(),
                "again", 1, Instant.now()), call)).isEmpty();
        assertThat(sandbox.inspect().totalRequests()).isEqualTo(requests);
    }

    @Test
    void callsWithoutAValidSignatureAreRefused() {
        sandbox.agent().reply(id(), "Hello");
        WebhookRequest genuine = receiver.take(sandbox).get(0);

        expectRefused(without(genuine, "X-Zendesk-Webhook-Signature"), "no Zendesk webhook signature");
        expectRefused(without(genuine, "X-Zendesk-Webhook-Signature-Timestamp"), "no Zendesk webhook signature");
        expectRefused(withHeader(genuine, "X-Zendesk-Webhook-Signature", "AAAA" + genuine.header(
                "X-Zendesk-Webhook-Signature").orElseThrow().substring(4)), "does not match");
        expectRefused(new WebhookRequest(genuine.headers(), genuine.query(),
                (genuine.bodyText() + " ").getBytes(StandardCharsets.UTF_8), genuine.receivedAt()), "does not match");
        expectRefused(withHeader(genuine, "X-Zendesk-Webhook-Signature-Timestamp", "yesterday"), "ISO-8601");

        // a replay: the genuine call, arriving six minutes after it was signed
        expectRefused(new WebhookRequest(genuine.headers(), genuine.query(), genuine.body(),
                genuine.receivedAt().plus(Duration.ofMinutes(6))), "more than 5 minutes");

        // without a secret in the settings, nothing is accepted
        Map<String, Object> raw = Integrations.settingsFor(sandbox);
        raw.remove("webhookSigningSecret");
        ZendeskConnection unsigned = Integrations.open(CONNECTOR, Integrations.context(raw));
        WebhookAuthenticationException e = catchThrowableOfType(WebhookAuthenticationException.class,
                () -> unsigned.authenticateWebhook(genuine));
        assertThat(e.getMessage()).contains("webhookSigningSecret");
    }

    @Test
    void theWindowIsMeasuredFromArrivalNotFromProcessing() {
        sandbox.webhooks().timestampSkew(Duration.ofMinutes(-4));
        try {
            sandbox.agent().reply(id(), "Hello");
            WebhookRequest call = receiver.take(sandbox).get(0);
            assertThatCode(() -> connection.authenticateWebhook(call)).doesNotThrowAnyException();
            sandbox.webhooks().timestampSkew(Duration.ofMinutes(-6));
            sandbox.agent().reply(id(), "Hello again");
            expectRefused(receiver.take(sandbox).get(0), "more than 5 minutes");
        } finally {
            sandbox.webhooks().timestampSkew(Duration.ZERO);
        }
        // signed an hour ago and received then: still genuine
        String stamp = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS).toString();
        byte[] body = ("{\"ticket_id\":\"" + id() + "\"}").getBytes(StandardCharsets.UTF_8);
        Map<String, List<String>> headers = new HashMap<>();
        headers.put("X-Zendesk-Webhook-Signature-Timestamp", List.of(stamp));
        headers.put("X-Zendesk-Webhook-Signature", List.of(SandboxFixture.sign(sandbox.signingSecret(), stamp, body)));
        assertThatCode(() -> connection.authenticateWebhook(new WebhookRequest(headers, Map.of(), body,
                Instant.parse(stamp).plusSeconds(2)))).doesNotThrowAnyException();
    }

    @Test
    void aBodyWithoutATicketIdIsTheAdminsToFix() {
        WebhookRequest wrong = WebhookRequest.json(Map.of(), "{\"id\":\"{{ticket.id}}\"}");
        PermanentException e = catchThrowableOfType(PermanentException.class,
                () -> connection.onWebhook(webhookOp(wrong), wrong));
        assertThat(e.getMessage()).contains("{\"ticket_id\":\"{{ticket.id}}\"}");
    }

    private List<HelpdeskEvent> process(List<WebhookRequest> calls) {
        List<HelpdeskEvent> events = new ArrayList<>();
        for (WebhookRequest call : calls) {
            connection.authenticateWebhook(call);
            events.addAll(connection.onWebhook(webhookOp(call), call));
        }
        return events;
    }

    private OperationContext webhookOp(WebhookRequest call) {
        return OperationContext.forWebhook(connection.session().integrationId(),
                call.header("X-Zendesk-Webhook-Invocation-Id").orElse("none"), 1, call.receivedAt());
    }

    private void expectRefused(WebhookRequest call, String why) {
        WebhookAuthenticationException e = catchThrowableOfType(WebhookAuthenticationException.class,
                () -> connection.authenticateWebhook(call));
        assertThat(e).as(why).isNotNull();
        assertThat(e.getMessage()).contains(why).doesNotContain(sandbox.signingSecret());
    }

    private static WebhookRequest without(WebhookRequest request, String header) {
        Map<String, List<String>> headers = new HashMap<>(request.headers());
        headers.keySet().removeIf(h -> h.equalsIgnoreCase(header));
        return new WebhookRequest(headers, request.query(), request.body(), request.receivedAt());
    }

    private static WebhookRequest withHeader(WebhookRequest request, String header, String value) {
        Map<String, List<String>> headers = new HashMap<>(request.headers());
        headers.keySet().removeIf(h -> h.equalsIgnoreCase(header));
        headers.put(header, List.of(value));
        return new WebhookRequest(headers, request.query(), request.body(), request.receivedAt());
    }

    private long id() {
        return Long.parseLong(ref.id());
    }
}
