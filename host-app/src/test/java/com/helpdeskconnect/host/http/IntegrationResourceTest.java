package com.helpdeskconnect.host.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.helpdeskconnect.host.storage.Database;
import com.helpdeskconnect.host.storage.IntegrationStore;
import com.helpdeskconnect.host.storage.SecretBox;
import com.helpdeskconnect.host.testing.Api;
import com.helpdeskconnect.host.testing.HostFixture;
import com.helpdeskconnect.host.testing.Journal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The integration resource on SPI 2.0: host-owned {@code options}, the connector's generated secret
 * as the webhook secret, masked secrets kept by their {@code boundTo} settings, verify's "try again",
 * the connection's lifecycle, and an integration saved before any of this.
 */
class IntegrationResourceTest {
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
    void optionsAreShownSetAndKeptWhenLeftOut() {
        JsonNode first = save(host.settings(Map.of()), null).json();
        assertThat(first.get("options").get("createCaseOnlyOnHandoff").asBoolean()).isFalse();
        assertThat(save(host.settings(Map.of()), Map.of("createCaseOnlyOnHandoff", true)).json()
                .get("options").get("createCaseOnlyOnHandoff").asBoolean()).isTrue();
        // absent, or an object without it: the stored value stays
        assertThat(save(host.settings(Map.of()), null).json().get("options").get("createCaseOnlyOnHandoff").asBoolean()).isTrue();
        assertThat(save(host.settings(Map.of()), Map.of()).json().get("options").get("createCaseOnlyOnHandoff").asBoolean()).isTrue();
        assertThat(host.api.get("/api/v1/integrations/acme").json().get("options").get("createCaseOnlyOnHandoff").asBoolean())
                .isTrue();
        assertThat(save(host.settings(Map.of()), Map.of("createCaseOnlyOnHandoff", false)).json()
                .get("options").get("createCaseOnlyOnHandoff").asBoolean()).isFalse();

        Api.Response wrongType = save(host.settings(Map.of()), Map.of("createCaseOnlyOnHandoff", "sometimes"));
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.json().get("fields").get("options.createCaseOnlyOnHandoff").asText()).isEqualTo("must be true or false");
        Api.Response unknown = save(host.settings(Map.of()), Map.of("autoClose", true));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("fields").get("options.autoClose").asText()).contains("is not an option");
        Map<String, Object> notAnObject = new LinkedHashMap<>(Map.of("connector", "fakedesk", "settings", host.settings(Map.of())));
        notAnObject.put("options", List.of(true));
        assertThat(host.api.put("/api/v1/integrations/acme", notAnObject).json().get("fields").has("options")).isTrue();
        assertThat(host.api.get("/api/v1/integrations/acme").json().get("options").get("createCaseOnlyOnHandoff").asBoolean())
                .isFalse();
    }

    @Test
    void aV1ClientsOptionInsideTheSettingsMovesToTheOptions() {
        JsonNode saved = host.putIntegration("acme", Map.of("createCaseOnlyOnHandoff", true)).json();
        assertThat(saved.get("options").get("createCaseOnlyOnHandoff").asBoolean()).isTrue();
        assertThat(saved.get("settings").has("createCaseOnlyOnHandoff")).isFalse();
        // as text, as v1 clients sometimes sent it; an explicit option wins over it
        assertThat(host.putIntegration("acme", Map.of("createCaseOnlyOnHandoff", "false")).json()
                .get("options").get("createCaseOnlyOnHandoff").asBoolean()).isFalse();
        assertThat(save(host.settings(Map.of("createCaseOnlyOnHandoff", false)), Map.of("createCaseOnlyOnHandoff", true)).json()
                .get("options").get("createCaseOnlyOnHandoff").asBoolean()).isTrue();
        Api.Response bad = host.putIntegration("acme", Map.of("createCaseOnlyOnHandoff", "maybe"));
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.json().get("fields").get("createCaseOnlyOnHandoff").asText()).isEqualTo("must be true or false");
    }

    @Test
    void theGeneratedSecretIsMadeOnceAndAnEnteredOneWinsUntilRemoved() {
        String made = host.putIntegration("acme", Map.of("url", "https://desk.example")).json().get("webhook").get("secret").asText();
        assertThat(made).matches("[A-Za-z0-9_-]{43}"); // 32 random bytes, base64url
        JsonNode again = host.putIntegration("acme", Map.of("url", "https://other.example", "delayMs", 1)).json();
        assertThat(again.get("webhook").get("secret").asText()).isEqualTo(made);
        assertThat(again.get("settings").get("webhookSecret").asText()).isEqualTo("********");
        assertThat(host.putIntegration("acme", Map.of("url", "https://other.example", "webhookSecret", "********")).json()
                .get("webhook").get("secret").asText()).isEqualTo(made);
        // entered by the admin: that one; removed again: the generated one is back
        assertThat(host.putIntegration("acme", Map.of("url", "https://other.example", "webhookSecret", "mine")).json()
                .get("webhook").get("secret").asText()).isEqualTo("mine");
        assertThat(host.putIntegration("acme", Map.of("url", "https://other.example")).json()
                .get("webhook").get("secret").asText()).isEqualTo(made);
    }

    @Test
    void aMaskedSecretIsKeptOnlyWhileTheSettingsItIsBoundToStayTheSame() {
        assertThat(host.putIntegration("acme", Map.of("url", "https://desk.example")).status()).isEqualTo(200);
        assertThat(host.putIntegration("acme", Map.of("url", "https://desk.example ", "password", "********")).status())
                .isEqualTo(200);
        Api.Response moved = host.putIntegration("acme", Map.of("url", "https://attacker.example", "password", "********"));
        assertThat(moved.status()).isEqualTo(422);
        assertThat(moved.json().get("error").asText()).isEqualTo("secret_required");
        assertThat(moved.json().get("fields").get("password").asText()).contains("re-enter").contains("url");
        assertThat(host.api.get("/api/v1/integrations/acme").json().get("settings").get("url").asText())
                .isEqualTo("https://desk.example ");
    }

    @Test
    void aHelpdeskOutageDuringVerifyIsTryAgainNotWrongSettings() {
        Api.Response answer = host.putIntegration("acme", Map.of("password", "outage"));
        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.json().get("error").asText()).isEqualTo("helpdesk_unavailable");
        assertThat(answer.json().get("message").asText()).contains("try again").contains("Helpdesk answered 503");
        assertThat(host.api.get("/api/v1/integrations/acme").status()).isEqualTo(404);
    }

    @Test
    void oneConnectionPerIntegrationOpenedOnUseAndClosedOnSaveDeleteAndStop() {
        Path lifecycle = Path.of(host.journal + ".lifecycle");
        host.putIntegration("acme", Map.of());
        // verify ran on a connection of its own, closed after it
        assertThat(open(lifecycle)).isZero();
        assertThat(opened(lifecycle)).isEqualTo(1);
        message("c1", "e1");
        message("c2", "e2");
        await().atMost(Duration.ofSeconds(60)).until(() -> Journal.activityIds(host.journal).size() == 2);
        assertThat(opened(lifecycle)).isEqualTo(2); // one shared connection for both conversations
        assertThat(open(lifecycle)).isEqualTo(1);
        assertThat(Journal.lines(lifecycle).get(2)).containsExactly("OPEN", "acme", "http://127.0.0.1:" + host.port() + "/webhooks/acme");

        host.putIntegration("acme", Map.of("delayMs", 1)); // saved again: the old connection closes
        awaitOpen(lifecycle, 0);
        message("c1", "e3");
        awaitOpen(lifecycle, 1);
        assertThat(host.api.delete("/api/v1/integrations/acme").status()).isEqualTo(204);
        awaitOpen(lifecycle, 0);

        host.putIntegration("acme", Map.of());
        message("c3", "e4");
        awaitOpen(lifecycle, 1);
        host.close();
        assertThat(open(lifecycle)).isZero();
        host.restart();
    }

    @Test
    void anIntegrationSavedBeforeOptionsKeepsItsModeAndItsGeneratedWebhookSecret() throws Exception {
        host.close();
        Path data = dir.resolve("data");
        // as the first release stored it: the option among the settings, the webhook secret beside them
        Map<String, Object> settings = new LinkedHashMap<>(host.settings(Map.of()));
        settings.put("createCaseOnlyOnHandoff", true);
        try (Database db = Database.open(data, 2)) {
            new IntegrationStore(db, SecretBox.load(null, data.resolve("secret.key")), Json.mapper())
                    .save("old", "fakedesk", settings, "legacy-webhook-secret", null, "callback-secret", null);
        }
        host.restart();
        JsonNode old = host.api.get("/api/v1/integrations/old").json();
        assertThat(old.get("options").get("createCaseOnlyOnHandoff").asBoolean()).isTrue();
        assertThat(old.get("settings").has("createCaseOnlyOnHandoff")).isFalse();
        assertThat(old.get("webhook").get("secret").asText()).isEqualTo("legacy-webhook-secret");
        // the connection checks the secret the admin configured in the helpdesk back then
        HttpResponse<String> webhook = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + host.port() + "/webhooks/old"))
                .header("X-Webhook-Secret", "legacy-webhook-secret")
                .POST(HttpRequest.BodyPublishers.ofString("replied:case-9:Hi")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(webhook.statusCode()).isEqualTo(202);
        // handoff-only: a message writes nothing
        assertThat(host.api.post("/api/v1/conversations/c1/events", Map.of("eventId", "e1", "integrationId", "old",
                "type", "customer_message", "occurredAt", "2025-03-01T10:00:00Z", "text", "Hello")).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                host.api.get("/api/v1/conversations/c1?integrationId=old").json().get("pending").isEmpty());
        assertThat(Journal.lines(host.journal)).isEmpty();
        // saved again with the mask: both are kept, now stored the new way
        Map<String, Object> resaved = new LinkedHashMap<>(host.settings(Map.of()));
        resaved.put("password", "********");
        JsonNode saved = host.api.put("/api/v1/integrations/old", Map.of("connector", "fakedesk", "settings", resaved)).json();
        assertThat(saved.get("webhook").get("secret").asText()).isEqualTo("legacy-webhook-secret");
        assertThat(saved.get("options").get("createCaseOnlyOnHandoff").asBoolean()).isTrue();
    }

    private Api.Response save(Map<String, Object> settings, Map<String, Object> options) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("connector", "fakedesk");
        body.put("settings", settings);
        if (options != null) {
            body.put("options", options);
        }
        return host.api.put("/api/v1/integrations/acme", body);
    }

    private void message(String conversation, String eventId) {
        assertThat(host.api.post("/api/v1/conversations/" + conversation + "/events", Map.of("eventId", eventId,
                "integrationId", "acme", "type", "customer_message", "occurredAt", "2025-03-01T10:00:00Z",
                "text", "Hello")).status()).isEqualTo(202);
    }

    /** The last user of a retired connection gives it back a moment after its row finished. */
    private static void awaitOpen(Path lifecycle, long n) {
        await().atMost(Duration.ofSeconds(60)).until(() -> open(lifecycle) == n);
    }

    private static long opened(Path lifecycle) {
        return Journal.lines(lifecycle).stream().filter(l -> l.get(0).equals("OPEN")).count();
    }

    /** Connections open now: opened minus closed. */
    private static long open(Path lifecycle) {
        return opened(lifecycle) - Journal.lines(lifecycle).stream().filter(l -> l.get(0).equals("CLOSE")).count();
    }
}
