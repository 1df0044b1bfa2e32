package com.helpdeskconnect.host.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.helpdeskconnect.host.testing.Api;
import com.helpdeskconnect.host.testing.HostFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attacker's view of the API: no credential, a wrong one, another integration's key, the wrong
 * scope, path tricks, id squatting, revocation, and what the audit log keeps.
 */
class AccessControlTest {
    /** Every API route with a credential rule, as (method, path). */
    static final List<String[]> PROTECTED = List.of(
            new String[] {"GET", "/api/v1/connectors"},
            new String[] {"PUT", "/api/v1/integrations/acme"},
            new String[] {"GET", "/api/v1/integrations/acme"},
            new String[] {"DELETE", "/api/v1/integrations/acme"},
            new String[] {"GET", "/api/v1/integrations/acme/fields"},
            new String[] {"GET", "/api/v1/integrations/acme/webhooks"},
            new String[] {"GET", "/api/v1/integrations"},
            new String[] {"GET", "/api/v1/integrations/acme/health"},
            new String[] {"GET", "/api/v1/integrations/acme/conversations"},
            new String[] {"POST", "/api/v1/integrations/acme/setup-check"},
            new String[] {"GET", "/api/v1/integrations/acme/setup-check"},
            new String[] {"POST", "/api/v1/conversations/c1/events"},
            new String[] {"POST", "/api/v1/events"},
            new String[] {"GET", "/api/v1/conversations/c1"},
            new String[] {"POST", "/api/v1/conversations/c1/retry"},
            new String[] {"POST", "/api/v1/conversations/c1/chat-link"},
            new String[] {"GET", "/api/v1/conversations/c1/stream"},
            new String[] {"POST", "/api/v1/api-keys"},
            new String[] {"GET", "/api/v1/api-keys"},
            new String[] {"DELETE", "/api/v1/api-keys/key_0"},
            new String[] {"GET", "/api/v1/audit"},
            new String[] {"GET", "/chat"},
            new String[] {"GET", "/openapi.yaml"},
            new String[] {"GET", "/api/v1/openapi.yaml"},
            new String[] {"GET", "/metrics"});

    @TempDir
    Path dir;
    HostFixture host;
    Api anonymous;

    @BeforeEach
    void start() {
        host = HostFixture.start(dir);
        anonymous = host.anonymous();
        assertThat(host.putIntegration("acme", Map.of()).status()).isEqualTo(200);
        assertThat(host.putIntegration("beta", Map.of()).status()).isEqualTo(200);
    }

    @AfterEach
    void stop() {
        host.close();
    }

    static Map<String, Object> message(String eventId, String integrationId, String text) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("eventId", eventId);
        if (integrationId != null) {
            event.put("integrationId", integrationId);
        }
        event.put("type", "customer_message");
        event.put("occurredAt", "2025-03-01T10:00:00Z");
        event.put("text", text);
        return event;
    }

    private static Api.Response call(Api api, String method, String path) {
        Object body = method.equals("POST") || method.equals("PUT") ? Map.of() : null;
        return api.send(method, path, body, Map.of());
    }

    @Test
    void everyApiRouteRefusesARequestWithoutCredential() {
        for (String[] route : PROTECTED) {
            Api.Response r = call(anonymous, route[0], route[1]);
            assertThat(r.status()).as(route[0] + " " + route[1]).isEqualTo(401);
            assertThat(r.json().get("error").asText()).as(route[1]).isEqualTo("unauthorized");
        }
        // nothing was changed
        assertThat(host.api.get("/api/v1/integrations/acme").status()).isEqualTo(200);
        // health stays open and tells only up/down and counts
        Api.Response health = anonymous.get("/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asText()).isEqualTo("UP");
        assertThat(health.text()).doesNotContain("acme").doesNotContain("pending");
    }

    @Test
    void wrongCredentialsAreRefused() {
        String key = host.api.createKey("ai", List.of("acme"), List.of("events:write", "conversations:read"));
        List<String> wrong = List.of("Bearer wrong", "Bearer " + key + "x", "Bearer hck_" + "A".repeat(43),
                "Bearer " + host.adminToken() + "x", "Basic " + host.adminToken(), "Bearer ", host.adminToken(),
                "Bearer hcl1.YWNtZQ.YzE.9999999999.AAAA");
        for (String header : wrong) {
            for (String[] route : PROTECTED) {
                Api.Response r = anonymous.send(route[0], route[1], route[0].equals("GET") || route[0].equals("DELETE")
                        ? null : Map.of(), Map.of("Authorization", header));
                assertThat(r.status()).as(header + " on " + route[0] + " " + route[1]).isEqualTo(401);
            }
        }
        // the API key in the query string is not a credential (only chat links are, on the chat routes)
        assertThat(anonymous.get("/api/v1/conversations/c1?token=" + key).status()).isEqualTo(401);
    }

    @Test
    void trailingSlashCaseAndEncodedPathTricksDoNotBypassTheRouteRule() {
        String events = host.api.createKey("ai", List.of("acme"), List.of("events:write"));
        Api ai = host.api.as(events);
        // the finding: POST …/retry/ answered 202 without the admin token
        assertThat(anonymous.post("/api/v1/conversations/c1/retry/", Map.of()).status()).isEqualTo(401);
        assertThat(ai.post("/api/v1/conversations/c1/retry/", Map.of()).status()).isEqualTo(403);
        assertThat(ai.post("/api/v1/conversations/c1/retry", Map.of()).status()).isEqualTo(403);
        assertThat(anonymous.get("/api/v1/integrations/acme/").status()).isEqualTo(401);
        assertThat(ai.get("/api/v1/integrations/acme/").status()).isEqualTo(403);
        // routes are case-sensitive: another case matches no route (404), never a laxer one
        for (String path : List.of("/API/v1/integrations/acme", "/api/V1/integrations/acme", "/api/v1/Integrations/acme",
                "/api/v1/CONNECTORS", "/Metrics", "/CHAT")) {
            Api.Response r = anonymous.get(path);
            assertThat(r.status()).as(path).isIn(401, 404);
            assertThat(r.status()).as(path).isNotEqualTo(200);
        }
        // encoded and doubled separators
        for (String path : List.of("/api/v1/conversations/c1%2Fretry", "/api/v1/integrations/acme%2F", "//api/v1/connectors",
                "/api/v1//connectors", "/api/v1/./connectors", "/api/v1/x/../connectors", "/api/v1/integrations/%2e%2e/acme",
                "/health/../api/v1/connectors", "/api/v1/connectors;x=1", "/api/v1/integrations/acme%3Bx")) {
            Api.Response r = anonymous.send("GET", path, null, Map.of());
            assertThat(r.status()).as(path).isGreaterThanOrEqualTo(400);
            Api.Response withKey = ai.send("POST", path, Map.of(), Map.of());
            assertThat(withKey.status()).as(path).isGreaterThanOrEqualTo(400);
        }
        // unknown routes: the one JSON error shape
        Api.Response missing = host.api.get("/api/v1/nothing");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("error").asText()).isEqualTo("not_found");
    }

    @Test
    void aKeyWithoutTheScopeIsForbidden() {
        Api events = host.api.as(host.api.createKey("ai", List.of("acme"), List.of("events:write")));
        Api reader = host.api.as(host.api.createKey("widget", List.of("acme"), List.of("conversations:read")));
        Api admin = host.api.as(host.api.createKey("ops", List.of("acme"), List.of("integrations:admin")));
        for (Api api : List.of(events, reader, admin)) {
            assertThat(api.post("/api/v1/api-keys", Map.of("name", "x", "scopes", List.of("admin"))).status()).isEqualTo(403);
            assertThat(api.get("/api/v1/api-keys").status()).isEqualTo(403);
            assertThat(api.get("/api/v1/audit").status()).isEqualTo(403);
            assertThat(api.get("/metrics").status()).isEqualTo(403);
        }
        assertThat(events.get("/api/v1/integrations/acme").status()).isEqualTo(403);
        assertThat(events.put("/api/v1/integrations/acme", Map.of("connector", "fakedesk", "settings", Map.of())).status())
                .isEqualTo(403);
        assertThat(events.get("/api/v1/conversations/c1").status()).isEqualTo(403);
        assertThat(reader.post("/api/v1/conversations/c1/events", message("m1", null, "hi")).status()).isEqualTo(403);
        assertThat(reader.get("/api/v1/connectors").status()).isEqualTo(403);
        assertThat(admin.post("/api/v1/conversations/c1/events", message("m1", null, "hi")).status()).isEqualTo(403);
        Map<String, Object> batch = Map.of("events", List.of(Map.of("conversationId", "c1", "eventId", "m1", "type",
                "customer_message", "occurredAt", "2025-03-01T10:00:00Z", "text", "hi")));
        assertThat(reader.post("/api/v1/events", batch).status()).isEqualTo(403);
        assertThat(admin.post("/api/v1/events", batch).status()).isEqualTo(403);
        // and each can do its own job
        assertThat(events.post("/api/v1/conversations/c1/events", message("m1", null, "hi")).status()).isEqualTo(202);
        assertThat(reader.get("/api/v1/conversations/c1").status()).isEqualTo(200);
        assertThat(admin.get("/api/v1/integrations/acme").status()).isEqualTo(200);
        assertThat(admin.get("/api/v1/connectors").status()).isEqualTo(200);
        assertThat(admin.post("/api/v1/conversations/c1/retry", Map.of()).status()).isEqualTo(202);
        assertThat(host.api.as(host.api.createKey("prometheus", List.of(), List.of("admin"))).get("/metrics").status())
                .isEqualTo(200);
        Api scraper = host.api.as(host.api.createKey("scraper", List.of("acme"), List.of("metrics:read")));
        assertThat(scraper.get("/metrics").status()).isEqualTo(200);
        assertThat(scraper.get("/api/v1/conversations/c1").status()).isEqualTo(403);
        assertThat(events.get("/openapi.yaml").status()).isEqualTo(200);
    }

    @Test
    void anotherIntegrationsKeySeesNothingOfIt() {
        Api acme = host.api.as(host.api.createKey("acme-ai", List.of("acme"),
                List.of("events:write", "conversations:read", "integrations:admin")));
        Api beta = host.api.as(host.api.createKey("beta-ai", List.of("beta"),
                List.of("events:write", "conversations:read", "integrations:admin")));
        assertThat(acme.post("/api/v1/conversations/secret-chat/events", message("s1", null, "my card number")).status())
                .isEqualTo(202);

        // the finding: integrationId came from the body, so anyone posted to any integration
        Api.Response forged = beta.post("/api/v1/conversations/secret-chat/events", message("f1", "acme", "fake AI message"));
        assertThat(forged.status()).isEqualTo(404);
        assertThat(beta.get("/api/v1/conversations/secret-chat?integrationId=acme").status()).isEqualTo(404);
        Api.Response own = beta.get("/api/v1/conversations/secret-chat");
        assertThat(own.status()).isEqualTo(404); // beta has no such conversation; acme's is invisible
        assertThat(own.text()).doesNotContain("acme");
        assertThat(beta.get("/api/v1/integrations/acme").status()).isEqualTo(404);
        assertThat(beta.get("/api/v1/integrations/acme/webhooks").status()).isEqualTo(404);
        assertThat(beta.get("/api/v1/integrations/acme/fields").status()).isEqualTo(404);
        assertThat(beta.put("/api/v1/integrations/acme", Map.of("connector", "fakedesk", "settings", host.settings(Map.of())))
                .status()).isEqualTo(404);
        assertThat(beta.delete("/api/v1/integrations/acme").status()).isEqualTo(404);
        assertThat(beta.post("/api/v1/conversations/secret-chat/retry?integrationId=acme", Map.of()).status()).isEqualTo(404);
        assertThat(beta.post("/api/v1/conversations/secret-chat/chat-link?integrationId=acme", Map.of()).status()).isEqualTo(404);
        // nothing of beta's reached acme's conversation
        JsonNode transcript = acme.get("/api/v1/conversations/secret-chat").json().get("transcript");
        assertThat(transcript).hasSize(1);
        assertThat(transcript.get(0).get("text").asText()).isEqualTo("my card number");
        assertThat(host.api.get("/api/v1/integrations/acme").status()).isEqualTo(200);
    }

    @Test
    void theIntegrationComesFromTheKey() {
        Api acme = host.api.as(host.api.createKey("acme-ai", List.of("acme"), List.of("events:write", "conversations:read")));
        Api both = host.api.as(host.api.createKey("both", List.of("acme", "beta"), List.of("events:write", "conversations:read")));
        assertThat(acme.post("/api/v1/conversations/c1/events", message("m1", null, "hi")).status()).isEqualTo(202);
        assertThat(acme.post("/api/v1/conversations/c1/events", message("m2", "acme", "same integration named")).status())
                .isEqualTo(202);
        assertThat(acme.get("/api/v1/conversations/c1").json().get("integrationId").asText()).isEqualTo("acme");
        // several integrations, or the admin token: the integration must be named
        Api.Response unnamed = both.post("/api/v1/conversations/c2/events", message("m1", null, "hi"));
        assertThat(unnamed.status()).isEqualTo(400);
        assertThat(unnamed.json().get("fields").has("integrationId")).isTrue();
        assertThat(host.api.post("/api/v1/conversations/c2/events", message("m1", null, "hi")).status()).isEqualTo(400);
        assertThat(both.get("/api/v1/conversations/c1").status()).isEqualTo(400);
        assertThat(both.get("/api/v1/conversations/c1?integrationId=acme").status()).isEqualTo(200);
        assertThat(both.post("/api/v1/conversations/c2/events", message("m1", "beta", "hi")).status()).isEqualTo(202);
        assertThat(host.api.get("/api/v1/conversations/c2?integrationId=beta").status()).isEqualTo(200);
        assertThat(host.api.get("/api/v1/conversations/c2?integrationId=acme").status()).isEqualTo(404);
        assertThat(acme.post("/api/v1/conversations/c3/events", Map.of("eventId", "x", "integrationId", 7, "type",
                "customer_message", "occurredAt", "2025-03-01T10:00:00Z", "text", "hi")).status()).isEqualTo(400);
    }

    @Test
    void idsAreUniquePerIntegrationSoNobodyCanSquatThem() {
        Api acme = host.api.as(host.api.createKey("acme-ai", List.of("acme"), List.of("events:write", "conversations:read")));
        Api beta = host.api.as(host.api.createKey("beta-ai", List.of("beta"), List.of("events:write", "conversations:read")));
        // beta takes the ids first ...
        assertThat(beta.post("/api/v1/conversations/chat-1/events", message("evt-1", null, "beta's")).status()).isEqualTo(202);
        // ... and acme still gets its own conversation and event of the same ids (was a 409 naming beta)
        Api.Response mine = acme.post("/api/v1/conversations/chat-1/events", message("evt-1", null, "acme's"));
        assertThat(mine.status()).as(mine.text()).isEqualTo(202);
        assertThat(acme.get("/api/v1/conversations/chat-1").json().get("transcript").get(0).get("text").asText())
                .isEqualTo("acme's");
        assertThat(beta.get("/api/v1/conversations/chat-1").json().get("transcript").get(0).get("text").asText())
                .isEqualTo("beta's");
        // a reused event id inside one integration is still a conflict, and says nothing about others
        Api.Response conflict = acme.post("/api/v1/conversations/chat-2/events", message("evt-1", null, "again"));
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.text()).doesNotContain("beta");
        // the same event again is a duplicate for its own integration only
        assertThat(acme.post("/api/v1/conversations/chat-1/events", message("evt-1", null, "acme's")).json()
                .get("status").asText()).isEqualTo("duplicate");
    }

    @Test
    void keysAreShownOnceStoredHashedListedWithoutMaterialAndRevokedAtOnce() throws IOException {
        Api.Response created = host.api.post("/api/v1/api-keys", Map.of("name", "ai platform", "integrations", List.of("acme"),
                "scopes", List.of("events:write", "conversations:read")));
        assertThat(created.status()).isEqualTo(201);
        String key = created.json().get("key").asText();
        String id = created.json().get("id").asText();
        assertThat(key).startsWith("hck_").hasSizeGreaterThan(40);
        Api ai = host.api.as(key);
        assertThat(ai.get("/api/v1/conversations/c1").status()).isEqualTo(404); // authenticated, nothing there

        Api.Response listed = host.api.get("/api/v1/api-keys");
        assertThat(listed.text()).doesNotContain(key).doesNotContain(key.substring(4, 20));
        JsonNode row = listed.json().get("keys").get(0);
        assertThat(row.get("id").asText()).isEqualTo(id);
        assertThat(row.get("name").asText()).isEqualTo("ai platform");
        assertThat(row.has("key")).isFalse();
        assertThat(row.get("createdBy").asText()).isEqualTo("bootstrap-admin");

        assertThat(host.api.delete("/api/v1/api-keys/" + id).status()).isEqualTo(204);
        assertThat(ai.get("/api/v1/conversations/c1").status()).isEqualTo(401);
        assertThat(host.api.get("/api/v1/api-keys").json().get("keys").get(0).get("revokedAt").isNull()).isFalse();
        assertThat(host.api.delete("/api/v1/api-keys/key_unknown").status()).isEqualTo(404);

        // bad requests say which field
        Api.Response bad = host.api.post("/api/v1/api-keys", Map.of("name", "", "scopes", List.of("root")));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("fields").has("name")).isTrue();
        assertThat(bad.json().get("fields").has("scopes")).isTrue();
        assertThat(host.api.post("/api/v1/api-keys", Map.of("name", "x", "scopes", List.of("events:write"))).json()
                .get("fields").has("integrations")).isTrue();
        assertThat(host.api.post("/api/v1/api-keys", Map.of("name", "x", "integrations", List.of("a,b"),
                "scopes", List.of("events:write"))).status()).isEqualTo(400);

        host.close();
        // only the hash is stored: the key appears in no file of the data folder
        try (Stream<Path> files = Files.walk(dir.resolve("data"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).as(file.toString())
                        .doesNotContain(key).doesNotContain(key.substring(4));
            }
        }
    }

    @Test
    void adminActionsAreAuditedWithoutSecrets() {
        String key = host.api.createKey("ops", List.of("acme"), List.of("integrations:admin"));
        String keyId = host.api.get("/api/v1/api-keys").json().get("keys").get(0).get("id").asText();
        Api ops = host.api.as(key);
        assertThat(ops.put("/api/v1/integrations/acme", Map.of("connector", "fakedesk",
                "settings", host.settings(Map.of("password", "good")))).status()).isEqualTo(200);
        assertThat(ops.post("/api/v1/conversations/c1/retry", Map.of()).status()).isEqualTo(404); // no such conversation
        assertThat(host.api.post("/api/v1/conversations/c9/events", message("m1", "acme", "hi")).status()).isEqualTo(202);
        assertThat(ops.post("/api/v1/conversations/c9/retry", Map.of()).status()).isEqualTo(202);
        assertThat(ops.delete("/api/v1/integrations/beta").status()).isEqualTo(404); // not its integration
        assertThat(host.api.delete("/api/v1/integrations/beta").status()).isEqualTo(204);
        assertThat(host.api.delete("/api/v1/api-keys/" + keyId).status()).isEqualTo(204);

        Api.Response audit = host.api.get("/api/v1/audit");
        assertThat(audit.status()).isEqualTo(200);
        List<String> lines = new java.util.ArrayList<>();
        for (JsonNode e : audit.json().get("entries")) {
            lines.add(e.get("actor").get("id").asText() + " " + e.get("actor").get("name").asText() + " "
                    + e.get("action").asText() + " " + e.get("target").asText());
            assertThat(e.get("at").asText()).isNotBlank();
        }
        // newest first
        assertThat(lines).containsSubsequence(
                "bootstrap-admin bootstrap-admin api_key.revoke " + keyId,
                "bootstrap-admin bootstrap-admin integration.delete beta",
                keyId + " ops conversation.retry acme/c9",
                keyId + " ops integration.save acme",
                "bootstrap-admin bootstrap-admin api_key.create " + keyId);
        assertThat(audit.text()).doesNotContain(key).doesNotContain(host.adminToken()).doesNotContain("\"good\"")
                .doesNotContain("password");
        assertThat(host.api.get("/api/v1/audit?limit=1").json().get("entries")).hasSize(1);
        assertThat(host.api.get("/api/v1/audit?limit=0").status()).isEqualTo(400);
    }
}
