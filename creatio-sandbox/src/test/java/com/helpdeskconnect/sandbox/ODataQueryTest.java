package com.helpdeskconnect.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.helpdeskconnect.sandbox.model.StandardRows;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ODataQueryTest {
    @RegisterExtension
    static CreatioSandboxExtension creatio = new CreatioSandboxExtension();

    private static String token;

    @BeforeAll
    static void seedCases() {
        token = Http.token(creatio.sandbox());
        create("Alpha printer", StandardRows.CONTACT_AGENT, StandardRows.PRIORITY_HIGH);
        create("Beta network", StandardRows.CONTACT_AGENT, StandardRows.PRIORITY_LOW);
        create("Gamma printer", "", StandardRows.PRIORITY_CRITICAL);
        create("O'Brien's laptop", "", StandardRows.PRIORITY_MEDIUM);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Case", "Activity", "CaseStatus", "CasePriority", "CaseCategory", "CaseOrigin",
        "Contact", "SysAdminUnit", "ActivityType", "ActivityCategory", "ActivityStatus", "ClosureCode",
        "PortalMessage"})
    void everyCollectionAnswersACollection(String collection) {
        Http.Response response = Http.get(creatio.odataUrl() + "/" + collection + "?$top=50", token);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("@odata.context").asText()).endsWith("/$metadata#" + collection);
        assertThat(response.json().get("value").isArray()).isTrue();
    }

    @Test
    void standardLookupsHaveCreatiosGuids() {
        JsonNode statuses = query("CaseStatus", "$select=Id,Name,IsFinal,IsResolved,IsPaused");

        assertThat(statuses).hasSize(7);
        assertThat(subjects(query("CaseStatus", "$filter=" + Http.encode("IsResolved eq true")), "Name"))
                .containsExactly("Resolved");
        assertThat(subjects(query("CaseOrigin", "$filter=" + Http.encode(
                "Id eq " + StandardRows.ORIGIN_CHAT)), "Name")).containsExactly("Chat");
    }

    @Test
    void filtersCombineEqAndOrContainsStartswith() {
        assertThat(subjects(query("Case", filter("contains(Subject,'printer') and PriorityId eq "
                + StandardRows.PRIORITY_HIGH)))).containsExactly("Alpha printer");
        assertThat(subjects(query("Case", filter("startswith(Subject,'Beta') or Subject eq 'Gamma printer'"))))
                .containsExactly("Beta network", "Gamma printer");
        assertThat(subjects(query("Case", filter("Subject ne 'Alpha printer' and not contains(Subject,'printer')"))))
                .containsExactly("Beta network", "O'Brien's laptop");
        assertThat(subjects(query("Case", filter("Subject eq 'O''Brien''s laptop'")))).hasSize(1);
        assertThat(subjects(query("Case", filter("contains(Subject,'PRINTER')")))).hasSize(2);
    }

    @Test
    void lookupsFilterAsNavigationIdOrFlatColumn() {
        assertThat(query("Case", filter("Owner/Id eq " + StandardRows.CONTACT_AGENT))).hasSize(2);
        assertThat(query("Case", filter("OwnerId eq " + StandardRows.CONTACT_AGENT))).hasSize(2);
        assertThat(query("Case", filter("Priority/Priority le 2"))).hasSize(2);
    }

    @Test
    void quotedGuidAgainstALookupIsATypeError() {
        Http.Response response = Http.get(creatio.odataUrl() + "/Case?" + filter("OwnerId eq '"
                + StandardRows.CONTACT_AGENT + "'"), token);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().at("/error/message").asText()).contains("Edm.Guid", "Edm.String");
    }

    @Test
    void unknownPropertiesAndBadSyntaxAre400() {
        assertThat(Http.get(creatio.odataUrl() + "/Case?" + filter("Colour eq 'red'"), token).status())
                .isEqualTo(400);
        assertThat(Http.get(creatio.odataUrl() + "/Case?$select=Id,Colour", token).status()).isEqualTo(400);
        assertThat(Http.get(creatio.odataUrl() + "/Case?" + filter("Subject eq"), token).status()).isEqualTo(400);
        assertThat(Http.get(creatio.odataUrl() + "/Case?$top=-1", token).status()).isEqualTo(400);
    }

    @Test
    void orderbyTopSkipAndCountPage() {
        Http.Response response = Http.get(creatio.odataUrl() + "/Case?$select=Subject&$orderby="
                + Http.encode("Subject desc") + "&$top=2&$skip=1&$count=true", token);

        JsonNode json = response.json();
        assertThat(json.get("@odata.count").asInt()).isEqualTo(4);
        assertThat(subjects(json.get("value"))).containsExactly("Gamma printer", "Beta network");
        assertThat(json.get("value").get(0).has("Id")).isFalse();
    }

    @Test
    void datesCompareUnquoted() {
        assertThat(query("Case", filter("CreatedOn gt 2000-01-01T00:00:00Z"))).hasSize(4);
        assertThat(query("Case", filter("CreatedOn lt 2000-01-01T00:00:00Z"))).isEmpty();
    }

    private static void create(String subject, String ownerId, String priorityId) {
        String owner = ownerId.isEmpty() ? "" : ",\"OwnerId\":\"" + ownerId + "\"";
        Http.Response response = Http.post(creatio.odataUrl() + "/Case", token,
                "{\"Subject\":\"" + subject + "\",\"PriorityId\":\"" + priorityId + "\"" + owner + "}");
        assertThat(response.status()).isEqualTo(201);
    }

    private static String filter(String expression) {
        return "$filter=" + Http.encode(expression);
    }

    private static JsonNode query(String collection, String options) {
        Http.Response response = Http.get(creatio.odataUrl() + "/" + collection + "?" + options, token);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().get("value");
    }

    private static List<String> subjects(JsonNode rows) {
        return subjects(rows, "Subject");
    }

    private static List<String> subjects(JsonNode rows, String column) {
        List<String> values = new ArrayList<>();
        rows.forEach(row -> values.add(row.get(column).asText()));
        return values;
    }
}
