package com.helpdeskconnect.host.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.helpdeskconnect.host.testing.Api;
import com.helpdeskconnect.host.testing.HostFixture;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemApiTest {
    @TempDir
    Path dir;
    HostFixture host;

    @BeforeEach
    void start() {
        host = HostFixture.start(dir);
    }

    @AfterEach
    void stop() {
        host.close();
    }

    @Test
    void openApiDescribesEveryRoute() {
        Api.Response spec = host.api.get("/openapi.yaml");
        assertThat(spec.status()).isEqualTo(200);
        for (String path : List.of("/api/v1/connectors:", "/api/v1/integrations/{id}:", "/api/v1/integrations/{id}/fields:",
                "/api/v1/conversations/{conversationId}/events:", "/api/v1/events:", "/api/v1/conversations/{conversationId}:",
                "/api/v1/webhooks/{integrationId}:", "/health:", "/metrics:")) {
            assertThat(spec.text()).contains(path);
        }
    }

    @Test
    void healthReportsDatabaseAndConnectors() {
        JsonNode health = host.api.get("/health").json();
        assertThat(health.get("status").asText()).isEqualTo("UP");
        assertThat(health.get("database").asText()).isEqualTo("UP");
        assertThat(health.get("connectors").asInt()).isEqualTo(1);
    }

    @Test
    void unknownRoutesAnswerTheSameJsonErrorShape() {
        Api.Response missing = host.api.get("/api/v1/nothing");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("error").asText()).isEqualTo("not_found");
        assertThat(missing.json().get("message").asText()).isNotBlank();
    }

    @Test
    void webhookIsAuthenticatedByTheConnectorAndDeduplicated() {
        host.putIntegration("acme", Map.of("webhookSecret", "s3cret"));
        // the reply's case must be linked to a conversation: one for an unlinked case waits for the
        // link and is parked without it (UnlinkedCaseWebhookTest)
        assertThat(host.api.post("/api/v1/conversations/c1/events", Map.of("eventId", "m1", "integrationId", "acme",
                "type", "customer_message", "occurredAt", "2025-03-01T10:00:00Z", "text", "Hello",
                "customer", Map.of("name", "Ada", "email", "ada@example.com"))).status()).isEqualTo(202);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() ->
                host.api.get("/api/v1/conversations/c1?integrationId=acme").json().get("case").hasNonNull("id"));
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.util.function.Function<String, java.net.http.HttpResponse<String>> call = secret -> {
            try {
                return http.send(java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create("http://127.0.0.1:" + host.port() + "/api/v1/webhooks/acme"))
                        .header("X-Webhook-Secret", secret)
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("replied:case-1:On it")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        assertThat(call.apply("wrong").statusCode()).isEqualTo(401);
        // stored first, read by the connector after the answer (issue 8)
        java.net.http.HttpResponse<String> first = call.apply("s3cret");
        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(first.body()).contains("\"status\":\"accepted\"");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() ->
                host.api.get("/api/v1/integrations/acme/webhooks").json().get("webhooks").get(0).get("state").asText().equals("DONE"));
    }
}
