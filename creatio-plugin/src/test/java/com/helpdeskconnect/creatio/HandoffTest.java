package com.helpdeskconnect.creatio;

import static com.helpdeskconnect.creatio.Integrations.op;
import static org.assertj.core.api.Assertions.assertThat;

import com.helpdeskconnect.api.cases.Activity;
import com.helpdeskconnect.api.cases.CaseDraft;
import com.helpdeskconnect.api.cases.CaseRef;
import com.helpdeskconnect.api.cases.Customer;
import com.helpdeskconnect.api.cases.Direction;
import com.helpdeskconnect.api.cases.FieldValues;
import com.helpdeskconnect.api.cases.FillResult;
import com.helpdeskconnect.api.cases.Handoff;
import com.helpdeskconnect.api.cases.Visibility;
import com.helpdeskconnect.sandbox.CreatioSandbox;
import com.helpdeskconnect.sandbox.CreatioSandboxExtension;
import com.helpdeskconnect.sandbox.model.StandardRows;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A handoff assigns owner and group, fills fields and adds the summary in one $batch, idempotently. */
class HandoffTest {
    @RegisterExtension
    CreatioSandboxExtension creatio = new CreatioSandboxExtension();

    @Test
    void handOffAssignsFillsAndSummarisesInOneBatch(CreatioSandbox sandbox) {
        CreatioConnector connector = new CreatioConnector();
        CreatioConnection connection = Integrations.open(connector, sandbox);
        CaseRef ref = connection.createCase(op(), CaseDraft.of("conv-" + UUID.randomUUID(), "Handoff", "",
                Customer.anonymous()), List.of());
        String group = StandardRows.SYS_ADMIN_UNIT_SUPPORT_GROUP;
        Handoff handoff = new Handoff(new Activity("summary-1", Direction.SYSTEM, "", "Customer wants a refund", Instant.now()),
                StandardRows.CONTACT_SUPERVISOR, group, FieldValues.of(Map.of("priority", "Critical", "colour", "blue")));
        int batchesBefore = sandbox.inspect().requestCount("POST", "/0/odata/$batch");

        FillResult result = connection.handOff(op(), ref, handoff);
        connection.handOff(op().retry(), ref, handoff);

        assertThat(result.applied()).containsExactly("priority");
        assertThat(result.rejected()).containsOnlyKeys("colour");
        assertThat(sandbox.inspect().requestCount("POST", "/0/odata/$batch")).isEqualTo(batchesBefore + 2);
        Map<String, Object> row = sandbox.inspect().findCase(ref.id()).orElseThrow().fields();
        assertThat(String.valueOf(row.get("OwnerId"))).isEqualTo(StandardRows.CONTACT_SUPERVISOR);
        assertThat(String.valueOf(row.get("GroupId"))).isEqualTo(group);
        assertThat(String.valueOf(row.get("PriorityId"))).isEqualTo("afb33208-f46b-1410-ec8c-0050ba5d6c38");
        assertThat(sandbox.inspect().findCase(ref.id()).orElseThrow().activities())
                .filteredOn(a -> "Customer wants a refund".equals(a.get("Body"))).hasSize(1);
        connector.close();
    }

    @Test
    void theSummaryIsAnInternalNoteEvenWhenSentAsPublic(CreatioSandbox sandbox) {
        CreatioConnector connector = new CreatioConnector();
        CreatioConnection connection = Integrations.open(connector, sandbox);
        CaseRef ref = connection.createCase(op(), CaseDraft.of("conv-" + UUID.randomUUID(), "Internal", "",
                Customer.anonymous()), List.of());
        Activity publicSummary = new Activity("summary-2", Direction.AI, "", "Refund approved by policy 7",
                Instant.now(), Visibility.PUBLIC);
        connection.handOff(op(), ref, new Handoff(publicSummary, null, null, null));

        Map<String, Object> note = sandbox.inspect().findCase(ref.id()).orElseThrow().activities().stream()
                .filter(a -> "Refund approved by policy 7".equals(a.get("Body"))).findFirst().orElseThrow();
        assertThat(note.get("TypeId")).as("a Task, outside the message history").isEqualTo(StandardRows.ACTIVITY_TYPE_TASK);
        assertThat(note.get("StatusId")).isEqualTo(StandardRows.ACTIVITY_STATUS_COMPLETED);
        assertThat(String.valueOf(note.get("MessageTypeId"))).doesNotContain(StandardRows.MESSAGE_TYPE_OUTGOING);
        connector.close();
    }
}
