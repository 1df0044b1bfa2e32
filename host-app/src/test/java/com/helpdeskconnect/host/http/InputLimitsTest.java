package com.helpdeskconnect.host.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.helpdeskconnect.host.testing.Api;
import com.helpdeskconnect.host.testing.HostFixture;
import com.helpdeskconnect.host.testing.RawHttp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The attacker's inputs from issue 11, one per test: each was accepted or crashed the host before. */
class InputLimitsTest {
    @TempDir
    Path dir;
    HostFixture host;

    @BeforeEach
    void start() {
        host = HostFixture.start(dir);
        assertThat(host.putIntegration("acme", Map.of("webhookSecret", "s3cret")).status()).isEqualTo(200);
    }

    @AfterEach
    void stop() {
        host.close();
    }

    @Test
    void chunkedEventOfTenMegabytesIs413AndStoresNothing() {
        RawHttp.Answer answer = RawHttp.chunked(host.port(), "POST", "/api/v1/conversations/big/events",
                "application/json", 10_000_000, (byte) ' ', admin());
        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.json().get("error").asText()).isEqualTo("request_too_large");
        assertThat(host.api.get("/api/v1/conversations/big?integrationId=acme").status()).isEqualTo(404);
        assertUp();
    }

    /**
     * The guard and the credential check, in order: a declared oversize body is refused 413 by the
     * servlet filter before any route or credential is looked at; a chunked one from a stranger is
     * refused 401 by the route's access rule before its body is read. Neither is read.
     */
    @Test
    void anOversizeBodyWithoutCredentialIsRefusedUnread() {
        RawHttp.Answer declared = RawHttp.send(host.port(), "POST", "/api/v1/conversations/big/events", "application/json",
                new byte[2_000_000]);
        assertThat(declared.status()).isEqualTo(413);
        assertThat(declared.json().get("error").asText()).isEqualTo("request_too_large");
        RawHttp.Answer chunked = RawHttp.chunked(host.port(), "POST", "/api/v1/conversations/big/events",
                "application/json", 300_000_000L, (byte) ' ');
        assertThat(chunked.status()).isEqualTo(401);
        assertThat(chunked.json().get("error").asText()).isEqualTo("unauthorized");
        assertThat(chunked.bodyBytesWritten()).isLessThan(300_000_000L);
        assertThat(host.api.get("/api/v1/conversations/big?integrationId=acme").status()).isEqualTo(404);
        assertUp();
    }

    @Test
    void chunkedWebhookOfThreeHundredMegabytesToAnUnknownIntegrationIsRefusedUnread() {
        RawHttp.Answer answer = RawHttp.chunked(host.port(), "POST", "/webhooks/nobody", "application/json",
                300_000_000L, (byte) 'x');
        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.json().get("error").asText()).isEqualTo("not_found");
        assertThat(answer.bodyBytesWritten()).isLessThan(300_000_000L);
        assertUp();
    }

    @Test
    void chunkedWebhookOverItsLimitIs413() {
        // a signature may cover the body, so a webhook's body (at most 64 KiB) is read before the connector
        // authenticates it: a stranger's oversized call is refused as too large, never read past the limit
        RawHttp.Answer stranger = RawHttp.chunked(host.port(), "POST", "/webhooks/acme", "text/plain", 5_000_000, (byte) 'x');
        assertThat(stranger.status()).isEqualTo(413);
        RawHttp.Answer answer = RawHttp.chunked(host.port(), "POST", "/webhooks/acme", "text/plain", 5_000_000, (byte) 'x',
                "X-Webhook-Secret: s3cret");
        assertThat(answer.status()).isEqualTo(413);
        assertThat(host.api.get("/api/v1/integrations/acme/webhooks").json().get("webhooks")).isEmpty();
        assertUp();
    }

    @Test
    void anApiCredentialDoesNotAuthenticateAWebhook() {
        RawHttp.Answer answer = RawHttp.send(host.port(), "POST", "/webhooks/acme", "application/json",
                "{}".getBytes(StandardCharsets.UTF_8), admin());
        assertThat(answer.status()).isEqualTo(401);
        assertThat(host.api.get("/api/v1/integrations/acme/webhooks").json().get("webhooks")).isEmpty();
    }

    @Test
    void eventsSentAsTextPlainAreRefused415() {
        RawHttp.Answer answer = RawHttp.send(host.port(), "POST", "/api/v1/conversations/c1/events", "text/plain",
                json(event("e1", "c1")), admin());
        assertThat(answer.status()).isEqualTo(415);
        assertThat(answer.json().get("error").asText()).isEqualTo("unsupported_media_type");
        assertThat(host.api.get("/api/v1/conversations/c1?integrationId=acme").status()).isEqualTo(404);
    }

    @Test
    void trailingGarbageAfterTheJsonIsRefused() {
        byte[] body = (new String(json(event("e1", "c1")), StandardCharsets.UTF_8) + "{\"more\":1}").getBytes(StandardCharsets.UTF_8);
        RawHttp.Answer answer = RawHttp.send(host.port(), "POST", "/api/v1/conversations/c1/events", "application/json", body,
                admin());
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().get("error").asText()).isEqualTo("invalid_json");
        assertThat(host.api.get("/api/v1/conversations/c1?integrationId=acme").status()).isEqualTo(404);
    }

    @Test
    void invalidUtf8IsRefused() {
        byte[] good = json(event("e1", "c1"));
        String text = new String(good, StandardCharsets.UTF_8).replace("Hello", "H\u0000llo");
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        int at = text.indexOf('\u0000');
        body[at] = (byte) 0xC3; // a lead byte followed by an ASCII letter: malformed
        RawHttp.Answer answer = RawHttp.send(host.port(), "POST", "/api/v1/conversations/c1/events", "application/json", body,
                admin());
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().get("error").asText()).isEqualTo("invalid_encoding");
        assertThat(host.api.get("/api/v1/conversations/c1?integrationId=acme").status()).isEqualTo(404);
    }

    @Test
    void anOccurredAtInTheYearOneBillionIsRefusedAndBlocksNothing() {
        Map<String, Object> absurd = event("e1", "c1");
        absurd.put("occurredAt", "+1000000000-12-31T23:59:59Z");
        Api.Response refused = host.api.post("/api/v1/conversations/c1/events", absurd);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("fields").get("occurredAt").asText()).contains("2000-01-01");
        Map<String, Object> ancient = event("e1", "c1");
        ancient.put("occurredAt", "1970-01-01T00:00:00Z");
        assertThat(host.api.post("/api/v1/conversations/c1/events", ancient).status()).isEqualTo(400);
        // the conversation is not blocked: the next good event syncs
        assertThat(host.api.post("/api/v1/conversations/c1/events", event("e2", "c1")).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> conversation("c1").get("pending").isEmpty());
        assertThat(conversation("c1").get("parked")).isEmpty();
        assertThat(conversation("c1").get("transcript")).singleElement()
                .satisfies(e -> assertThat(e.get("eventId").asText()).isEqualTo("e2"));
    }

    @Test
    void idsOutsideThePatternAreRefused() {
        Api.Response slash = host.api.post("/api/v1/conversations/c1/events", event("e/1", "c1"));
        assertThat(slash.status()).isEqualTo(400);
        assertThat(slash.json().get("fields").has("eventId")).isTrue();
        Api.Response tooLong = host.api.post("/api/v1/conversations/" + "c".repeat(129) + "/events", event("e1", "c"));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.json().get("fields").has("conversationId")).isTrue();
        Api.Response space = host.api.post("/api/v1/conversations/a%20b/events", event("e1", "a b"));
        assertThat(space.status()).isEqualTo(400);
        assertThat(host.api.get("/api/v1/conversations/a%20b?integrationId=acme").status()).isEqualTo(400);
        assertThat(host.api.get("/api/v1/conversations/a%20b?integrationId=acme").json().get("fields").has("conversationId"))
                .isTrue();
    }

    @Test
    void aRepeatedEventIdWithOtherContentIs409AndTheSameContentStaysIdempotent() {
        assertThat(host.api.post("/api/v1/conversations/c1/events", event("e1", "c1")).status()).isEqualTo(202);
        assertThat(host.api.post("/api/v1/conversations/c1/events", event("e1", "c1")).json().get("status").asText())
                .isEqualTo("duplicate");
        Map<String, Object> other = event("e1", "c1");
        other.put("text", "Something else entirely");
        Api.Response conflict = host.api.post("/api/v1/conversations/c1/events", other);
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.json().get("message").asText()).contains("other content");
        assertThat(conversation("c1").get("transcript")).singleElement()
                .satisfies(e -> assertThat(e.get("text").asText()).isEqualTo("Hello"));
    }

    /** A chat link's body is optional, but a body that is there follows the JSON routes' rules. */
    @Test
    void aChatLinkNeedsNoBodyButABodyMustBeJson() {
        String path = "/api/v1/conversations/c1/chat-link?integrationId=acme";
        assertThat(RawHttp.send(host.port(), "POST", path, null, new byte[0], admin()).status()).isEqualTo(201);
        assertThat(RawHttp.send(host.port(), "POST", path, "application/json", new byte[0], admin()).status()).isEqualTo(201);
        assertThat(RawHttp.send(host.port(), "POST", path, "application/json", "{\"ttlSeconds\":120}"
                .getBytes(StandardCharsets.UTF_8), admin()).status()).isEqualTo(201);
        RawHttp.Answer plain = RawHttp.send(host.port(), "POST", path, "text/plain", "{\"ttlSeconds\":120}"
                .getBytes(StandardCharsets.UTF_8), admin());
        assertThat(plain.status()).isEqualTo(415);
        assertThat(plain.json().get("error").asText()).isEqualTo("unsupported_media_type");
    }

    @Test
    void jettyLevelErrorsAnswerJson() {
        RawHttp.Answer longUri = RawHttp.head(host.port(), "GET /api/v1/conversations/" + "x".repeat(20_000)
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        assertThat(longUri.status()).isEqualTo(414);
        assertThat(longUri.json().get("error").asText()).isEqualTo("uri_too_long");
        RawHttp.Answer bigHeader = RawHttp.head(host.port(), "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: "
                + "y".repeat(20_000) + "\r\nConnection: close\r\n\r\n");
        assertThat(bigHeader.status()).isEqualTo(431);
        assertThat(bigHeader.json().get("error").asText()).isEqualTo("headers_too_large");
        RawHttp.Answer wrongMethod = RawHttp.send(host.port(), "PATCH", "/api/v1/integrations/acme", "application/json",
                "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(wrongMethod.status()).isIn(404, 405);
        assertThat(wrongMethod.json().has("error")).isTrue();
        RawHttp.Answer missing = RawHttp.send(host.port(), "GET", "/nothing/here", null, new byte[0]);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("error").asText()).isEqualTo("not_found");
        RawHttp.Answer garbage = RawHttp.head(host.port(), "GARBAGE\r\n\r\n");
        assertThat(garbage.status()).isEqualTo(400);
        assertThat(garbage.json().has("error")).isTrue();
        assertUp();
    }

    @Test
    void apiAnswersAreNotSniffedNorCached() {
        RawHttp.Answer answer = RawHttp.send(host.port(), "GET", "/api/v1/integrations/acme", null, new byte[0], admin());
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.head()).containsIgnoringCase("X-Content-Type-Options: nosniff")
                .containsIgnoringCase("Cache-Control: no-store");
    }

    @Test
    void chatPageForbidsFramingInlineScriptsAndSniffing() {
        // the page is served to a chat link's holder only
        String link = host.api.post("/api/v1/conversations/c1/chat-link", Map.of("integrationId", "acme")).json()
                .get("token").asText();
        assertThat(RawHttp.send(host.port(), "GET", "/chat?conversation=c1", null, new byte[0]).status()).isEqualTo(401);
        RawHttp.Answer answer = RawHttp.send(host.port(), "GET", "/chat?conversation=c1&token=" + link, null, new byte[0]);
        assertThat(answer.status()).isEqualTo(200);
        String head = answer.head().toLowerCase(java.util.Locale.ROOT);
        assertThat(head).contains("content-security-policy: default-src 'none'; script-src 'sha256-")
                .contains("frame-ancestors 'none'").doesNotContain("unsafe-inline")
                .contains("x-frame-options: deny").contains("x-content-type-options: nosniff")
                .contains("referrer-policy: no-referrer");
    }

    @Test
    void anAdminCanDiscardAParkedOperationAndLaterEventsRun() {
        host.putIntegration("acme", Map.of("failFirst", 1, "failKind", "PERMANENT"));
        assertThat(host.api.post("/api/v1/conversations/c6/events", event("p1", "c6")).status()).isEqualTo(202);
        assertThat(host.api.post("/api/v1/conversations/c6/events", event("p2", "c6")).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> !conversation("c6").get("parked").isEmpty());
        long operationId = conversation("c6").get("parked").get(0).get("operationId").asLong();

        String discard = "/api/v1/conversations/c6/operations/" + operationId + "/discard?integrationId=acme";
        assertThat(host.api.post("/api/v1/conversations/c6/operations/" + (operationId + 1000) + "/discard?integrationId=acme",
                Map.of()).status()).isEqualTo(404);
        // discarding is an admin decision: a key that may post events may not discard them
        String events = host.api.createKey("ai", java.util.List.of("acme"), java.util.List.of("events:write", "conversations:read"));
        assertThat(host.api.as(events).post(discard, Map.of()).status()).isEqualTo(403);
        assertThat(conversation("c6").get("parked")).hasSize(1);
        Api.Response discarded = host.api.post(discard, Map.of());
        assertThat(discarded.status()).isEqualTo(200);
        assertThat(discarded.json().get("state").asText()).isEqualTo("discarded");
        await().atMost(Duration.ofSeconds(20)).until(() -> conversation("c6").get("pending").isEmpty());
        JsonNode c = conversation("c6");
        assertThat(c.get("parked")).isEmpty();
        assertThat(c.get("discarded")).singleElement().satisfies(d -> {
            assertThat(d.get("operationId").asLong()).isEqualTo(operationId);
            assertThat(d.get("eventId").asText()).isEqualTo("p1");
            assertThat(d.get("discardedAt").asText()).isNotBlank();
        });
        assertThat(host.api.post(discard, Map.of()).status()).isEqualTo(409);
    }

    private JsonNode conversation(String id) {
        return host.api.get("/api/v1/conversations/" + id + "?integrationId=acme").json();
    }

    /** The admin token as a raw header, so that a refusal is about the input and not a missing credential. */
    private String admin() {
        return "Authorization: Bearer " + host.adminToken();
    }

    private void assertUp() {
        assertThat(host.api.get("/health").json().get("status").asText()).isEqualTo("UP");
    }

    static Map<String, Object> event(String eventId, String conversationId) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("eventId", eventId);
        event.put("integrationId", "acme");
        event.put("type", "customer_message");
        event.put("occurredAt", "2025-03-01T10:00:00Z");
        event.put("text", "Hello");
        return event;
    }

    private static byte[] json(Map<String, Object> value) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
