package com.helpdeskconnect.zendesk.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.helpdeskconnect.zendesk.sandbox.model.SeedData;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TicketFieldsTest {
    @RegisterExtension
    static ZendeskSandboxExtension zendesk = new ZendeskSandboxExtension();

    private Zendesk api;

    @BeforeEach
    void setUp() {
        zendesk.reset();
        api = new Zendesk(zendesk.sandbox());
    }

    @Test
    void theCatalogueHoldsSystemAndCustomFieldsWithDropdownOptions() {
        JsonNode fields = api.get("/ticket_fields.json").json().path("ticket_fields");

        List<String> types = new ArrayList<>();
        fields.forEach(f -> types.add(f.path("type").asText()));
        assertThat(types).contains("subject", "description", "status", "tickettype", "priority", "group", "assignee",
                "tagger", "textarea", "text", "checkbox", "decimal", "multiselect");
        JsonNode priority = find(fields, SeedData.FIELD_PRIORITY);
        assertThat(priority.path("removable").asBoolean()).isFalse();
        assertThat(priority.path("system_field_options")).hasSize(4);
        JsonNode sentiment = find(fields, SeedData.FIELD_SENTIMENT);
        assertThat(sentiment.path("title").asText()).isEqualTo("Sentiment");
        assertThat(sentiment.path("removable").asBoolean()).isTrue();
        assertThat(sentiment.path("custom_field_options").get(3).path("name").asText()).isEqualTo("Very unhappy");
        assertThat(sentiment.path("custom_field_options").get(3).path("value").asText()).isEqualTo("very_unhappy");
        assertThat(find(fields, SeedData.FIELD_LEGACY).path("active").asBoolean()).isFalse();
        assertThat(api.get("/ticket_fields/" + SeedData.FIELD_SENTIMENT).json().path("ticket_field").path("id")
                .asLong()).isEqualTo(SeedData.FIELD_SENTIMENT);
    }

    @Test
    void customFieldsTakeOptionValuesNumbersAndCheckboxesWhichTag() {
        long id = api.createTicket("f1");

        Http.Response updated = api.put("/tickets/" + id, "{\"ticket\":{\"custom_fields\":["
                + "{\"id\":" + SeedData.FIELD_SENTIMENT + ",\"value\":\"very_unhappy\"},"
                + "{\"id\":" + SeedData.FIELD_REFUND_AMOUNT + ",\"value\":\"12.50\"},"
                + "{\"id\":" + SeedData.FIELD_TOPICS + ",\"value\":[\"topic_shipping\",\"topic_returns\"]},"
                + "{\"id\":" + SeedData.FIELD_ESCALATED + ",\"value\":true}]}}");

        assertThat(updated.status()).as(updated.body()).isEqualTo(200);
        JsonNode ticket = updated.json().path("ticket");
        assertThat(value(ticket, SeedData.FIELD_SENTIMENT).asText()).isEqualTo("very_unhappy");
        assertThat(value(ticket, SeedData.FIELD_REFUND_AMOUNT).asText()).isEqualTo("12.50");
        assertThat(value(ticket, SeedData.FIELD_TOPICS)).hasSize(2);
        assertThat(value(ticket, SeedData.FIELD_ESCALATED).asBoolean()).isTrue();
        assertThat(ticket.path("tags").toString()).contains("ai_escalated");
    }

    @Test
    void anOptionNameInsteadOfItsValueIsRecordInvalidWithTheFieldKey() {
        long id = api.createTicket("f2");

        Http.Response refused = api.put("/tickets/" + id, "{\"ticket\":{\"custom_fields\":[{\"id\":"
                + SeedData.FIELD_SENTIMENT + ",\"value\":\"Very unhappy\"}],\"comment\":{\"body\":\"lost?\"}}}");

        assertThat(refused.status()).isEqualTo(422);
        JsonNode base = refused.json().path("details").path("base").get(0);
        assertThat(base.path("description").asText()).isEqualTo("Sentiment: is invalid");
        assertThat(base.path("error").asText()).isEqualTo("InvalidValue");
        assertThat(base.path("field_key").asLong()).isEqualTo(SeedData.FIELD_SENTIMENT);
        assertThat(zendesk.inspect().ticket(id).orElseThrow().comments()).hasSize(1);
    }

    @Test
    void anUnknownFieldIdAndABadPriorityAreRefused() {
        long id = api.createTicket("f3");

        Http.Response unknown = api.put("/tickets/" + id, "{\"ticket\":{\"custom_fields\":[{\"id\":123,"
                + "\"value\":\"x\"}]}}");
        Http.Response priority = api.put("/tickets/" + id, "{\"ticket\":{\"priority\":\"critical\"}}");

        assertThat(unknown.status()).isEqualTo(422);
        assertThat(unknown.json().path("details").path("base").get(0).path("field_key").asLong()).isEqualTo(123);
        assertThat(priority.status()).isEqualTo(422);
        assertThat(priority.json().path("details").has("priority")).isTrue();
    }

    private static JsonNode find(JsonNode fields, long id) {
        for (JsonNode field : fields) {
            if (field.path("id").asLong() == id) {
                return field;
            }
        }
        throw new AssertionError("no field " + id);
    }

    private static JsonNode value(JsonNode ticket, long fieldId) {
        for (JsonNode entry : ticket.path("custom_fields")) {
            if (entry.path("id").asLong() == fieldId) {
                return entry.path("value");
            }
        }
        throw new AssertionError("no custom field " + fieldId);
    }
}
