package com.helpdeskconnect.host.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.helpdeskconnect.host.testing.Api;
import com.helpdeskconnect.host.testing.HostFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IntegrationsApiTest {
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
    void savedIntegrationIsShownWithSecretsMaskedAndTheWebhookToConfigure() {
        Api.Response saved = host.putIntegration("acme", Map.of("webhookSecret", "hook-secret-1"));
        assertThat(saved.status()).isEqualTo(200);
        JsonNode got = host.api.get("/api/v1/integrations/acme").json();
        assertThat(got.get("connector").asText()).isEqualTo("fakedesk");
        assertThat(got.get("settings").get("password").asText()).isEqualTo("********");
        assertThat(got.get("settings").get("journal").asText()).isEqualTo(host.journal.toString());
        assertThat(got.get("webhook").get("url").asText()).isEqualTo("http://127.0.0.1:" + host.port() + "/webhooks/acme");
        assertThat(got.get("webhook").get("secret").asText()).isEqualTo("hook-secret-1");
        assertThat(got.toString()).doesNotContain("\"good\"");
    }

    @Test
    void invalidSettingsAnswer422PerFieldAndStoreNothing() {
        Api.Response response = host.api.put("/api/v1/integrations/acme", Map.of("connector", "fakedesk",
                "settings", Map.of("password", "good", "delayMs", "soon", "colour", "blue")));
        assertThat(response.status()).isEqualTo(422);
        assertThat(response.json().get("error").asText()).isEqualTo("invalid_settings");
        JsonNode fields = response.json().get("fields");
        assertThat(fields.get("journal").asText()).isNotBlank();
        assertThat(fields.get("delayMs").asText()).isEqualTo("must be a whole number");
        assertThat(fields.get("colour").asText()).contains("not a setting");
        assertThat(host.api.get("/api/v1/integrations/acme").status()).isEqualTo(404);
    }

    @Test
    void badCredentialsAnswer422WithTheConnectorsMessage() {
        Api.Response response = host.putIntegration("acme", Map.of("password", "wrong-pass"));
        assertThat(response.status()).isEqualTo(422);
        assertThat(response.json().get("error").asText()).isEqualTo("verification_failed");
        assertThat(response.json().get("message").asText()).isEqualTo("Invalid credentials");
        assertThat(response.text()).doesNotContain("wrong-pass");
        assertThat(host.api.get("/api/v1/integrations/acme").status()).isEqualTo(404);
    }

    @Test
    void failedUpdateKeepsThePreviousIntegration() {
        host.putIntegration("acme", Map.of("failFirst", 0));
        assertThat(host.putIntegration("acme", Map.of("password", "wrong")).status()).isEqualTo(422);
        assertThat(host.api.get("/api/v1/integrations/acme").json().get("settings").get("failFirst").asInt()).isZero();
    }

    @Test
    void maskedSecretSentBackKeepsTheStoredSecret() {
        host.putIntegration("acme", Map.of());
        Api.Response update = host.putIntegration("acme", Map.of("password", "********", "delayMs", 1));
        assertThat(update.status()).isEqualTo(200);
    }

    @Test
    void unknownConnectorAndMalformedBodiesAreClearErrors() {
        Api.Response unknown = host.api.put("/api/v1/integrations/acme", Map.of("connector", "zendesk", "settings", Map.of()));
        assertThat(unknown.status()).isEqualTo(422);
        assertThat(unknown.json().get("message").asText()).contains("zendesk").contains("fakedesk");
        Api.Response notJson = host.api.put("/api/v1/integrations/acme", "{nope");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.json().get("error").asText()).isEqualTo("invalid_json");
        Api.Response missing = host.api.put("/api/v1/integrations/acme", Map.of("settings", Map.of()));
        assertThat(missing.json().get("fields").get("connector").asText()).contains("required");
        assertThat(host.api.put("/api/v1/integrations/bad%20id", Map.of()).status()).isEqualTo(400);
    }

    @Test
    void deleteRemovesTheIntegration() {
        host.putIntegration("acme", Map.of());
        assertThat(host.api.delete("/api/v1/integrations/acme").status()).isEqualTo(204);
        assertThat(host.api.get("/api/v1/integrations/acme").status()).isEqualTo(404);
        assertThat(host.api.delete("/api/v1/integrations/acme").status()).isEqualTo(404);
    }

    @Test
    void fieldCatalogueComesFromTheConnectorCalledWithItsOwnContextClassLoader() {
        host.putIntegration("acme", Map.of());
        JsonNode fields = host.api.get("/api/v1/integrations/acme/fields").json().get("fields");
        assertThat(fields.get(0).get("name").asText()).isEqualTo("priority");
        assertThat(fields.get(0).get("type").asText()).isEqualTo("LOOKUP");
        assertThat(fields.get(0).get("allowedValues")).hasSize(3);
        assertThat(fields.get(0).get("description").asText()).isEqualTo("tccl=true");
    }

    @Test
    void settingsAreEncryptedAtRestWithAGeneratedKeyFile() throws Exception {
        host.putIntegration("acme", Map.of("webhookSecret", "hook-secret-xyz"));
        host.close();
        Path data = dir.resolve("data");
        assertThat(data.resolve("secret.key")).exists();
        try (Stream<Path> files = Files.list(data)) {
            for (Path file : files.toList()) {
                String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                assertThat(content).doesNotContain("hook-secret-xyz").doesNotContain(host.journal.toString());
            }
        }
        host.restart();
        assertThat(host.api.get("/api/v1/integrations/acme").json().get("webhook").get("secret").asText())
                .isEqualTo("hook-secret-xyz");
    }

    @Test
    void oversizedRequestIsRefused() {
        String big = "{\"connector\":\"fakedesk\",\"settings\":{\"journal\":\"" + "x".repeat(1_100_000) + "\"}}";
        Api.Response response = host.api.put("/api/v1/integrations/acme", big);
        assertThat(response.status()).isEqualTo(413);
    }
}
