package com.helpdeskconnect.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.helpdeskconnect.sandbox.model.Guids;
import com.helpdeskconnect.sandbox.model.StandardRows;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class BatchTest {
    @RegisterExtension
    static CreatioSandboxExtension creatio = new CreatioSandboxExtension();

    private String token;

    @BeforeEach
    void logIn() {
        creatio.reset();
        token = Http.token(creatio.sandbox());
    }

    @Test
    void entriesRunInOrderWithLowerCaseHeaders() {
        String caseId = "aaaaaaaa-0000-0000-0000-000000000001";
        JsonNode responses = batch(null, "{\"requests\":["
                + "{\"id\":\"1\",\"method\":\"POST\",\"url\":\"Case\",\"headers\":{\"Content-Type\":\"application/json\"},"
                + "\"body\":{\"Id\":\"" + caseId + "\",\"Subject\":\"Batched\"}},"
                + "{\"id\":\"2\",\"method\":\"POST\",\"url\":\"Activity\",\"body\":{\"Title\":\"First\",\"CaseId\":\""
                + caseId + "\",\"TypeId\":\"" + StandardRows.ACTIVITY_TYPE_EMAIL + "\"}},"
                + "{\"id\":\"3\",\"method\":\"GET\",\"url\":\"Case(" + caseId + ")?$select=Subject\"}]}");

        assertThat(responses).hasSize(3);
        assertThat(responses.get(0).get("status").asInt()).isEqualTo(201);
        assertThat(responses.get(0).at("/headers/location").asText()).endsWith("/0/odata/Case(" + caseId + ")");
        assertThat(responses.get(1).get("status").asInt()).isEqualTo(201);
        assertThat(responses.get(2).at("/body/Subject").asText()).isEqualTo("Batched");
        assertThat(creatio.inspect().findCase(caseId).orElseThrow().activities()).hasSize(1);
    }

    @Test
    void keysInTheSlashFormWorkAsInCreatiosOwnExamples() {
        String caseId = "aaaaaaaa-0000-0000-0000-000000000002";
        JsonNode responses = batch(null, "{\"requests\":["
                + "{\"id\":\"1\",\"method\":\"POST\",\"url\":\"Case\",\"body\":{\"Id\":\"" + caseId
                + "\",\"Subject\":\"Before\"}},"
                + "{\"id\":\"2\",\"method\":\"PATCH\",\"url\":\"Case/" + caseId + "\",\"body\":{\"Subject\":\"After\"}},"
                + "{\"id\":\"3\",\"method\":\"GET\",\"url\":\"Case/" + caseId + "?$select=Subject\"},"
                + "{\"id\":\"4\",\"method\":\"GET\",\"url\":\"Case(" + caseId + ")?$select=Subject\"}]}");

        assertThat(responses).extracting(r -> r.get("status").asInt()).containsExactly(201, 204, 200, 200);
        assertThat(responses.get(2).at("/body/Subject").asText()).isEqualTo("After");
        assertThat(responses.get(3).at("/body/Subject").asText()).isEqualTo("After");
        assertThat(Http.get(creatio.odataUrl() + "/Case/" + caseId + "?$select=Subject", token).json()
                .get("Subject").asText()).isEqualTo("After");
    }

    @Test
    void entriesOfAnAtomicityGroupCarryAServerGeneratedGroupId() {
        JsonNode responses = batch(null, "{\"requests\":["
                + "{\"id\":\"1\",\"method\":\"POST\",\"url\":\"Case\",\"body\":{\"Subject\":\"Alone\"}},"
                + "{\"id\":\"2\",\"atomicityGroup\":\"g1\",\"method\":\"POST\",\"url\":\"Case\",\"body\":{\"Subject\":\"A\"}},"
                + "{\"id\":\"3\",\"atomicityGroup\":\"g1\",\"method\":\"POST\",\"url\":\"Case\",\"body\":{\"Subject\":\"B\"}},"
                + "{\"id\":\"4\",\"atomicityGroup\":\"g2\",\"method\":\"POST\",\"url\":\"Case\",\"body\":{\"Subject\":\"C\"}}]}");

        assertThat(responses.get(0).has("atomicityGroup")).isFalse();
        String g1 = responses.get(1).get("atomicityGroup").asText();
        assertThat(Guids.isGuid(g1)).isTrue();
        assertThat(g1).isNotEqualTo("g1");
        assertThat(responses.get(2).get("atomicityGroup").asText()).isEqualTo(g1);
        assertThat(responses.get(3).get("atomicityGroup").asText()).isNotEqualTo(g1);
    }

    @Test
    void stopsAtTheFirstFailureByDefault() {
        JsonNode responses = batch(null, failingBatch());

        assertThat(responses).hasSize(2);
        assertThat(responses.get(1).get("status").asInt()).isEqualTo(400);
        assertThat(responses.get(1).at("/body/error/message").asText()).contains("Colour");
        assertThat(creatio.inspect().cases()).hasSize(1);
    }

    @Test
    void continuesOnErrorWhenPreferred() {
        JsonNode responses = batch("continue-on-error", failingBatch());

        assertThat(responses).extracting(r -> r.get("status").asInt()).containsExactly(201, 400, 201);
        assertThat(creatio.inspect().cases()).hasSize(2);
    }

    @Test
    void moreThanAHundredEntriesAreRefused() {
        StringBuilder body = new StringBuilder("{\"requests\":[");
        for (int i = 0; i < 101; i++) {
            body.append(i == 0 ? "" : ",").append("{\"id\":\"").append(i).append("\",\"method\":\"GET\",\"url\":\"CaseStatus\"}");
        }
        Http.Response response = Http.post(creatio.odataUrl() + "/$batch", token, body.append("]}").toString());

        assertThat(response.status()).isEqualTo(400);
    }

    private static String failingBatch() {
        return "{\"requests\":["
                + "{\"id\":\"1\",\"method\":\"POST\",\"url\":\"Case\",\"body\":{\"Subject\":\"One\"}},"
                + "{\"id\":\"2\",\"method\":\"POST\",\"url\":\"Case\",\"body\":{\"Subject\":\"Bad\",\"Colour\":1}},"
                + "{\"id\":\"3\",\"method\":\"POST\",\"url\":\"Case\",\"body\":{\"Subject\":\"Three\"}}]}";
    }

    private JsonNode batch(String prefer, String body) {
        HttpRequest.Builder request = Http.authorized(creatio.odataUrl() + "/$batch", token)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (prefer != null) {
            request.header("Prefer", prefer);
        }
        Http.Response response = Http.send(request);
        assertThat(response.status()).isEqualTo(200);
        return response.json().get("responses");
    }
}
