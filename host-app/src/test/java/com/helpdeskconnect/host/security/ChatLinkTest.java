package com.helpdeskconnect.host.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.helpdeskconnect.host.demo.ChatStream;
import com.helpdeskconnect.host.storage.Database;
import com.helpdeskconnect.host.storage.HostKeyStore;
import com.helpdeskconnect.host.storage.SecretBox;
import com.helpdeskconnect.host.testing.Api;
import com.helpdeskconnect.host.testing.HostFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chat page and the stream open only with a short-lived signed link to one conversation. */
class ChatLinkTest {
    @TempDir
    Path dir;
    HostFixture host;

    @BeforeEach
    void start() {
        host = HostFixture.start(dir);
        assertThat(host.putIntegration("acme", Map.of()).status()).isEqualTo(200);
        assertThat(host.putIntegration("beta", Map.of()).status()).isEqualTo(200);
    }

    @AfterEach
    void stop() {
        host.close();
    }

    private JsonNode link(Api api, String conversation, Map<String, Object> body) {
        Api.Response r = api.post("/api/v1/conversations/" + conversation + "/chat-link", body);
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        return r.json();
    }

    private static Map<String, Object> event(String id, String type, String text) {
        return Map.of("eventId", id, "type", type, "occurredAt", "2025-03-01T10:00:00Z", "text", text);
    }

    private int streamStatus(String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + host.port() + path))
                .header("Accept", "text/event-stream").GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        CompletableFuture<HttpResponse<Stream<String>>> r = HttpClient.newHttpClient().sendAsync(b.build(),
                HttpResponse.BodyHandlers.ofLines());
        HttpResponse<Stream<String>> response = r.get(30, java.util.concurrent.TimeUnit.SECONDS);
        response.body().close();
        return response.statusCode();
    }

    @Test
    void aLinkOpensThePageTheStreamAndCustomerMessagesOfItsConversationOnly() throws Exception {
        Api reader = host.api.as(host.api.createKey("widget", List.of("acme"), List.of("conversations:read")));
        JsonNode link = link(reader, "chat-1", Map.of());
        String token = link.get("token").asText();
        assertThat(link.get("url").asText()).isEqualTo("http://127.0.0.1:" + host.port() + "/chat?conversation=chat-1&token=" + token);
        assertThat(Instant.parse(link.get("expiresAt").asText())).isBetween(Instant.now().plus(Duration.ofMinutes(14)),
                Instant.now().plus(Duration.ofMinutes(16)));

        Api anonymous = host.anonymous();
        assertThat(anonymous.get("/chat?conversation=chat-1&token=" + token).status()).isEqualTo(200);
        assertThat(anonymous.get("/chat?conversation=chat-2&token=" + token).status()).isEqualTo(404);
        assertThat(streamStatus("/api/v1/conversations/chat-1/stream?token=" + token, null)).isEqualTo(200);
        assertThat(streamStatus("/api/v1/conversations/chat-2/stream?token=" + token, null)).isEqualTo(404);

        Api page = host.api.as(token);
        assertThat(page.post("/api/v1/conversations/chat-1/events", event("m1", "customer_message", "hello")).status())
                .isEqualTo(202);
        assertThat(host.api.get("/api/v1/conversations/chat-1?integrationId=acme").json().get("transcript")).hasSize(1);
        // a customer cannot forge AI replies, resolutions, or write to another conversation or integration
        assertThat(page.post("/api/v1/conversations/chat-1/events", event("m2", "ai_reply", "refund approved")).status())
                .isEqualTo(403);
        assertThat(page.post("/api/v1/conversations/chat-1/events", Map.of("eventId", "m3", "type", "resolved",
                "occurredAt", "2025-03-01T10:00:00Z")).status()).isEqualTo(403);
        assertThat(page.post("/api/v1/conversations/chat-2/events", event("m4", "customer_message", "x")).status()).isEqualTo(404);
        Map<String, Object> other = new java.util.HashMap<>(event("m5", "customer_message", "x"));
        other.put("integrationId", "beta");
        assertThat(page.post("/api/v1/conversations/chat-1/events", other).status()).isEqualTo(404);
        // and the link is no API credential
        assertThat(page.get("/api/v1/conversations/chat-1").status()).isEqualTo(401);
        assertThat(page.get("/api/v1/integrations/acme").status()).isEqualTo(401);
        assertThat(page.post("/api/v1/conversations/chat-1/chat-link", Map.of()).status()).isEqualTo(401);
        assertThat(anonymous.get("/api/v1/conversations/chat-1?token=" + token).status()).isEqualTo(401);
    }

    @Test
    void forgedTamperedAndExpiredLinksAreRefused() throws Exception {
        String token = link(host.api, "chat-1", Map.of("integrationId", "acme")).get("token").asText();
        String[] parts = token.split("\\.");
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        // another conversation, another integration, a later expiry, another signature: each breaks the MAC
        List<String> forged = List.of(
                String.join(".", parts[0], parts[1], b64.encodeToString("chat-2".getBytes(StandardCharsets.UTF_8)), parts[3], parts[4]),
                String.join(".", parts[0], b64.encodeToString("beta".getBytes(StandardCharsets.UTF_8)), parts[2], parts[3], parts[4]),
                String.join(".", parts[0], parts[1], parts[2], Long.toString(Long.parseLong(parts[3]) + 86_400), parts[4]),
                String.join(".", parts[0], parts[1], parts[2], parts[3], b64.encodeToString(new byte[32])),
                token.substring(0, token.length() - 2), "hcl1.", "hcl1....", "hcl1.a.b.c.d.e");
        for (String bad : forged) {
            assertThat(host.anonymous().get("/chat?token=" + bad).status()).as(bad).isEqualTo(401);
            assertThat(streamStatus("/api/v1/conversations/chat-1/stream?token=" + bad, null)).as(bad).isEqualTo(401);
        }
        // a link signed with the host's own key that expired a minute ago
        String expired;
        try (Database db = Database.open(dir.resolve("data"), 2)) {
            byte[] key = new HostKeyStore(db, SecretBox.load(null, dir.resolve("data").resolve("secret.key"))).key("chat-link");
            Clock past = Clock.fixed(Instant.now().minus(Duration.ofMinutes(16)), ZoneOffset.UTC);
            expired = new ChatLinks(key, past).issue("acme", "chat-1", Duration.ofMinutes(15));
            String valid = new ChatLinks(key, Clock.systemUTC()).issue("acme", "chat-1", Duration.ofMinutes(15));
            assertThat(host.anonymous().get("/chat?conversation=chat-1&token=" + valid).status()).isEqualTo(200);
        }
        assertThat(host.anonymous().get("/chat?conversation=chat-1&token=" + expired).status()).isEqualTo(401);
        assertThat(streamStatus("/api/v1/conversations/chat-1/stream", "Bearer " + expired)).isEqualTo(401);
        assertThat(host.api.as(expired).post("/api/v1/conversations/chat-1/events", event("m1", "customer_message", "x"))
                .status()).isEqualTo(401);
        // out-of-range lifetimes are refused
        assertThat(host.api.post("/api/v1/conversations/chat-1/chat-link", Map.of("integrationId", "acme", "ttlSeconds", 10))
                .status()).isEqualTo(400);
        assertThat(host.api.post("/api/v1/conversations/chat-1/chat-link", Map.of("integrationId", "acme",
                "ttlSeconds", 100_000_000)).status()).isEqualTo(400);
        assertThat(host.api.post("/api/v1/conversations/chat-1/chat-link", Map.of("integrationId", "gone")).status())
                .isEqualTo(404);
    }

    @Test
    void linksExpireOnTheirOwnClock() {
        byte[] key = new byte[32];
        Instant now = Instant.parse("2025-03-01T10:00:00Z");
        String token = new ChatLinks(key, Clock.fixed(now, ZoneOffset.UTC)).issue("acme", "c.1", Duration.ofMinutes(15));
        assertThat(new ChatLinks(key, Clock.fixed(now.plusSeconds(899), ZoneOffset.UTC)).verify(token))
                .hasValueSatisfying(l -> {
                    assertThat(l.integrationId()).isEqualTo("acme");
                    assertThat(l.conversationId()).isEqualTo("c.1");
                });
        assertThat(new ChatLinks(key, Clock.fixed(now.plusSeconds(900), ZoneOffset.UTC)).verify(token)).isEmpty();
        assertThat(new ChatLinks(new byte[] {1}, Clock.fixed(now, ZoneOffset.UTC)).verify(token)).isEmpty();
    }

    @Test
    void aStreamOfAnotherIntegrationsConversationShowsNothingOfIt() {
        Api acme = host.api.as(host.api.createKey("acme", List.of("acme"), List.of("events:write", "conversations:read")));
        assertThat(acme.post("/api/v1/conversations/chat-1/events", event("m1", "customer_message", "acme secret")).status())
                .isEqualTo(202);
        String betaLink = link(host.api, "chat-1", Map.of("integrationId", "beta")).get("token").asText();
        try (ChatStream stream = new ChatStream(HttpClient.newHttpClient(), URI.create("http://127.0.0.1:" + host.port()
                + "/api/v1/conversations/chat-1/stream?token=" + betaLink), Duration.ofMillis(200), null, Map.of())) {
            // beta's own chat-1 gets an entry after acme's: a stream shows entries in order, so had acme's
            // leaked it would have come first
            Map<String, Object> betaEvent = new java.util.HashMap<>(event("b1", "customer_message", "beta hello"));
            betaEvent.put("integrationId", "beta");
            assertThat(host.api.post("/api/v1/conversations/chat-1/events", betaEvent).status()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(30)).until(() -> !stream.data().isEmpty());
            assertThat(stream.data()).singleElement().asString().contains("beta hello").doesNotContain("acme secret");
        }
    }
}
