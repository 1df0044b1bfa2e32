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
import com.helpdeskconnect.api.cases.Resolution;
import com.helpdeskconnect.api.errors.ConnectorException;
import com.helpdeskconnect.zendesk.sandbox.ZendeskSandbox;
import com.helpdeskconnect.zendesk.sandbox.ZendeskSandboxExtension;
import com.helpdeskconnect.zendesk.sandbox.faults.FaultRule;
import com.helpdeskconnect.zendesk.sandbox.inspection.TicketView;
import com.helpdeskconnect.zendesk.sandbox.model.Comment;
import com.helpdeskconnect.zendesk.sandbox.model.SeedData;
import com.helpdeskconnect.zendesk.sandbox.model.Status;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Resolve: the status and the solution as an internal note in one update, once. */
class ResolveTest {
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
    void resolveSolvesWithTheSolutionAsAnInternalNoteInOneUpdate(ZendeskSandbox sandbox) {
        ZendeskConnection connection = Integrations.open(CONNECTOR, sandbox);
        String conversation = "conv-" + UUID.randomUUID();
        CaseRef ref = openCase(connection, conversation);
        int puts = sandbox.inspect().requestCount("PUT", "/api/v2/tickets/{id}");
        connection.resolve(op(connection, conversation, "r1"), ref,
                new Resolution("Refund issued", "Refunded", Instant.now()));
        assertThat(sandbox.inspect().requestCount("PUT", "/api/v2/tickets/{id}")).isEqualTo(puts + 1);
        TicketView view = view(sandbox, ref);
        assertThat(view.ticket().status()).isEqualTo(Status.SOLVED);
        // Zendesk solves only assigned tickets: the integration's user took it
        assertThat(view.ticket().assigneeId()).isEqualTo(SeedData.USER_INTEGRATION);
        Comment note = view.comments().get(view.comments().size() - 1);
        assertThat(note.isPublic()).isFalse();
        assertThat(note.body()).isEqualTo("Resolved by the AI assistant\n\nRefund issued\n\nClosure code: Refunded");
    }

    @Test
    void resolvingAResolvedTicketChangesNothing(ZendeskSandbox sandbox) {
        ZendeskConnection connection = Integrations.open(CONNECTOR, sandbox);
        String conversation = "conv-" + UUID.randomUUID();
        CaseRef ref = openCase(connection, conversation);
        Resolution resolution = Resolution.of("Refund issued");
        connection.resolve(op(connection, conversation, "r1"), ref, resolution);
        int requests = sandbox.inspect().totalRequests();
        connection.resolve(op(connection, conversation, "r1").retry(), ref, resolution);
        connection.resolve(op(connection, conversation, "r2"), ref, resolution);
        assertThat(sandbox.inspect().totalRequests()).isEqualTo(requests);
        assertThat(view(sandbox, ref).comments()).filteredOn(c -> c.body().contains("Refund issued")).hasSize(1);
    }

    @Test
    void aLostAnswerIsNotResolvedTwice(ZendeskSandbox sandbox) {
        Integrations.Context context = Integrations.context(Integrations.settingsFor(sandbox));
        ZendeskConnection connection = Integrations.open(CONNECTOR, context);
        String conversation = "conv-" + UUID.randomUUID();
        CaseRef ref = openCase(connection, conversation);
        sandbox.faults().add(FaultRule.on("PUT", "/api/v2/tickets").loseAnswer().times(1));
        OperationContext op = op(connection, conversation, "r1");
        catchThrowableOfType(ConnectorException.class, () -> connection.resolve(op, ref, Resolution.of("Done")));
        Integrations.open(CONNECTOR, context).resolve(op.retry(), ref, Resolution.of("Done"));
        assertThat(view(sandbox, ref).comments()).filteredOn(c -> c.body().contains("Done")).hasSize(1);
        assertThat(view(sandbox, ref).ticket().status()).isEqualTo(Status.SOLVED);
    }

    @Test
    void aTicketReopenedByTheCustomerCanBeResolvedAgain(ZendeskSandbox sandbox) {
        ZendeskConnection connection = Integrations.open(CONNECTOR, sandbox);
        String conversation = "conv-" + UUID.randomUUID();
        CaseRef ref = openCase(connection, conversation);
        connection.resolve(op(connection, conversation, "r1"), ref, Resolution.of("Done"));
        connection.appendActivity(op(connection, conversation, "m2"), ref,
                new Activity("m2", Direction.CUSTOMER, "", "Not fixed", Instant.now()));
        assertThat(view(sandbox, ref).ticket().status()).isEqualTo(Status.OPEN);
        connection.resolve(op(connection, conversation, "r2"), ref, Resolution.of("Done"));
        assertThat(view(sandbox, ref).ticket().status()).isEqualTo(Status.SOLVED);
    }

    @Test
    void aClosedTicketIsFinalAndLeftAlone(ZendeskSandbox sandbox) {
        ZendeskConnection connection = Integrations.open(CONNECTOR, sandbox);
        String conversation = "conv-" + UUID.randomUUID();
        CaseRef ref = openCase(connection, conversation);
        sandbox.agent().solve(Long.parseLong(ref.id()));
        sandbox.agent().close(Long.parseLong(ref.id()));
        connection.resolve(op(connection, conversation, "r1"), ref, Resolution.of("Done"));
        assertThat(view(sandbox, ref).ticket().status()).isEqualTo(Status.CLOSED);
    }

    @Test
    void theStatusOnResolveIsASetting(ZendeskSandbox sandbox) {
        Map<String, Object> raw = Integrations.settingsFor(sandbox);
        raw.put("solvedStatus", "pending");
        ZendeskConnection connection = Integrations.open(CONNECTOR, Integrations.context(raw));
        String conversation = "conv-" + UUID.randomUUID();
        CaseRef ref = openCase(connection, conversation);
        connection.resolve(op(connection, conversation, "r1"), ref, Resolution.of(""));
        TicketView view = view(sandbox, ref);
        assertThat(view.ticket().status()).isEqualTo(Status.PENDING);
        assertThat(view.comments()).hasSize(1); // an empty solution adds no note
    }

    private static CaseRef openCase(ZendeskConnection connection, String conversation) {
        return connection.createCase(op(connection, conversation, "m1"),
                CaseDraft.of(conversation, "Parcel", "", new Customer("Carla", SeedData.CUSTOMER_EMAIL, null)),
                List.of(new Activity("m1", Direction.CUSTOMER, "", "Where is my parcel?", Instant.now())));
    }

    private static TicketView view(ZendeskSandbox sandbox, CaseRef ref) {
        return sandbox.inspect().ticket(Long.parseLong(ref.id())).orElseThrow();
    }
}
