package com.helpdeskconnect.host.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.helpdeskconnect.host.testing.Api;
import com.helpdeskconnect.host.testing.HostFixture;
import com.helpdeskconnect.host.testing.Journal;
import com.helpdeskconnect.host.testing.TestPluginJar;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A connector with {@code createCase} and nothing else, through the whole host: every optional
 * operation keeps the SPI default that throws, so a single call of one would park a row. Nothing
 * parks, nothing stalls, and each step the host did not run is listed under {@code skipped}.
 */
class MinimalConnectorTest {
    @TempDir
    Path dir;
    HostFixture host;
    Path journal;

    @BeforeEach
    void start() {
        TestPluginJar.install(TestPluginJar.Source.MINIMAL, dir.resolve("plugins"));
        host = HostFixture.start(dir);
        journal = dir.resolve("minimal-journal.txt");
    }

    @AfterEach
    void stop() {
        host.close();
    }

    @Test
    void everyStepWithoutItsCapabilityIsSkippedVisiblyAndNothingStalls() throws Exception {
        assertThat(save(Map.of()).status()).isEqualTo(200);
        assertThat(post("c1", message("m1", "customer_message", "I cannot log in"))).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> conversation("c1").get("case").hasNonNull("id"));
        assertThat(post("c1", message("m2", "ai_reply", "Have you tried resetting?"))).isEqualTo(202);
        assertThat(post("c1", handoff("h1"))).isEqualTo(202);
        assertThat(post("c1", Map.of("eventId", "r1", "integrationId", "mini", "type", "resolved",
                "occurredAt", "2025-03-01T10:09:00Z", "resolution", "Password reset"))).isEqualTo(202);
        assertThat(post("c1", message("m3", "customer_message", "It broke again"))).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> conversation("c1").get("pending").isEmpty());

        JsonNode c = conversation("c1");
        assertThat(c.get("parked")).isEmpty();
        assertThat(c.get("case").get("id").asText()).isEqualTo("min-c1");
        // the customer wrote after the resolution: the conversation is open again
        assertThat(c.get("status").asText()).isEqualTo("open");
        assertThat(c.get("skipped")).extracting(s -> s.get("operation").asText() + " " + s.get("eventId").asText())
                .containsExactly("appendActivity m2", "handOff h1", "resolve r1", "appendActivity m3");
        assertThat(c.get("skipped")).allSatisfy(s -> {
            assertThat(s.get("operationId").asLong()).isPositive();
            assertThat(s.get("reason").asText()).startsWith("Connector 'minimal' does not declare ");
        });
        assertThat(c.get("skipped").get(1).get("reason").asText()).contains("HANDOFF");
        // only the first message reached the helpdesk, with the case; the rest stays on the conversation
        assertThat(Journal.of(journal, "CASE")).singleElement().satisfies(l -> assertThat(l.get(1)).isEqualTo("c1"));
        assertThat(Journal.activityIds(journal)).containsExactly("m1");
        assertThat(c.get("transcript")).filteredOn(t -> t.get("eventId").asText().equals("m1"))
                .allSatisfy(t -> assertThat(t.get("syncedAt").isNull()).isFalse());
        assertThat(c.get("transcript")).filteredOn(t -> t.get("eventId").asText().equals("m2"))
                .allSatisfy(t -> assertThat(t.get("syncedAt").isNull()).isTrue());

        // no WEBHOOKS: the webhook URL does not exist for it, and nothing is stored
        HttpResponse<String> webhook = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + host.port() + "/webhooks/mini"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(webhook.statusCode()).isEqualTo(404);
        assertThat(webhook.body()).contains("not_supported");
        assertThat(host.api.get("/api/v1/integrations/mini/webhooks").json().get("webhooks")).isEmpty();
        // no FILL_FIELDS: no field catalogue
        assertThat(host.api.get("/api/v1/integrations/mini/fields").status()).isEqualTo(501);
    }

    @Test
    void inHandoffOnlyModeTheCaseStillOpensAtHandoffWithoutOwnerOrGroup() {
        Api.Response saved = save(Map.of("createCaseOnlyOnHandoff", true));
        assertThat(saved.status()).isEqualTo(200);
        assertThat(saved.json().get("options").get("createCaseOnlyOnHandoff").asBoolean()).isTrue();
        post("c2", message("m1", "customer_message", "Hello"));
        post("c2", message("m2", "ai_reply", "Hi, how can I help?"));
        await().atMost(Duration.ofSeconds(60)).until(() -> conversation("c2").get("pending").isEmpty());
        assertThat(Journal.lines(journal)).isEmpty();

        post("c2", handoff("h1"));
        await().atMost(Duration.ofSeconds(60)).until(() -> conversation("c2").get("pending").isEmpty());
        JsonNode c = conversation("c2");
        assertThat(c.get("parked")).isEmpty();
        assertThat(c.get("status").asText()).isEqualTo("handed_off");
        assertThat(Journal.of(journal, "CASE")).singleElement().satisfies(l -> {
            assertThat(Journal.decode(l.get(3))).isEqualTo("null"); // no ASSIGN: the owner is not passed
            assertThat(Journal.decode(l.get(4))).isEqualTo("Customer cannot log in"); // the summary describes the case
        });
        assertThat(Journal.activityIds(journal)).containsExactly("m1", "m2");
        assertThat(c.get("skipped")).extracting(s -> s.get("operation").asText())
                .containsExactlyInAnyOrder("assign", "handOff");
        assertThat(c.get("skipped")).allSatisfy(s -> assertThat(s.get("eventId").asText()).isEqualTo("h1"));
    }

    private Api.Response save(Map<String, Object> options) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("connector", "minimal");
        body.put("settings", Map.of("journal", journal.toString()));
        body.put("options", options);
        return host.api.put("/api/v1/integrations/mini", body);
    }

    private int post(String conversation, Map<String, Object> event) {
        return host.api.post("/api/v1/conversations/" + conversation + "/events", event).status();
    }

    private JsonNode conversation(String id) {
        return host.api.get("/api/v1/conversations/" + id + "?integrationId=mini").json();
    }

    static Map<String, Object> message(String eventId, String type, String text) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("eventId", eventId);
        event.put("integrationId", "mini");
        event.put("type", type);
        event.put("occurredAt", "2025-03-01T10:00:00Z");
        event.put("text", text);
        return event;
    }

    static Map<String, Object> handoff(String eventId) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("eventId", eventId);
        event.put("integrationId", "mini");
        event.put("type", "handoff");
        event.put("occurredAt", "2025-03-01T10:05:00Z");
        event.put("summary", "Customer cannot log in");
        event.put("fields", Map.of("priority", "High"));
        event.put("ownerId", "agent-7");
        event.put("groupId", "tier-1");
        return event;
    }
}
