package com.helpdeskconnect.creatio;

import static com.helpdeskconnect.creatio.Integrations.op;
import static org.assertj.core.api.Assertions.assertThat;

import com.helpdeskconnect.api.cases.CaseDraft;
import com.helpdeskconnect.api.cases.CaseRef;
import com.helpdeskconnect.api.cases.Customer;
import com.helpdeskconnect.api.cases.FieldDescriptor;
import com.helpdeskconnect.api.cases.FieldType;
import com.helpdeskconnect.api.cases.FieldValues;
import com.helpdeskconnect.api.cases.FillResult;
import com.helpdeskconnect.sandbox.CreatioSandbox;
import com.helpdeskconnect.sandbox.CreatioSandboxExtension;
import com.helpdeskconnect.sandbox.faults.FaultRule;
import com.helpdeskconnect.sandbox.model.EdmType;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** AI auto-fill: lookups by display name, custom Usr columns typed from $metadata, one PATCH. */
class FieldFillTest {
    @RegisterExtension
    CreatioSandboxExtension creatio = new CreatioSandboxExtension(b -> b
            .customColumn("Case", "UsrSentiment", EdmType.STRING)
            .customColumn("Case", "UsrScore", EdmType.DECIMAL));

    private static CreatioConnection open(CreatioConnector connector, CreatioSandbox sandbox) {
        Map<String, Object> raw = Integrations.settingsFor(sandbox);
        raw.put("fieldMap", Map.of("sentiment", "UsrSentiment", "score", "UsrScore"));
        return Integrations.open(connector, raw);
    }

    @Test
    void aPatchCreatioRefusesWholeIsRetriedFieldByField(CreatioSandbox sandbox) {
        CreatioConnector connector = new CreatioConnector();
        CreatioConnection connection = open(connector, sandbox);
        CaseRef ref = connection.createCase(op(), CaseDraft.of("conv-" + UUID.randomUUID(), "Refused", "", Customer.anonymous()),
                List.of());
        int patchesBefore = sandbox.inspect().requestCount("PATCH", "/0/odata/Case({id})");
        sandbox.faults().add(FaultRule.on("PATCH", "/0/odata/Case").status(400).times(2));

        FillResult result = connection.fillFields(op(), ref, FieldValues.of(Map.of("priority", "Low", "sentiment", "calm")));

        // the whole PATCH and the first single-field PATCH are refused; the second field lands
        assertThat(result.applied()).hasSize(1);
        assertThat(result.rejected()).hasSize(1);
        assertThat(result.rejected().values()).allSatisfy(m -> assertThat(m).startsWith("Creatio refused the value"));
        assertThat(sandbox.inspect().requestCount("PATCH", "/0/odata/Case({id})")).isEqualTo(patchesBefore + 3);
        connector.close();
    }

    @Test
    void catalogueListsDefaultAndCustomFieldsWithAllowedValues(CreatioSandbox sandbox) {
        CreatioConnector connector = new CreatioConnector();
        List<FieldDescriptor> fields = open(connector, sandbox).describeFields();
        assertThat(fields).extracting(FieldDescriptor::name).containsExactlyInAnyOrder("priority", "category", "sentiment", "score");
        FieldDescriptor priority = fields.stream().filter(f -> f.name().equals("priority")).findFirst().orElseThrow();
        assertThat(priority.type()).isEqualTo(FieldType.LOOKUP);
        assertThat(priority.allowedValues()).contains("Critical", "High", "Medium", "Low");
        assertThat(fields.stream().filter(f -> f.name().equals("score")).findFirst().orElseThrow().type())
                .isEqualTo(FieldType.NUMBER);
        connector.close();
    }

    @Test
    void validValuesAreWrittenInOnePatchAndBadOnesRejectedPerField(CreatioSandbox sandbox) {
        CreatioConnector connector = new CreatioConnector();
        CreatioConnection connection = open(connector, sandbox);
        CaseRef ref = connection.createCase(op(), CaseDraft.of("conv-" + UUID.randomUUID(), "Fill", "", Customer.anonymous()),
                List.of());
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("priority", "high");
        values.put("category", "Incident");
        values.put("sentiment", "frustrated");
        values.put("score", "lots");
        values.put("colour", "blue");
        int patchesBefore = sandbox.inspect().requestCount("PATCH", "/0/odata/Case({id})");
        FillResult result = connection.fillFields(op(), ref, FieldValues.of(values));
        assertThat(result.applied()).containsExactlyInAnyOrder("priority", "category", "sentiment");
        assertThat(result.rejected()).containsOnlyKeys("score", "colour");
        assertThat(sandbox.inspect().requestCount("PATCH", "/0/odata/Case({id})")).isEqualTo(patchesBefore + 1);
        Map<String, Object> row = sandbox.inspect().findCase(ref.id()).orElseThrow().fields();
        assertThat(String.valueOf(row.get("PriorityId"))).isEqualTo("8b700f24-f46b-1410-ee8c-0050ba5d6c38");
        assertThat(row.get("UsrSentiment")).isEqualTo("frustrated");

        FillResult score = connection.fillFields(op(), ref, FieldValues.of(Map.of("score", "4.5")));
        assertThat(score.applied()).containsExactly("score");
        assertThat(new BigDecimal(String.valueOf(sandbox.inspect().findCase(ref.id()).orElseThrow().fields().get("UsrScore"))))
                .isEqualByComparingTo("4.5");
        connector.close();
    }
}
