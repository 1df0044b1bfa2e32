package com.helpdeskconnect.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.helpdeskconnect.sandbox.identity.Operation;
import com.helpdeskconnect.sandbox.identity.RegisteredClient;
import com.helpdeskconnect.sandbox.model.Guids;
import com.helpdeskconnect.sandbox.model.StandardRows;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ODataCrudTest {
    @RegisterExtension
    static CreatioSandboxExtension creatio = new CreatioSandboxExtension(b -> b
            .addClient(RegisteredClient.of("READONLY", "SECRET").deny("Case", Operation.CREATE)));

    private String token;

    @BeforeEach
    void resetAndLogIn() {
        creatio.reset();
        token = Http.token(creatio.sandbox());
    }

    @Test
    void postCreatesACaseWithServerFilledColumns() {
        Http.Response response = Http.post(creatio.odataUrl() + "/Case", token,
                "{\"Subject\":\"Printer on fire\",\"OriginId\":\"" + StandardRows.ORIGIN_CHAT + "\"}");

        assertThat(response.status()).isEqualTo(201);
        assertThat(response.contentType()).startsWith("application/json; odata.metadata=minimal");
        assertThat(response.header("OData-Version")).isEqualTo("4.0");
        JsonNode body = response.json();
        String id = body.get("Id").asText();
        assertThat(response.header("Location")).isEqualTo(creatio.odataUrl() + "/Case(" + id + ")");
        assertThat(body.get("@odata.context").asText()).isEqualTo(creatio.odataUrl() + "/$metadata#Case/$entity");
        assertThat(body.get("Number").asText()).isEqualTo("SR00000001");
        assertThat(body.get("StatusId").asText()).isEqualTo(StandardRows.STATUS_NEW);
        assertThat(body.get("PriorityId").asText()).isEqualTo(StandardRows.PRIORITY_MEDIUM);
        assertThat(body.get("OriginId").asText()).isEqualTo(StandardRows.ORIGIN_CHAT);
        assertThat(body.get("OwnerId").asText()).isEqualTo(Guids.EMPTY);
        assertThat(body.get("Symptoms").asText()).isEmpty();
        assertThat(body.get("CreatedById").asText()).isEqualTo(StandardRows.CONTACT_INTEGRATION_USER);
        assertThat(body.get("CreatedOn").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{7}Z");
    }

    @Test
    void clientSuppliedIdIsKeptAndADuplicateFails() {
        String id = "11111111-2222-3333-4444-555555555555";
        String body = "{\"Id\":\"" + id + "\",\"Subject\":\"Once\"}";

        assertThat(Http.post(creatio.odataUrl() + "/Case", token, body).json().get("Id").asText()).isEqualTo(id);
        Http.Response duplicate = Http.post(creatio.odataUrl() + "/Case", token, body);

        assertThat(duplicate.status()).isEqualTo(500);
        assertThat(duplicate.json().at("/error/innererror/internalexception/message").asText())
                .contains("duplicate key");
    }

    @Test
    void patchUpdatesDeleteRemovesAndGetByKeyReads() {
        String id = createCase("Before");

        assertThat(Http.patch(creatio.odataUrl() + "/Case(" + id + ")", token, "{\"Subject\":\"After\"}").status())
                .isEqualTo(204);
        Http.Response read = Http.get(creatio.odataUrl() + "/Case(" + id + ")?$select=Id,Subject", token);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().get("Subject").asText()).isEqualTo("After");
        assertThat(read.json().has("Number")).isFalse();
        assertThat(read.json().get("@odata.context").asText()).endsWith("#Case(Id,Subject)/$entity");

        assertThat(Http.delete(creatio.odataUrl() + "/Case(" + id + ")", token).status()).isEqualTo(204);
        assertThat(Http.get(creatio.odataUrl() + "/Case(" + id + ")", token).status()).isEqualTo(404);
    }

    @Test
    void missingRecordsAre404() {
        String missing = Guids.random();
        assertThat(Http.get(creatio.odataUrl() + "/Case(" + missing + ")", token).status()).isEqualTo(404);
        assertThat(Http.patch(creatio.odataUrl() + "/Case(" + missing + ")", token, "{}").status()).isEqualTo(404);
        assertThat(Http.delete(creatio.odataUrl() + "/Case(" + missing + ")", token).status()).isEqualTo(404);
    }

    @Test
    void unknownColumnInABodyIs400WithODataErrorBody() {
        Http.Response response = Http.post(creatio.odataUrl() + "/Case", token, "{\"Subject\":\"x\",\"Colour\":1}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().at("/error/code").asText()).isEmpty();
        assertThat(response.json().at("/error/message").asText()).contains("'Colour'");
        assertThat(response.json().at("/error/innererror/message").asText()).contains("'Colour'");
    }

    @Test
    void wrongTypesAndMalformedGuidsAre400() {
        assertThat(Http.post(creatio.odataUrl() + "/Case", token, "{\"Subject\":\"x\",\"OwnerId\":\"nope\"}")
                .status()).isEqualTo(400);
        assertThat(Http.post(creatio.odataUrl() + "/Case", token, "{\"Subject\":42}").status()).isEqualTo(400);
        assertThat(Http.get(creatio.odataUrl() + "/Case(not-a-guid)", token).status()).isEqualTo(400);
    }

    @Test
    void missingRequiredSubjectIs400() {
        assertThat(Http.post(creatio.odataUrl() + "/Case", token, "{\"Symptoms\":\"x\"}").status()).isEqualTo(400);
    }

    @Test
    void missingTokenIs401() {
        Http.Response response = Http.get(creatio.odataUrl() + "/Case", null);

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.json().at("/error/message").asText()).isNotEmpty();
    }

    @Test
    void unknownCollectionIs401AsInCreatio() {
        assertThat(Http.get(creatio.odataUrl() + "/Ticket", token).status()).isEqualTo(401);
    }

    @Test
    void putIsNotSupported() {
        String id = createCase("x");
        Http.Response response = Http.send(Http.authorized(creatio.odataUrl() + "/Case(" + id + ")", token)
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{}")));

        assertThat(response.status()).isEqualTo(405);
    }

    @Test
    void aClientWithoutCreateRightGets403() {
        String limited = Http.token(creatio.sandbox(), "READONLY", "SECRET");

        Http.Response response = Http.post(creatio.odataUrl() + "/Case", limited, "{\"Subject\":\"x\"}");

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.json().at("/error/message").asText()).contains("Case");
        assertThat(Http.get(creatio.odataUrl() + "/Case", limited).status()).isEqualTo(200);
    }

    @Test
    void activitiesLinkToCasesAndInspectionShowsThem() {
        String caseId = createCase("With history");
        Http.Response activity = Http.post(creatio.odataUrl() + "/Activity", token, "{\"Title\":\"Hello\","
                + "\"CaseId\":\"" + caseId + "\",\"TypeId\":\"" + StandardRows.ACTIVITY_TYPE_EMAIL + "\","
                + "\"MessageTypeId\":\"" + StandardRows.MESSAGE_TYPE_INCOMING + "\","
                + "\"StartDate\":\"2024-01-02T03:04:05Z\",\"DueDate\":\"2024-01-02T03:04:05.123+01:00\"}");

        assertThat(activity.status()).isEqualTo(201);
        assertThat(activity.json().get("StartDate").asText()).isEqualTo("2024-01-02T03:04:05.0000000Z");
        assertThat(activity.json().get("DueDate").asText()).isEqualTo("2024-01-02T02:04:05.1230000Z");
        assertThat(creatio.inspect().findCase(caseId).orElseThrow().activities())
                .extracting(a -> a.get("Title")).containsExactly("Hello");
        assertThat(creatio.inspect().requestCount("POST", "/0/odata/Activity")).isEqualTo(1);
        assertThat(creatio.inspect().requestCount("POST", "/0/odata/Case")).isEqualTo(1);
    }

    @Test
    void writesPointingAtMissingRecordsFailAsCreatiosForeignKeysDo() {
        String caseId = createCase("Soon gone");
        assertThat(Http.delete(creatio.odataUrl() + "/Case(" + caseId + ")", token).status()).isEqualTo(204);

        Http.Response orphan = Http.post(creatio.odataUrl() + "/Activity", token,
                "{\"Title\":\"Hello\",\"CaseId\":\"" + caseId + "\"}");
        assertThat(orphan.status()).isEqualTo(500);
        assertThat(orphan.json().at("/error/innererror/internalexception/message").asText())
                .contains("INSERT statement conflicted with the FOREIGN KEY constraint", "dbo.Case");
        assertThat(creatio.inspect().rows("Activity")).isEmpty();

        String live = createCase("Still here");
        Http.Response badStatus = Http.patch(creatio.odataUrl() + "/Case(" + live + ")", token,
                "{\"StatusId\":\"" + Guids.random() + "\"}");
        assertThat(badStatus.status()).isEqualTo(500);
        assertThat(badStatus.json().at("/error/innererror/internalexception/message").asText())
                .contains("UPDATE statement conflicted", "dbo.CaseStatus");
        assertThat(creatio.inspect().findCase(live).orElseThrow().statusId()).isEqualTo(StandardRows.STATUS_NEW);

        for (String column : new String[] {"OwnerId", "ContactId", "GroupId", "PriorityId", "CategoryId"}) {
            assertThat(Http.post(creatio.odataUrl() + "/Case", token, "{\"Subject\":\"x\",\"" + column + "\":\""
                    + Guids.random() + "\"}").status()).as(column).isEqualTo(500);
        }
        assertThat(Http.post(creatio.odataUrl() + "/Case", token, "{\"Subject\":\"ok\",\"OwnerId\":\""
                + StandardRows.CONTACT_AGENT + "\",\"GroupId\":\"" + StandardRows.SYS_ADMIN_UNIT_SUPPORT_GROUP
                + "\",\"CategoryId\":\"" + Guids.EMPTY + "\"}").status()).isEqualTo(201);
    }

    private String createCase(String subject) {
        return Http.post(creatio.odataUrl() + "/Case", token, "{\"Subject\":\"" + subject + "\"}")
                .json().get("Id").asText();
    }
}
