package com.helpdeskconnect.creatio;

import static org.assertj.core.api.Assertions.assertThat;

import com.helpdeskconnect.api.Integration;
import com.helpdeskconnect.api.cases.Activity;
import com.helpdeskconnect.api.cases.CaseDraft;
import com.helpdeskconnect.api.cases.CaseRef;
import com.helpdeskconnect.api.cases.Customer;
import com.helpdeskconnect.api.cases.Direction;
import com.helpdeskconnect.api.cases.FieldValues;
import com.helpdeskconnect.api.cases.FillResult;
import com.helpdeskconnect.api.cases.Handoff;
import com.helpdeskconnect.sandbox.CreatioSandbox;
import com.helpdeskconnect.sandbox.CreatioSandboxExtension;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A handoff assigns owner and group, fills fields and adds the summary in one $batch, idempotently. */
class HandoffTest {
    private static final String SUPERVISOR_CONTACT = "410006e1-ca4e-4502-a9ec-e54d922d2c00";

    @RegisterExtension
    CreatioSandboxExtension creatio = new CreatioSandboxExtension();

    @Test
    void handOffAssignsFillsAndSummarisesInOneBatch(CreatioSandbox sandbox) {
        CreatioConnector connector = new CreatioConnector();
        Integration integration = Integrations.of(sandbox);
        CaseRef ref = connector.createCase(integration, CaseDraft.of("conv-" + UUID.randomUUID(), "Handoff", "", Customer.anonymous()));
        String group = sandbox.inspect().rows("SysAdminUnit").stream()
                .map(r -> String.valueOf(r.get("Id"))).findFirst().orElseThrow();
        Handoff handoff = new Handoff(new Activity("summary-1", Direction.SYSTEM, "", "Customer wants a refund", Instant.now()),
                SUPERVISOR_CONTACT, group, FieldValues.of(Map.of("priority", "Critical", "colour", "blue")));
        int batchesBefore = sandbox.inspect().requestCount("POST", "/0/odata/$batch");

        FillResult result = connector.handOff(integration, ref, handoff);
        connector.handOff(integration, ref, handoff);

        assertThat(result.applied()).containsExactly("priority");
        assertThat(result.rejected()).containsOnlyKeys("colour");
        assertThat(sandbox.inspect().requestCount("POST", "/0/odata/$batch")).isEqualTo(batchesBefore + 2);
        Map<String, Object> row = sandbox.inspect().findCase(ref.id()).orElseThrow().fields();
        assertThat(String.valueOf(row.get("OwnerId"))).isEqualTo(SUPERVISOR_CONTACT);
        assertThat(String.valueOf(row.get("GroupId"))).isEqualTo(group);
        assertThat(String.valueOf(row.get("PriorityId"))).isEqualTo("afb33208-f46b-1410-ec8c-0050ba5d6c38");
        assertThat(sandbox.inspect().findCase(ref.id()).orElseThrow().activities())
                .filteredOn(a -> "Customer wants a refund".equals(a.get("Body"))).hasSize(1);
        connector.close();
    }
}
