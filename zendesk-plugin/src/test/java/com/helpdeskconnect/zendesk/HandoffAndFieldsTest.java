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
import com.helpdeskconnect.api.cases.FieldDescriptor;
import com.helpdeskconnect.api.cases.FieldType;
import com.helpdeskconnect.api.cases.FieldValues;
import com.helpdeskconnect.api.cases.FillResult;
import com.helpdeskconnect.api.cases.Handoff;
import com.helpdeskconnect.api.errors.ConflictException;
import com.helpdeskconnect.api.errors.ConnectorException;
import com.helpdeskconnect.api.errors.PermanentException;
import com.helpdeskconnect.zendesk.sandbox.ZendeskSandbox;
import com.helpdeskconnect.zendesk.sandbox.ZendeskSandboxExtension;
import com.helpdeskconnect.zendesk.sandbox.faults.FaultRule;
import com.helpdeskconnect.zendesk.sandbox.inspection.TicketView;
import com.helpdeskconnect.zendesk.sandbox.model.Comment;
import com.helpdeskconnect.zendesk.sandbox.model.FieldOption;
import com.helpdeskconnect.zendesk.sandbox.model.SeedData;
import com.helpdeskconnect.zendesk.sandbox.model.Ticket;
import com.helpdeskconnect.zendesk.sandbox.model.TicketField;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The handoff in one update (note, group, assignee, fields), fields by option name, and the catalogue. */
class HandoffAndFieldsTest {
    @RegisterExtension
    static ZendeskSandboxExtension zendesk = new ZendeskSandboxExtension();

    private static final ZendeskConnector CONNECTOR = new ZendeskConnector();
    private static final Map<String, String> FIELD_MAP = Map.of("sentiment", "Sentiment",
            "order", Long.toString(SeedData.FIELD_ORDER_NUMBER), "escalated", "Escalated by AI",
            "refund", "Refund amount", "topics", "Topics", "legacy", "Legacy code");

    @BeforeEach
    void reset() {
        zendesk.reset();
    }

    @AfterAll
    static void close() {
        CONNECTOR.close();
    }

    @Test
    void theHandoffIsOneUpdateWithAnInternalNoteAssignmentAndFields(ZendeskSandbox sandbox) {
        ZendeskConnection connection = open(sandbox);
        String conversation = "conv-" + UUID.randomUUID();
        CaseRef ref = openCase(connection, conversation);
        int puts = sandbox.inspect().requestCount("PUT", "/api/v2/tickets/{id}");

        FillResult result = connection.handOff(op(connection, conversation, "h1"), ref, new Handoff(
                new Activity("h1", Direction.SYSTEM, "", "Parcel lost; customer upset.", Instant.now()),
                Long.toString(SeedData.USER_BOB), Long.toString(SeedData.GROUP_BILLING),
                FieldValues.of(Map.of("priority", "high", "sentiment", "Very unhappy", "type", "Incident"))));

        assertThat(result.applied()).containsExactlyInAnyOrder("priority", "sentiment", "type");
        assertThat(result.rejected()).isEmpty();
        assertThat(sandbox.inspect().requestCount("PUT", "/api/v2/tickets/{id}")).isEqualTo(puts + 1);
        TicketView view = view(sandbox, ref);
        Ticket ticket = view.ticket();
        assertThat(ticket.assigneeId()).isEqualTo(SeedData.USER_BOB);
        assertThat(ticket.groupId()).isEqualTo(SeedData.GROUP_BILLING);
        assertThat(ticket.priority()).isEqualTo("high");
        assertThat(ticket.type()).isEqualTo("incident");
        assertThat(ticket.customFields()).containsEntry(SeedData.FIELD_SENTIMENT, "very_unhappy");
        Comment note = view.comments().get(view.comments().size() - 1);
        assertThat(note.isPublic()).isFalse();
        assertThat(note.body()).isEqualTo("Handoff from the AI assistant\n\nParcel lost; customer upset.");
    }

    @Test
    void aRepeatedHandoffChangesNothingMore(ZendeskSandbox sandbox) {
        ZendeskConnection connection = open(sandbox);
        String conversation = "conv-" + UUID.randomUUID();
        CaseRef ref = openCase(connection, conversation);
        Handoff handoff = new Handoff(new Activity("h1", Direction.SYSTEM, "", "Summary", Instant.now()), null, null,
                FieldValues.of(Map.of("sentiment", "Ecstatic", "priority", "Urgent")));
        OperationContext op = op(connection, conversation, "h1");
        FillResult first = connection.handOff(op, ref, handoff);
        int requests = sandbox.inspect().totalRequests();
        FillResult again = connection.handOff(op.retry(), ref, handoff);
        assertThat(again).isEqualTo(first);
        assertThat(first.rejected()).containsOnlyKeys("sentiment");
        assertThat(first.rejected().get("sentiment")).contains("Positive, Neutral, Negative, Very unhappy");
        assertThat(sandbox.inspect().totalRequests()).isEqualTo(requests);
    }

    @Test
    void aLostHandoffAnswerIsFoundByItsMarker(ZendeskSandbox sandbox) {
        Integrations.Context context = Integrations.context(Integrations.settingsFor(sandbox));
        ZendeskConnection connection = Integrations.open(CONNECTOR, context);
        String conversation = "conv-" + UUID.randomUUID();
        CaseRef ref = openCase(connection, conversation);
        Handoff handoff = new Handoff(new Activity("h1", Direction.SYSTEM, "", "Summary", Instant.now()),
                Long.toString(SeedData.USER_ALICE), null, FieldValues.of(Map.of("priority", "Low")));
        sandbox.faults().add(FaultRule.on("PUT", "/api/v2/tickets").loseAnswer().times(1));
        OperationContext op = op(connection, conversation, "h1");
        ConnectorException lost = catchThrowableOfType(ConnectorException.class, () -> connection.handOff(op, ref, handoff));
        assertThat(lost.retryable()).isTrue();
        // another host process picks the retry up
        FillResult result = Integrations.open(CONNECTOR, context).handOff(op.retry(), ref, handoff);
        assertThat(result.applied()).containsExactly("priority");
        assertThat(view(sandbox, ref).comments()).filteredOn(c -> c.body().contains("Summary")).hasSize(1);
    }

    @Test
    void aClosedTicketRefusesTheHandoffAsAConflict(ZendeskSandbox sandbox) {
        ZendeskConnection connection = open(sandbox);
        String conversation = "conv-" + UUID.randomUUID();
        CaseRef ref = openCase(connection, conversation);
        sandbox.agent().solve(Long.parseLong(ref.id()));
        sandbox.agent().close(Long.parseLong(ref.id()));
        ConflictException e = catchThrowableOfType(ConflictException.class, () -> connection.handOff(
                op(connection, conversation, "h1"), ref,
                new Handoff(new Activity("h1", Direction.SYSTEM, "", "S", Instant.now()), null, null, null)));
        assertThat(e.getMessage()).contains("closed prevents ticket update");
    }

    @Test
    void anAssigneeOutsideTheGroupIsZendesksRefusal(ZendeskSandbox sandbox) {
        ZendeskConnection connection = open(sandbox);
        String conversation = "conv-" + UUID.randomUUID();
        CaseRef ref = openCase(connection, conversation);
        PermanentException e = catchThrowableOfType(PermanentException.class, () -> connection.handOff(
                op(connection, conversation, "h1"), ref,
                new Handoff(new Activity("h1", Direction.SYSTEM, "", "S", Instant.now()),
                        Long.toString(SeedData.USER_ALICE), Long.toString(SeedData.GROUP_BILLING), null)));
        assertThat(e.getMessage()).contains("Assignee: is not a member of the group");
    }

    @Test
    void describeFieldsListsTheMappedFieldsWithTheirOptions(ZendeskSandbox sandbox) {
        List<FieldDescriptor> fields = open(sandbox).describeFields();
        assertThat(fields).extracting(FieldDescriptor::name)
                .containsExactlyInAnyOrder("priority", "type", "sentiment", "order", "escalated", "refund", "topics");
        FieldDescriptor priority = fields.stream().filter(f -> f.name().equals("priority")).findFirst().orElseThrow();
        assertThat(priority.type()).isEqualTo(FieldType.LOOKUP);
        assertThat(priority.allowedValues()).containsExactly("Low", "Normal", "High", "Urgent");
        assertThat(fields).filteredOn(f -> f.name().equals("sentiment")).singleElement().satisfies(f -> {
            assertThat(f.label()).isEqualTo("Sentiment");
            assertThat(f.allowedValues()).containsExactly("Positive", "Neutral", "Negative", "Very unhappy");
        });
        assertThat(fields).filteredOn(f -> f.name().equals("refund")).extracting(FieldDescriptor::type)
                .containsExactly(FieldType.NUMBER);
        assertThat(fields).filteredOn(f -> f.name().equals("escalated")).extracting(FieldDescriptor::type)
                .containsExactly(FieldType.BOOLEAN);
    }

    @Test
    void fillFieldsConvertsEachTypeAndRejectsBadValuesOnTheirOwn(ZendeskSandbox sandbox) {
        ZendeskConnection connection = open(sandbox);
        String conversation = "conv-" + UUID.randomUUID();
        CaseRef ref = openCase(connection, conversation);
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("order", "A-1001");
        values.put("escalated", true);
        values.put("refund", 12.5);
        values.put("topics", "Shipping, returns");
        values.put("sentiment", "neutral");
        values.put("priority", "Critical");
        values.put("legacy", "x");
        values.put("colour", "blue");
        FillResult result = connection.fillFields(op(connection, conversation, "f1"), ref, FieldValues.of(values));
        assertThat(result.applied()).containsExactlyInAnyOrder("order", "escalated", "refund", "topics", "sentiment");
        assertThat(result.rejected()).containsOnlyKeys("priority", "legacy", "colour");
        assertThat(result.rejected().get("priority")).isEqualTo("'Critical' is not one of Low, Normal, High, Urgent");
        assertThat(result.rejected().get("legacy")).contains("inactive");
        assertThat(result.rejected().get("colour")).contains("fieldMap");
        Ticket ticket = view(sandbox, ref).ticket();
        assertThat(ticket.customFields()).containsEntry(SeedData.FIELD_ORDER_NUMBER, "A-1001")
                .containsEntry(SeedData.FIELD_ESCALATED, true)
                .containsEntry(SeedData.FIELD_REFUND_AMOUNT, "12.5")
                .containsEntry(SeedData.FIELD_TOPICS, List.of("topic_shipping", "topic_returns"))
                .containsEntry(SeedData.FIELD_SENTIMENT, "neutral");
        assertThat(ticket.tags()).contains("ai_escalated");
    }

    @Test
    void aDateFieldTakesDatesAndInstants(ZendeskSandbox sandbox) {
        long dateField = 360_000_020_099L;
        sandbox.addTicketField(TicketField.custom(dateField, "date", "Due", List.of()));
        Map<String, Object> raw = Integrations.settingsFor(sandbox);
        raw.put("fieldMap", Map.of("due", "Due"));
        ZendeskConnection connection = Integrations.open(CONNECTOR, Integrations.context(raw));
        String conversation = "conv-" + UUID.randomUUID();
        CaseRef ref = openCase(connection, conversation);
        connection.fillFields(op(connection, conversation, "f1"), ref, FieldValues.of(Map.of("due", LocalDate.of(2026, 3, 1))));
        assertThat(view(sandbox, ref).ticket().customFields()).containsEntry(dateField, "2026-03-01");
        FillResult bad = connection.fillFields(op(connection, conversation, "f2"), ref, FieldValues.of(Map.of("due", "soon")));
        assertThat(bad.rejected()).containsKey("due");
    }

    @Test
    void aValueZendeskStillRefusesIsRejectedAndTheRestWritten(ZendeskSandbox sandbox) {
        ZendeskConnection connection = open(sandbox);
        String conversation = "conv-" + UUID.randomUUID();
        CaseRef ref = openCase(connection, conversation);
        connection.describeFields(); // the catalogue is read and cached now...
        // ...and an admin removes an option afterwards
        sandbox.desk().putField(TicketField.custom(SeedData.FIELD_SENTIMENT, "tagger", "Sentiment",
                List.of(new FieldOption(360_000_030_001L, "Positive", "positive", false))));
        try {
            FillResult result = connection.handOff(op(connection, conversation, "h1"), ref, new Handoff(
                    new Activity("h1", Direction.SYSTEM, "", "Summary", Instant.now()), null, null,
                    FieldValues.of(Map.of("sentiment", "Negative", "priority", "High"))));
            assertThat(result.applied()).containsExactly("priority");
            assertThat(result.rejected().get("sentiment")).startsWith("Zendesk refused it: Sentiment: is invalid");
            assertThat(view(sandbox, ref).ticket().priority()).isEqualTo("high");
            assertThat(view(sandbox, ref).comments()).filteredOn(c -> c.body().contains("Summary")).hasSize(1);
        } finally {
            sandbox.desk().putField(SeedData.ticketFields().stream().filter(f -> f.id() == SeedData.FIELD_SENTIMENT)
                    .findFirst().orElseThrow());
        }
    }

    private static ZendeskConnection open(ZendeskSandbox sandbox) {
        Map<String, Object> raw = Integrations.settingsFor(sandbox);
        raw.put("fieldMap", FIELD_MAP);
        return Integrations.open(CONNECTOR, Integrations.context(raw));
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
