package com.helpdeskconnect.zendesk;

import static com.helpdeskconnect.zendesk.Integrations.op;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.helpdeskconnect.api.OperationContext;
import com.helpdeskconnect.api.cases.Activity;
import com.helpdeskconnect.api.cases.CaseDraft;
import com.helpdeskconnect.api.cases.CaseRef;
import com.helpdeskconnect.api.cases.Customer;
import com.helpdeskconnect.api.cases.Direction;
import com.helpdeskconnect.api.errors.ConnectorException;
import com.helpdeskconnect.api.errors.ErrorKind;
import com.helpdeskconnect.api.errors.RateLimitedException;
import com.helpdeskconnect.zendesk.sandbox.ZendeskSandbox;
import com.helpdeskconnect.zendesk.sandbox.ZendeskSandboxExtension;
import com.helpdeskconnect.zendesk.sandbox.faults.FaultRule;
import com.helpdeskconnect.zendesk.sandbox.inspection.TicketView;
import com.helpdeskconnect.zendesk.sandbox.model.Comment;
import com.helpdeskconnect.zendesk.sandbox.model.SeedData;
import com.helpdeskconnect.zendesk.sandbox.model.User;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A ticket per conversation, never two: first messages, requester, defaults, and every way an answer gets lost. */
class CreateCaseTest {
    @RegisterExtension
    static ZendeskSandboxExtension zendesk = new ZendeskSandboxExtension();

    private static final ZendeskConnector CONNECTOR = new ZendeskConnector();

    @BeforeEach
    void reset() {
        zendesk.reset();
    }

    @AfterAll
    static void close() {
        CONNECTOR.close();
    }

    @Test
    void opensOnePrivateTicketWithTheFirstMessagesInOneRequest(ZendeskSandbox sandbox) {
        ZendeskConnection connection = Integrations.open(CONNECTOR, sandbox);
        String conversation = "conv-" + UUID.randomUUID();
        Instant t0 = Instant.parse("2026-01-05T10:00:00Z");
        CaseRef ref = connection.createCase(op(connection, conversation, "m1"),
                CaseDraft.of(conversation, "Parcel missing", "Where is my parcel?",
                        new Customer("Ada Lovelace", "ada@example.com", null)),
                List.of(new Activity("m1", Direction.CUSTOMER, "Ada Lovelace", "Where is my parcel?", t0),
                        new Activity("m2", Direction.AI, "", "Let me check.", t0.plusSeconds(5))));

        assertThat(sandbox.inspect().totalRequests()).isEqualTo(1);
        TicketView ticket = sandbox.inspect().ticket(Long.parseLong(ref.id())).orElseThrow();
        assertThat(ref.number()).isEqualTo(ref.id());
        assertThat(ref.link().toString()).isEqualTo(sandbox.baseUrl() + "/agent/tickets/" + ref.id());
        assertThat(ticket.ticket().subject()).isEqualTo("Parcel missing");
        assertThat(ticket.ticket().tags()).contains("helpdesk_connect");
        assertThat(ticket.ticket().externalId()).endsWith(":" + conversation);
        assertThat(ticket.comments()).hasSize(1);
        Comment first = ticket.comments().get(0);
        assertThat(first.isPublic()).as("the customer is never mailed their own chat").isFalse();
        assertThat(first.body()).isEqualTo("[10:00:00 UTC] Ada Lovelace (customer): Where is my parcel?\n\n"
                + "[10:00:05 UTC] AI assistant: Let me check.");
        User requester = sandbox.inspect().userByEmail("ada@example.com").orElseThrow();
        assertThat(ticket.ticket().requesterId()).isEqualTo(requester.id());
        assertThat(requester.name()).isEqualTo("Ada Lovelace");
    }

    @Test
    void aKnownCustomerIsTheRequesterAndNotCreatedAgain(ZendeskSandbox sandbox) {
        ZendeskConnection connection = Integrations.open(CONNECTOR, sandbox);
        int users = sandbox.inspect().users().size();
        CaseRef ref = create(connection, "conv-" + UUID.randomUUID(), new Customer("Carla", SeedData.CUSTOMER_EMAIL, null));
        assertThat(ticket(sandbox, ref).ticket().requesterId()).isEqualTo(SeedData.USER_CUSTOMER);
        assertThat(sandbox.inspect().users()).hasSize(users);
    }

    @Test
    void anonymousCustomersShareOneRequesterAndTheirNameGoesInTheComment(ZendeskSandbox sandbox) {
        ZendeskConnection connection = Integrations.open(CONNECTOR, sandbox);
        CaseRef first = create(connection, "conv-" + UUID.randomUUID(), new Customer("Bob", null, "+41 44 000"));
        CaseRef second = create(connection, "conv-" + UUID.randomUUID(), Customer.anonymous());
        long requester = ticket(sandbox, first).ticket().requesterId();
        assertThat(ticket(sandbox, second).ticket().requesterId()).isEqualTo(requester);
        assertThat(sandbox.inspect().userByEmail(ZendeskSettings.DEFAULT_ANONYMOUS_EMAIL)).get()
                .extracting(User::id).isEqualTo(requester);
        assertThat(ticket(sandbox, first).comments().get(0).body())
                .startsWith("Chat visitor without an email address: Bob, +41 44 000\n\n");
        // a malformed address is no address
        CaseRef third = create(connection, "conv-" + UUID.randomUUID(), new Customer("Eve", "eve-at-example", null));
        assertThat(ticket(sandbox, third).ticket().requesterId()).isEqualTo(requester);
    }

    @Test
    void defaultGroupAndAssigneeApplyUnlessTheDraftNamesOthers(ZendeskSandbox sandbox) {
        Map<String, Object> raw = Integrations.settingsFor(sandbox);
        raw.put("defaultGroupId", SeedData.GROUP_SUPPORT);
        raw.put("defaultAssigneeId", SeedData.USER_ALICE);
        ZendeskConnection connection = Integrations.open(CONNECTOR, Integrations.context(raw));
        CaseRef byDefault = create(connection, "conv-" + UUID.randomUUID(), Customer.anonymous());
        assertThat(ticket(sandbox, byDefault).ticket().groupId()).isEqualTo(SeedData.GROUP_SUPPORT);
        assertThat(ticket(sandbox, byDefault).ticket().assigneeId()).isEqualTo(SeedData.USER_ALICE);

        String conversation = "conv-" + UUID.randomUUID();
        CaseRef chosen = connection.createCase(op(connection, conversation, "e1"),
                new CaseDraft(conversation, "Refund", "", Customer.anonymous(), "chat",
                        Long.toString(SeedData.USER_BOB), Long.toString(SeedData.GROUP_BILLING), null), List.of());
        assertThat(ticket(sandbox, chosen).ticket().groupId()).isEqualTo(SeedData.GROUP_BILLING);
        assertThat(ticket(sandbox, chosen).ticket().assigneeId()).isEqualTo(SeedData.USER_BOB);
        assertThat(ticket(sandbox, chosen).comments().get(0).body()).contains("Refund");
    }

    @Test
    void aRepeatReturnsTheTicketWithoutAskingZendesk(ZendeskSandbox sandbox) {
        ZendeskConnection connection = Integrations.open(CONNECTOR, sandbox);
        String conversation = "conv-" + UUID.randomUUID();
        CaseRef first = create(connection, conversation, Customer.anonymous());
        int requests = sandbox.inspect().totalRequests();
        CaseRef again = connection.createCase(op(connection, conversation, "m1").retry(), draft(conversation,
                Customer.anonymous()), List.of(message("m1")));
        assertThat(again).isEqualTo(first);
        assertThat(sandbox.inspect().totalRequests()).isEqualTo(requests);
    }

    @Test
    void aLostAnswerIsRetriedIntoTheSameTicket(ZendeskSandbox sandbox) {
        ZendeskConnection connection = Integrations.open(CONNECTOR, sandbox);
        String conversation = "conv-" + UUID.randomUUID();
        sandbox.faults().add(FaultRule.on("POST", "/api/v2/tickets").loseAnswer().times(1));
        OperationContext op = op(connection, conversation, "m1");
        ConnectorException lost = catchThrowableOfType(ConnectorException.class,
                () -> connection.createCase(op, draft(conversation, Customer.anonymous()), List.of(message("m1"))));
        assertThat(lost.kind()).isEqualTo(ErrorKind.TRANSIENT);

        CaseRef ref = connection.createCase(op.retry(), draft(conversation, Customer.anonymous()), List.of(message("m1")));
        assertThat(sandbox.inspect().tickets()).hasSize(1);
        assertThat(ref.id()).isEqualTo(Long.toString(sandbox.inspect().tickets().get(0).id()));
    }

    @Test
    void aHostKilledBeforeRecordingFindsTheTicketByItsExternalId(ZendeskSandbox sandbox) {
        // kill -9 after Zendesk created the ticket, before the state was written: a new process, the same state
        Integrations.Context context = Integrations.context(Integrations.settingsFor(sandbox));
        String conversation = "conv-" + UUID.randomUUID();
        sandbox.faults().add(FaultRule.on("POST", "/api/v2/tickets").loseAnswer().times(1));
        OperationContext op = Integrations.op(context.integrationId(), conversation, "m1");
        catchThrowableOfType(ConnectorException.class, () -> Integrations.open(CONNECTOR, context)
                .createCase(op, draft(conversation, Customer.anonymous()), List.of(message("m1"))));

        // ...and the retry comes after the idempotency key's two hours
        sandbox.advanceClock(Duration.ofHours(3));
        ZendeskConnector restarted = new ZendeskConnector();
        CaseRef ref = Integrations.open(restarted, context)
                .createCase(op.retry(), draft(conversation, Customer.anonymous()), List.of(message("m1")));
        restarted.close();
        assertThat(sandbox.inspect().tickets()).hasSize(1);
        assertThat(ref.id()).isEqualTo(Long.toString(sandbox.inspect().tickets().get(0).id()));
        assertThat(sandbox.inspect().requestCount("GET", "/api/v2/tickets")).isEqualTo(1);
    }

    @Test
    void aRetryWithinTheKeysLifeIsAnsweredFromTheIdempotencyKey(ZendeskSandbox sandbox) {
        // the search finds nothing yet (a lagging index would do the same): the key still prevents a second ticket
        Integrations.Context context = Integrations.context(Integrations.settingsFor(sandbox));
        String conversation = "conv-" + UUID.randomUUID();
        OperationContext op = Integrations.op(context.integrationId(), conversation, "m1");
        CaseRef first = Integrations.open(CONNECTOR, context)
                .createCase(op, draft(conversation, Customer.anonymous()), List.of(message("m1")));
        Integrations.Context forgetful = new Integrations.Context(context.integrationId(), context.settings(),
                com.helpdeskconnect.api.state.ConnectorState.inMemory(), context.outbound());
        CaseRef again = Integrations.open(CONNECTOR, forgetful)
                .createCase(op, draft(conversation, Customer.anonymous()), List.of(message("m1")));
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(sandbox.inspect().tickets()).hasSize(1);
        assertThat(sandbox.inspect().requests()).last().satisfies(r ->
                assertThat(r.headers()).containsKey("Idempotency-Key"));
    }

    @Test
    void outagesAndRateLimitsAreRetryable(ZendeskSandbox sandbox) {
        ZendeskConnection connection = Integrations.open(CONNECTOR, sandbox);
        String conversation = "conv-" + UUID.randomUUID();
        sandbox.faults().add(FaultRule.on("POST", "/api/v2/tickets").status(502).times(1));
        ConnectorException e = catchThrowableOfType(ConnectorException.class, () -> create(connection, conversation,
                Customer.anonymous()));
        assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);

        sandbox.faults().add(FaultRule.on("POST", "/api/v2/tickets").tooManyRequests(Duration.ofSeconds(17)).times(1));
        RateLimitedException limited = catchThrowableOfType(RateLimitedException.class,
                () -> create(connection, conversation, Customer.anonymous()));
        assertThat(limited.retryAfter()).isEqualTo(Duration.ofSeconds(17));

        sandbox.faults().add(FaultRule.on("POST", "/api/v2/tickets").resetConnection().times(1));
        e = catchThrowableOfType(ConnectorException.class, () -> create(connection, conversation, Customer.anonymous()));
        assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);

        create(connection, conversation, Customer.anonymous());
        assertThat(sandbox.inspect().tickets()).hasSize(1);
    }

    static CaseDraft draft(String conversation, Customer customer) {
        return CaseDraft.of(conversation, "Help", "Where is my parcel?", customer);
    }

    static Activity message(String id) {
        return new Activity(id, Direction.CUSTOMER, "", "Where is my parcel?", Instant.now());
    }

    private static CaseRef create(ZendeskConnection connection, String conversation, Customer customer) {
        return connection.createCase(op(connection, conversation, "m1"), draft(conversation, customer),
                List.of(message("m1")));
    }

    private static TicketView ticket(ZendeskSandbox sandbox, CaseRef ref) {
        return sandbox.inspect().ticket(Long.parseLong(ref.id())).orElseThrow();
    }
}
