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
import com.helpdeskconnect.api.cases.Visibility;
import com.helpdeskconnect.api.errors.ConnectorException;
import com.helpdeskconnect.api.errors.ErrorKind;
import com.helpdeskconnect.api.errors.RateLimitedException;
import com.helpdeskconnect.zendesk.sandbox.ZendeskSandbox;
import com.helpdeskconnect.zendesk.sandbox.ZendeskSandboxExtension;
import com.helpdeskconnect.zendesk.sandbox.faults.FaultRule;
import com.helpdeskconnect.zendesk.sandbox.inspection.TicketView;
import com.helpdeskconnect.zendesk.sandbox.model.Comment;
import com.helpdeskconnect.zendesk.sandbox.model.SeedData;
import com.helpdeskconnect.zendesk.sandbox.model.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Messages as comments: in order, batched, once, reopening, and onto a follow-up once the ticket is closed. */
class AppendActivitiesTest {
    @RegisterExtension
    static ZendeskSandboxExtension zendesk = new ZendeskSandboxExtension();

    private static final ZendeskConnector CONNECTOR = new ZendeskConnector();
    private static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");

    @BeforeEach
    void reset() {
        zendesk.reset();
    }

    @AfterAll
    static void close() {
        CONNECTOR.close();
    }

    @Test
    void aCustomerMessageIsAPrivateCommentByTheRequester(ZendeskSandbox sandbox) {
        ZendeskConnection connection = Integrations.open(CONNECTOR, sandbox);
        String conversation = "conv-" + UUID.randomUUID();
        CaseRef ref = open(connection, conversation);
        CaseRef landed = connection.appendActivity(op(connection, conversation, "m2"), ref,
                new Activity("m2", Direction.CUSTOMER, "Carla", "It was due on Monday.", T0));
        assertThat(landed).isEqualTo(ref);
        Comment comment = last(sandbox, ref);
        assertThat(comment.isPublic()).isFalse();
        assertThat(comment.authorId()).isEqualTo(SeedData.USER_CUSTOMER);
        assertThat(comment.body()).isEqualTo("It was due on Monday.");
    }

    @Test
    void anAiMessageIsAPrivateLabelledCommentByTheIntegrationUser(ZendeskSandbox sandbox) {
        ZendeskConnection connection = Integrations.open(CONNECTOR, sandbox);
        String conversation = "conv-" + UUID.randomUUID();
        CaseRef ref = open(connection, conversation);
        connection.appendActivity(op(connection, conversation, "m2"), ref,
                new Activity("m2", Direction.AI, "Aria", "Let me check.", T0));
        Comment comment = last(sandbox, ref);
        assertThat(comment.isPublic()).isFalse();
        assertThat(comment.authorId()).isEqualTo(SeedData.USER_INTEGRATION);
        assertThat(comment.body()).isEqualTo("Aria (AI): Let me check.");
        assertThat(comment.client()).startsWith(ZendeskConnector.USER_AGENT_PRODUCT);
    }

    @Test
    void messagesDueTogetherGoInOneUpdateInOrder(ZendeskSandbox sandbox) {
        ZendeskConnection connection = Integrations.open(CONNECTOR, sandbox);
        String conversation = "conv-" + UUID.randomUUID();
        CaseRef ref = open(connection, conversation);
        int before = sandbox.inspect().requestCount("PUT", "/api/v2/tickets/{id}");
        connection.appendActivities(op(connection, conversation, "m4"), ref, List.of(
                new Activity("m2", Direction.CUSTOMER, "Carla", "Hello?", T0),
                new Activity("m3", Direction.AI, "", "Checking now.", T0.plusSeconds(2)),
                new Activity("m4", Direction.CUSTOMER, "Carla", "Thanks", T0.plusSeconds(9))));
        assertThat(sandbox.inspect().requestCount("PUT", "/api/v2/tickets/{id}")).isEqualTo(before + 1);
        assertThat(last(sandbox, ref).body()).isEqualTo("[10:00:00 UTC] Carla (customer): Hello?\n\n"
                + "[10:00:02 UTC] AI assistant: Checking now.\n\n[10:00:09 UTC] Carla (customer): Thanks");

        connection.appendActivities(op(connection, conversation, "m6"), ref, List.of(
                new Activity("m5", Direction.CUSTOMER, "Carla", "One more", T0.plusSeconds(20)),
                new Activity("m6", Direction.CUSTOMER, "Carla", "thing", T0.plusSeconds(21))));
        Comment customerOnly = last(sandbox, ref);
        assertThat(customerOnly.authorId()).isEqualTo(SeedData.USER_CUSTOMER);
        assertThat(customerOnly.body()).isEqualTo("[10:00:20 UTC] One more\n\n[10:00:21 UTC] thing");
    }

    @Test
    void eachMessageIsWrittenOnce(ZendeskSandbox sandbox) {
        ZendeskConnection connection = Integrations.open(CONNECTOR, sandbox);
        String conversation = "conv-" + UUID.randomUUID();
        CaseRef ref = open(connection, conversation);
        Activity m2 = new Activity("m2", Direction.CUSTOMER, "", "Hi", T0);
        connection.appendActivity(op(connection, conversation, "m2"), ref, m2);
        int requests = sandbox.inspect().totalRequests();
        connection.appendActivity(op(connection, conversation, "m2").retry(), ref, m2);
        // a batch that repeats a written message writes only the new one
        connection.appendActivities(op(connection, conversation, "m3"), ref,
                List.of(m2, new Activity("m3", Direction.AI, "", "Hello", T0.plusSeconds(1))));
        assertThat(sandbox.inspect().totalRequests()).isEqualTo(requests + 1);
        assertThat(comments(sandbox, ref)).extracting(Comment::body)
                .containsExactly("Customer: Where is my parcel?", "Hi", "AI assistant: Hello");
    }

    @Test
    void aLostAnswerIsNotWrittenTwice(ZendeskSandbox sandbox) {
        ZendeskConnection connection = Integrations.open(CONNECTOR, sandbox);
        String conversation = "conv-" + UUID.randomUUID();
        CaseRef ref = open(connection, conversation);
        List<Activity> batch = List.of(new Activity("m2", Direction.CUSTOMER, "", "Hi", T0),
                new Activity("m3", Direction.AI, "", "Hello", T0.plusSeconds(1)));
        sandbox.faults().add(FaultRule.on("PUT", "/api/v2/tickets").loseAnswer().times(1));
        OperationContext op = op(connection, conversation, "m3");
        ConnectorException lost = catchThrowableOfType(ConnectorException.class,
                () -> connection.appendActivities(op, ref, batch));
        assertThat(lost.kind()).isEqualTo(ErrorKind.TRANSIENT);

        // the retry also carries a message due since: only that one is written
        connection.appendActivities(op.retry(), ref, List.of(batch.get(0), batch.get(1),
                new Activity("m4", Direction.CUSTOMER, "", "Bye", T0.plusSeconds(2))));
        assertThat(comments(sandbox, ref)).extracting(Comment::body).containsExactly(
                "Customer: Where is my parcel?", "[10:00:00 UTC] Customer: Hi\n\n[10:00:01 UTC] AI assistant: Hello",
                "Bye");
    }

    @Test
    void aCustomerMessageReopensASolvedTicket(ZendeskSandbox sandbox) {
        ZendeskConnection connection = Integrations.open(CONNECTOR, sandbox);
        String conversation = "conv-" + UUID.randomUUID();
        CaseRef ref = open(connection, conversation);
        sandbox.agent().solve(Long.parseLong(ref.id()));
        connection.appendActivity(op(connection, conversation, "m2"), ref,
                new Activity("m2", Direction.CUSTOMER, "", "It broke again", T0));
        assertThat(ticket(sandbox, ref).ticket().status()).isEqualTo(Status.OPEN);

        // an AI message alone does not
        sandbox.agent().changeStatus(Long.parseLong(ref.id()), Status.PENDING);
        connection.appendActivity(op(connection, conversation, "m3"), ref,
                new Activity("m3", Direction.AI, "", "Noted", T0));
        assertThat(ticket(sandbox, ref).ticket().status()).isEqualTo(Status.PENDING);
    }

    @Test
    void aClosedTicketGetsAFollowUpAndTheConversationMovesThere(ZendeskSandbox sandbox) {
        ZendeskConnection connection = Integrations.open(CONNECTOR, sandbox);
        String conversation = "conv-" + UUID.randomUUID();
        CaseRef ref = open(connection, conversation);
        long closed = Long.parseLong(ref.id());
        sandbox.agent().solve(closed);
        sandbox.agent().close(closed);

        CaseRef followUp = connection.appendActivity(op(connection, conversation, "m2"), ref,
                new Activity("m2", Direction.CUSTOMER, "", "Hello again", T0));
        assertThat(followUp.id()).isNotEqualTo(ref.id());
        TicketView created = ticket(sandbox, followUp);
        assertThat(created.ticket().followupSourceId()).isEqualTo(closed);
        assertThat(created.ticket().requesterId()).isEqualTo(SeedData.USER_CUSTOMER);
        assertThat(created.comments()).singleElement().satisfies(c -> {
            assertThat(c.body()).isEqualTo("Hello again");
            assertThat(c.isPublic()).isFalse();
            assertThat(c.authorId()).isEqualTo(SeedData.USER_CUSTOMER);
        });
        assertThat(ticket(sandbox, ref).ticket().followupIds()).containsExactly(Long.parseLong(followUp.id()));

        // the host still holding the old reference: the message goes to the follow-up all the same
        CaseRef next = connection.appendActivity(op(connection, conversation, "m3"), ref,
                new Activity("m3", Direction.AI, "", "Welcome back", T0));
        assertThat(next).isEqualTo(followUp);
        assertThat(sandbox.inspect().tickets()).hasSize(2);
        assertThat(comments(sandbox, followUp)).hasSize(2);
    }

    @Test
    void aLostFollowUpAnswerIsNotCreatedTwice(ZendeskSandbox sandbox) {
        ZendeskConnection connection = Integrations.open(CONNECTOR, sandbox);
        String conversation = "conv-" + UUID.randomUUID();
        CaseRef ref = open(connection, conversation);
        sandbox.agent().solve(Long.parseLong(ref.id()));
        sandbox.agent().close(Long.parseLong(ref.id()));
        sandbox.faults().add(FaultRule.on("POST", "/api/v2/tickets").loseAnswer().times(1));
        Activity m2 = new Activity("m2", Direction.CUSTOMER, "", "Hello again", T0);
        OperationContext op = op(connection, conversation, "m2");
        catchThrowableOfType(ConnectorException.class, () -> connection.appendActivity(op, ref, m2));
        CaseRef followUp = connection.appendActivity(op.retry(), ref, m2);
        assertThat(sandbox.inspect().tickets()).hasSize(2);
        assertThat(comments(sandbox, followUp)).hasSize(1);
    }

    @Test
    void thePerTicketUpdateLimitIsKeptWithoutPausingTheIntegration(ZendeskSandbox sandbox) {
        ZendeskConnector tight = new ZendeskConnector(Clock.systemUTC(), Duration.ofSeconds(30), 2);
        ZendeskConnection connection = Integrations.open(tight, sandbox);
        String conversation = "conv-" + UUID.randomUUID();
        CaseRef ref = open(connection, conversation);
        connection.appendActivity(op(connection, conversation, "m2"), ref, new Activity("m2", Direction.AI, "", "a", T0));
        connection.appendActivity(op(connection, conversation, "m3"), ref, new Activity("m3", Direction.AI, "", "b", T0));
        ConnectorException full = catchThrowableOfType(ConnectorException.class, () -> connection.appendActivity(
                op(connection, conversation, "m4"), ref, new Activity("m4", Direction.AI, "", "c", T0)));
        assertThat(full.kind()).as("only this conversation waits").isEqualTo(ErrorKind.TRANSIENT);
        assertThat(full.getMessage()).contains("updates of one ticket");
        assertThat(comments(sandbox, ref)).hasSize(3);
        // another ticket is not held up
        String other = "conv-" + UUID.randomUUID();
        CaseRef otherRef = open(connection, other);
        connection.appendActivity(op(connection, other, "m2"), otherRef, new Activity("m2", Direction.AI, "", "x", T0));
        tight.close();
    }

    @Test
    void zendesksOwnUpdateLimitIsARateLimit(ZendeskSandbox sandbox) {
        ZendeskConnection connection = Integrations.open(CONNECTOR, sandbox);
        String conversation = "conv-" + UUID.randomUUID();
        CaseRef ref = open(connection, conversation);
        sandbox.limits().ticketUpdates(1, Duration.ofMinutes(10));
        try {
            connection.appendActivity(op(connection, conversation, "m2"), ref, new Activity("m2", Direction.AI, "", "a", T0));
            RateLimitedException limited = catchThrowableOfType(RateLimitedException.class, () -> connection
                    .appendActivity(op(connection, conversation, "m3"), ref, new Activity("m3", Direction.AI, "", "b", T0)));
            assertThat(limited.retryAfter()).isPositive();
        } finally {
            sandbox.limits().ticketUpdates(30, Duration.ofMinutes(10));
        }
    }

    @Test
    void withPublicChatMessagesTheCustomersMessagesArePublicAndNotesStayInternal(ZendeskSandbox sandbox) {
        java.util.Map<String, Object> raw = Integrations.settingsFor(sandbox);
        raw.put("publicChatMessages", true);
        ZendeskConnection connection = Integrations.open(CONNECTOR, Integrations.context(raw));
        String conversation = "conv-" + UUID.randomUUID();
        CaseRef ref = connection.createCase(op(connection, conversation, "m1"),
                CaseDraft.of(conversation, "Parcel", "", new Customer("Carla", SeedData.CUSTOMER_EMAIL, null)),
                List.of(new Activity("m1", Direction.CUSTOMER, "", "Where is my parcel?", T0),
                        new Activity("n1", Direction.SYSTEM, "", "Customer verified", T0, Visibility.INTERNAL)));
        assertThat(comments(sandbox, ref)).extracting(Comment::isPublic).containsExactly(true, false);

        int puts = sandbox.inspect().requestCount("PUT", "/api/v2/tickets/{id}");
        connection.appendActivities(op(connection, conversation, "m3"), ref, List.of(
                new Activity("m2", Direction.CUSTOMER, "", "Hello?", T0),
                new Activity("m3", Direction.AI, "", "Checking", T0.plusSeconds(1)),
                new Activity("n2", Direction.SYSTEM, "", "Order 4711 late", T0.plusSeconds(2), Visibility.INTERNAL)));
        assertThat(sandbox.inspect().requestCount("PUT", "/api/v2/tickets/{id}")).as("one update per run").isEqualTo(puts + 2);
        List<Comment> all = comments(sandbox, ref);
        Comment publicRun = all.get(2);
        assertThat(publicRun.isPublic()).isTrue();
        assertThat(publicRun.body()).isEqualTo("[10:00:00 UTC] Customer: Hello?\n\n[10:00:01 UTC] AI assistant: Checking");
        assertThat(all.get(3).isPublic()).isFalse();
        assertThat(all.get(3).body()).isEqualTo("Note: Order 4711 late");
    }

    private static CaseRef open(ZendeskConnection connection, String conversation) {
        return connection.createCase(op(connection, conversation, "m1"),
                CaseDraft.of(conversation, "Parcel", "", new Customer("Carla", SeedData.CUSTOMER_EMAIL, null)),
                List.of(new Activity("m1", Direction.CUSTOMER, "", "Where is my parcel?", T0)));
    }

    private static TicketView ticket(ZendeskSandbox sandbox, CaseRef ref) {
        return sandbox.inspect().ticket(Long.parseLong(ref.id())).orElseThrow();
    }

    private static List<Comment> comments(ZendeskSandbox sandbox, CaseRef ref) {
        return ticket(sandbox, ref).comments();
    }

    private static Comment last(ZendeskSandbox sandbox, CaseRef ref) {
        List<Comment> all = comments(sandbox, ref);
        return all.get(all.size() - 1);
    }
}
