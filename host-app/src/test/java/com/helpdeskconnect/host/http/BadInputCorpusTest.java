package com.helpdeskconnect.host.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.helpdeskconnect.host.testing.HostFixture;
import com.helpdeskconnect.host.testing.RawHttp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every route against a corpus of bad input: oversize and chunked oversize bodies, wrong content
 * types, malformed JSON, trailing garbage, invalid UTF-8, absurd dates, bad ids, huge URLs and
 * headers. Each must get a clear 4xx answer in the JSON error shape, for the reason the case is
 * about (its error code or field), store nothing, and leave the host up.
 *
 * <p>API requests carry the valid admin token (webhooks the connector's secret), so every refusal
 * is about the bad input and never a 401 for a missing credential; the few cases about credentials
 * say so in their name.
 */
class BadInputCorpusTest {
    static final String SECRET_HEADER = "X-Webhook-Secret: s3cret";
    static final long LIMIT = 1_000_000L; // HostConfig.defaults' max request size

    @TempDir
    static Path dir;
    static HostFixture host;
    static String integrationBefore;
    static String auditBefore;

    @BeforeAll
    static void start() {
        host = HostFixture.start(dir);
        assertThat(host.putIntegration("acme", Map.of("webhookSecret", "s3cret")).status()).isEqualTo(200);
        assertThat(host.api.post("/api/v1/conversations/known/events", event("known-1", "2025-03-01T10:00:00Z")).status())
                .isEqualTo(202);
        integrationBefore = host.api.get("/api/v1/integrations/acme").text();
        auditBefore = host.api.get("/api/v1/audit").text();
    }

    /** The admin token as a raw header: the credential is valid, so only the input can be refused. */
    static String admin() {
        return "Authorization: Bearer " + host.adminToken();
    }

    @AfterAll
    static void stop() {
        host.close();
    }

    /**
     * A request and how it must be refused: one of {@code expected}, and for a 4xx other than 404
     * the {@code reason}: the error code, or {@code fields.<name>} for a field error naming it.
     * A 404 must be {@code not_found}.
     */
    record Case(String name, Supplier<RawHttp.Answer> request, String reason, int... expected) {}

    /** A route that takes a JSON body; {@code good} is a valid body, {@code emptyAllowed} when it may have none. */
    record JsonRoute(String name, String method, String path, byte[] good, boolean emptyAllowed) {}

    @TestFactory
    Stream<DynamicTest> everyRouteRefusesBadInputCleanly() {
        List<Case> cases = new ArrayList<>();
        byte[] good = json(event("corpus-1", "2025-03-01T10:00:00Z"));
        byte[] goodBatch = json(Map.of("events", List.of(batchEvent("corpus-1", "2025-03-01T10:00:00Z"))));
        List<JsonRoute> jsonRoutes = List.of(
                new JsonRoute("events", "POST", "/api/v1/conversations/corpus/events", good, false),
                new JsonRoute("event batch", "POST", "/api/v1/events", goodBatch, false),
                new JsonRoute("integration", "PUT", "/api/v1/integrations/corpus",
                        json(Map.of("connector", "fakedesk", "settings", Map.of())), false),
                new JsonRoute("chat link", "POST", "/api/v1/conversations/corpus/chat-link?integrationId=acme",
                        json(Map.of("integrationId", "acme")), true),
                new JsonRoute("api key", "POST", "/api/v1/api-keys",
                        json(Map.of("name", "corpus", "integrations", List.of("acme"), "scopes", List.of("events:write"))), false));
        for (JsonRoute route : jsonRoutes) {
            String method = route.method();
            String path = route.path();
            byte[] body = route.good();
            String n = route.name() + ": ";
            cases.add(new Case(n + "declared oversize", () -> RawHttp.send(host.port(), method, path, "application/json",
                    new byte[(int) LIMIT + 1], admin()), "request_too_large", 413));
            cases.add(new Case(n + "chunked oversize", () -> RawHttp.chunked(host.port(), method, path, "application/json",
                    3 * LIMIT, (byte) ' ', admin()), "request_too_large", 413));
            cases.add(new Case(n + "text/plain", () -> RawHttp.send(host.port(), method, path, "text/plain", body, admin()),
                    "unsupported_media_type", 415));
            cases.add(new Case(n + "form", () -> RawHttp.send(host.port(), method, path,
                    "application/x-www-form-urlencoded", "a=b".getBytes(StandardCharsets.UTF_8), admin()),
                    "unsupported_media_type", 415));
            cases.add(new Case(n + "no content type", () -> RawHttp.send(host.port(), method, path, null, body, admin()),
                    "unsupported_media_type", 415));
            cases.add(new Case(n + "latin-1 charset", () -> RawHttp.send(host.port(), method, path,
                    "application/json; charset=iso-8859-1", body, admin()), "unsupported_media_type", 415));
            cases.add(new Case(n + "malformed JSON", () -> RawHttp.send(host.port(), method, path, "application/json",
                    "{\"eventId\": ".getBytes(StandardCharsets.UTF_8), admin()), "invalid_json", 400));
            if (!route.emptyAllowed()) {
                cases.add(new Case(n + "empty body", () -> RawHttp.send(host.port(), method, path, "application/json",
                        new byte[0], admin()), "invalid_json", 400));
            }
            cases.add(new Case(n + "JSON array", () -> RawHttp.send(host.port(), method, path, "application/json",
                    "[1,2]".getBytes(StandardCharsets.UTF_8), admin()), "invalid_request", 400));
            cases.add(new Case(n + "trailing garbage", () -> RawHttp.send(host.port(), method, path, "application/json",
                    concat(body, "garbage".getBytes(StandardCharsets.UTF_8)), admin()), "invalid_json", 400));
            cases.add(new Case(n + "second JSON value", () -> RawHttp.send(host.port(), method, path, "application/json",
                    concat(body, body), admin()), "invalid_json", 400));
            cases.add(new Case(n + "invalid UTF-8", () -> RawHttp.send(host.port(), method, path, "application/json",
                    concat("{\"name\":\"".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xFF, (byte) 0xFE},
                            "\"}".getBytes(StandardCharsets.UTF_8)), admin()), "invalid_encoding", 400));
            cases.add(new Case(n + "deep nesting", () -> RawHttp.send(host.port(), method, path, "application/json",
                    ("[".repeat(5000) + "]".repeat(5000)).getBytes(StandardCharsets.UTF_8), admin()), "invalid_json", 400));
        }
        // the order of the guard and the credential check: a declared oversize body is refused by the
        // filter before anything else (unread either way); any other body of a stranger is never read
        cases.add(new Case("events: declared oversize, no credential", () -> RawHttp.send(host.port(), "POST",
                "/api/v1/conversations/corpus/events", "application/json", new byte[(int) LIMIT + 1]), "request_too_large", 413));
        cases.add(new Case("events: chunked oversize, no credential", () -> RawHttp.chunked(host.port(), "POST",
                "/api/v1/conversations/corpus/events", "application/json", 3 * LIMIT, (byte) ' '), "unauthorized", 401));
        cases.add(new Case("events: malformed JSON, no credential", () -> RawHttp.send(host.port(), "POST",
                "/api/v1/conversations/corpus/events", "application/json", "{\"eventId\": ".getBytes(StandardCharsets.UTF_8)),
                "unauthorized", 401));
        cases.add(new Case("events: good body, wrong credential", () -> RawHttp.send(host.port(), "POST",
                "/api/v1/conversations/corpus/events", "application/json", good, "Authorization: Bearer wrong"),
                "unauthorized", 401));
        for (String when : List.of("+1000000000-12-31T23:59:59Z", "1970-01-01T00:00:00Z", "2999-01-01T00:00:00Z",
                "-0001-01-01T00:00:00Z", "2025-13-01T00:00:00Z", "not a date")) {
            cases.add(new Case("events: occurredAt " + when, () -> RawHttp.send(host.port(), "POST",
                    "/api/v1/conversations/corpus/events", "application/json", json(event("corpus-2", when)), admin()),
                    "fields.occurredAt", 400));
        }
        // a 400 for a bad id names the id, or is Jetty refusing the URI itself (bad_request)
        String badConversation = "fields.conversationId|bad_request";
        byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
        for (String id : List.of("a%20b", "a%2Fb", "%00", "x".repeat(129), "caf%C3%A9", "a;b", "a'b", "a%0Ab")) {
            String conversation = "/api/v1/conversations/" + id;
            cases.add(new Case("events: conversation id " + id, () -> RawHttp.send(host.port(), "POST",
                    conversation + "/events", "application/json", good, admin()), badConversation, 400, 404));
            cases.add(new Case("conversation: id " + id, () -> RawHttp.send(host.port(), "GET",
                    conversation + "?integrationId=acme", null, new byte[0], admin()), badConversation, 400, 404));
            cases.add(new Case("retry: id " + id, () -> RawHttp.send(host.port(), "POST",
                    conversation + "/retry?integrationId=acme", "application/json", empty, admin()), badConversation, 400, 404));
            cases.add(new Case("discard: conversation id " + id, () -> RawHttp.send(host.port(), "POST",
                    conversation + "/operations/1/discard?integrationId=acme", "application/json", empty, admin()),
                    badConversation, 400, 404));
            cases.add(new Case("chat link: conversation id " + id, () -> RawHttp.send(host.port(), "POST",
                    conversation + "/chat-link?integrationId=acme", "application/json", empty, admin()), badConversation, 400, 404));
            cases.add(new Case("stream: conversation id " + id, () -> RawHttp.send(host.port(), "GET",
                    conversation + "/stream?integrationId=acme", null, new byte[0], admin(), "Accept: text/event-stream"),
                    badConversation, 400, 404));
            cases.add(new Case("integration: id " + id, () -> RawHttp.send(host.port(), "PUT",
                    "/api/v1/integrations/" + id, "application/json", json(Map.of("connector", "fakedesk",
                            "settings", Map.of())), admin()), "fields.id|bad_request", 400, 404));
            for (String tail : List.of("/health", "/conversations", "/setup-check")) {
                cases.add(new Case("admin: GET integration id " + id + tail, () -> RawHttp.send(host.port(), "GET",
                        "/api/v1/integrations/" + id + tail, null, new byte[0], admin()), "fields.id|bad_request", 400, 404));
            }
            cases.add(new Case("admin: POST setup check, integration id " + id, () -> RawHttp.send(host.port(), "POST",
                    "/api/v1/integrations/" + id + "/setup-check", "application/json", empty, admin()),
                    "fields.id|bad_request", 400, 404));
            cases.add(new Case("admin: console file " + id, () -> RawHttp.send(host.port(), "GET", "/admin/assets/" + id,
                    null, new byte[0]), "bad_request", 400, 404));
            cases.add(new Case("api key: id " + id, () -> RawHttp.send(host.port(), "DELETE", "/api/v1/api-keys/" + id,
                    null, new byte[0], admin()), "bad_request", 400, 404));
            cases.add(new Case("webhook: id " + id, () -> RawHttp.send(host.port(), "POST", "/webhooks/" + id,
                    "application/json", empty, SECRET_HEADER), "bad_request", 400, 404));
        }
        for (String eventId : List.of("e 1", "e/1", "", "x".repeat(129), "é")) {
            cases.add(new Case("events: eventId '" + eventId + "'", () -> RawHttp.send(host.port(), "POST",
                    "/api/v1/conversations/corpus/events", "application/json", json(withEventId(eventId)), admin()),
                    "fields.eventId", 400));
        }
        // a batch is refused whole when its shape is wrong (a bad event inside it is that event's outcome, EventBatchTest)
        for (String batch : List.of("{}", "{\"events\": null}", "{\"events\": {}}", "{\"events\": \"x\"}", "{\"events\": []}",
                "{\"events\": 7}")) {
            cases.add(new Case("event batch: " + batch, () -> RawHttp.send(host.port(), "POST", "/api/v1/events",
                    "application/json", batch.getBytes(StandardCharsets.UTF_8), admin()), "fields.events", 400));
        }
        List<Object> tooMany = new ArrayList<>();
        for (int i = 0; i <= ConversationsApi.MAX_BATCH_EVENTS; i++) {
            tooMany.add(batchEvent("corpus-many-" + i, "2025-03-01T10:00:00Z"));
        }
        cases.add(new Case("event batch: " + tooMany.size() + " events", () -> RawHttp.send(host.port(), "POST", "/api/v1/events",
                "application/json", json(Map.of("events", tooMany)), admin()), "too_many_events", 413));
        cases.add(new Case("event batch: good body, no credential", () -> RawHttp.send(host.port(), "POST", "/api/v1/events",
                "application/json", goodBatch), "unauthorized", 401));
        cases.add(new Case("event batch: malformed JSON, no credential", () -> RawHttp.send(host.port(), "POST", "/api/v1/events",
                "application/json", "{\"events\": [".getBytes(StandardCharsets.UTF_8)), "unauthorized", 401));
        cases.add(new Case("events: integrationId not text", () -> RawHttp.send(host.port(), "POST",
                "/api/v1/conversations/corpus/events", "application/json",
                json(Map.of("eventId", "corpus-3", "integrationId", 7, "type", "customer_message",
                        "occurredAt", "2025-03-01T10:00:00Z", "text", "Hello")), admin()), "fields.integrationId", 400));
        cases.add(new Case("chat link: integrationId not text", () -> RawHttp.send(host.port(), "POST",
                "/api/v1/conversations/corpus/chat-link?integrationId=acme", "application/json",
                json(Map.of("integrationId", 7)), admin()), "fields.integrationId", 400));
        cases.add(new Case("discard: operation id not a number", () -> RawHttp.send(host.port(), "POST",
                "/api/v1/conversations/known/operations/abc/discard?integrationId=acme", "application/json", new byte[0],
                admin()), null, 404));
        cases.add(new Case("discard: unknown operation", () -> RawHttp.send(host.port(), "POST",
                "/api/v1/conversations/known/operations/999999/discard?integrationId=acme", "application/json", new byte[0],
                admin()), null, 404));
        for (String query : List.of("limit=abc", "limit=0", "limit=501", "limit=99999999999", "before=x")) {
            cases.add(new Case("audit: " + query, () -> RawHttp.send(host.port(), "GET", "/api/v1/audit?" + query, null,
                    new byte[0], admin()), "fields." + query.substring(0, query.indexOf('=')), 400));
        }
        for (String query : List.of("limit=abc", "limit=0", "limit=501", "limit=99999999999", "limit=-1", "q=" + "x".repeat(201))) {
            cases.add(new Case("admin conversations: " + query.substring(0, Math.min(20, query.length())), () -> RawHttp.send(host.port(),
                    "GET", "/api/v1/integrations/acme/conversations?" + query, null, new byte[0], admin()),
                    "fields." + query.substring(0, query.indexOf('=')), 400));
        }
        for (String file : List.of("..%2Fadmin.token", "%2e%2e%2fsecret.key", "admin.js%00", "x".repeat(300))) {
            cases.add(new Case("admin: console file " + file.substring(0, Math.min(20, file.length())), () -> RawHttp.send(host.port(),
                    "GET", "/admin/assets/" + file, null, new byte[0]), "bad_request", 400, 404));
        }
        cases.add(new Case("admin: setup check of an unknown integration", () -> RawHttp.send(host.port(), "GET",
                "/api/v1/integrations/nowhere/setup-check", null, new byte[0], admin()), null, 404));
        for (String webhook : List.of("/webhooks/acme", "/api/v1/webhooks/acme")) {
            cases.add(new Case(webhook + ": declared oversize", () -> RawHttp.send(host.port(), "POST", webhook,
                    "application/json", new byte[WebhooksApi.MAX_BODY_BYTES + 1], SECRET_HEADER), "request_too_large", 413));
            cases.add(new Case(webhook + ": chunked oversize", () -> RawHttp.chunked(host.port(), "POST", webhook,
                    "application/json", 3 * LIMIT, (byte) ' ', SECRET_HEADER), "request_too_large", 413));
            cases.add(new Case(webhook + ": malformed JSON", () -> RawHttp.send(host.port(), "POST", webhook,
                    "application/json", "{\"a\":".getBytes(StandardCharsets.UTF_8), SECRET_HEADER), "invalid_json", 400));
            cases.add(new Case(webhook + ": trailing garbage", () -> RawHttp.send(host.port(), "POST", webhook,
                    "application/json", "{\"a\":1} x".getBytes(StandardCharsets.UTF_8), SECRET_HEADER), "invalid_json", 400));
            cases.add(new Case(webhook + ": invalid UTF-8", () -> RawHttp.send(host.port(), "POST", webhook,
                    "application/json", new byte[] {'{', '"', (byte) 0xC0, (byte) 0xAF, '"', ':', '1', '}'}, SECRET_HEADER),
                    "invalid_encoding", 400));
            cases.add(new Case(webhook + ": no credentials", () -> RawHttp.send(host.port(), "POST", webhook,
                    "application/json", empty), "unauthenticated", 401));
            // API credentials are not webhook credentials: the admin token does not authenticate a helpdesk call
            cases.add(new Case(webhook + ": admin token instead of the webhook secret", () -> RawHttp.send(host.port(), "POST",
                    webhook, "application/json", empty, admin()), "unauthenticated", 401));
            cases.add(new Case(webhook + ": unknown integration, chunked", () -> RawHttp.chunked(host.port(), "POST",
                    webhook.replace("acme", "nobody"), "application/json", 3 * LIMIT, (byte) 'x'), null, 404));
        }
        for (String route : List.of("GET /health", "GET /api/v1/connectors", "GET /api/v1/integrations/acme",
                "DELETE /api/v1/integrations/nobody", "GET /api/v1/integrations/acme/fields",
                "GET /api/v1/conversations/known", "POST /api/v1/conversations/known/retry",
                "POST /api/v1/conversations/known/operations/1/discard", "POST /api/v1/conversations/known/chat-link",
                "GET /api/v1/conversations/known/stream", "POST /api/v1/api-keys", "GET /api/v1/api-keys",
                "DELETE /api/v1/api-keys/key_0", "GET /api/v1/audit",
                "GET /api/v1/integrations/acme/webhooks", "GET /chat", "GET /openapi.yaml", "GET /metrics",
                "POST /api/v1/conversations/corpus/events", "POST /api/v1/events", "PUT /api/v1/integrations/corpus",
                "POST /webhooks/acme")) {
            String method = route.split(" ")[0];
            String path = route.split(" ")[1];
            String credential = admin();
            cases.add(new Case(route + ": huge URL", () -> RawHttp.head(host.port(), method + " " + path + "?q="
                    + "x".repeat(20_000) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + credential + "\r\nConnection: close\r\n\r\n"),
                    "uri_too_long", 414));
            cases.add(new Case(route + ": huge header", () -> RawHttp.head(host.port(), method + " " + path
                    + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + credential + "\r\nX-Big: " + "y".repeat(20_000)
                    + "\r\nConnection: close\r\n\r\n"), "headers_too_large", 431));
            cases.add(new Case(route + ": many headers", () -> RawHttp.head(host.port(), method + " " + path
                    + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + credential + "\r\n" + "X-H: 0123456789\r\n".repeat(2000)
                    + "Connection: close\r\n\r\n"), "headers_too_large", 431));
        }
        cases.add(new Case("PATCH an integration", () -> RawHttp.send(host.port(), "PATCH", "/api/v1/integrations/acme",
                "application/json", "{}".getBytes(StandardCharsets.UTF_8), admin()), "method_not_allowed", 404, 405));
        cases.add(new Case("unknown route", () -> RawHttp.send(host.port(), "GET", "/api/v2/anything", null, new byte[0],
                admin()), null, 404));
        cases.add(new Case("not HTTP", () -> RawHttp.head(host.port(), "GARBAGE\r\n\r\n"), "bad_request", 400));
        cases.add(new Case("not HTTP/1", () -> RawHttp.head(host.port(), "HELLO THERE\r\n\r\n"),
                "bad_request|http_version_not_supported", 400, 505));

        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            RawHttp.Answer answer = c.request().get();
            assertThat(answer.status()).as(c.name() + " -> " + answer.head()).isIn((Object[]) box(c.expected()));
            JsonNode error = answer.json();
            assertThat(error.get("error").asText()).as(c.name()).isNotBlank();
            assertThat(error.get("message").asText()).as(c.name()).isNotBlank();
            assertThat(answer.head().toLowerCase(java.util.Locale.ROOT)).contains("content-type: application/json");
            assertRefusedFor(c, answer.status(), error);
            assertNothingStoredAndUp();
        }));
    }

    /** The answer gives the case's reason: not a missing credential, a missing integrationId or any other 4xx. */
    private static void assertRefusedFor(Case c, int status, JsonNode error) {
        if (status == 404) {
            assertThat(error.get("error").asText()).as(c.name() + ": " + error).isEqualTo("not_found");
            return;
        }
        assertThat(c.reason()).as(c.name() + ": answered " + status + " " + error).isNotNull();
        List<String> reasons = List.of(c.reason().split("\\|"));
        boolean matches = reasons.stream().anyMatch(r -> r.startsWith("fields.")
                ? error.path("fields").has(r.substring("fields.".length()))
                : error.get("error").asText().equals(r));
        assertThat(matches).as(c.name() + ": expected " + reasons + " but the answer was " + error).isTrue();
    }

    private static void assertNothingStoredAndUp() {
        assertThat(host.api.get("/health").json().get("status").asText()).isEqualTo("UP");
        assertThat(host.api.get("/api/v1/integrations/acme").text()).isEqualTo(integrationBefore);
        assertThat(host.api.get("/api/v1/integrations/corpus").status()).isEqualTo(404);
        assertThat(host.api.get("/api/v1/conversations/corpus?integrationId=acme").status()).isEqualTo(404);
        assertThat(host.api.get("/api/v1/conversations/known?integrationId=acme").json().get("transcript")).hasSize(1);
        assertThat(host.api.get("/api/v1/integrations/acme/webhooks").json().get("webhooks")).isEmpty();
        assertThat(host.api.get("/api/v1/api-keys").json().get("keys")).isEmpty();
        assertThat(host.api.get("/api/v1/audit").text()).isEqualTo(auditBefore);
    }

    private static Integer[] box(int[] values) {
        return java.util.Arrays.stream(values).boxed().toArray(Integer[]::new);
    }

    static Map<String, Object> event(String eventId, String occurredAt) {
        return Map.of("eventId", eventId, "integrationId", "acme", "type", "customer_message",
                "occurredAt", occurredAt, "text", "Hello");
    }

    /** An event of a batch: the event with its conversation, here the corpus's own. */
    static Map<String, Object> batchEvent(String eventId, String occurredAt) {
        Map<String, Object> event = new java.util.LinkedHashMap<>(event(eventId, occurredAt));
        event.put("conversationId", "corpus");
        return event;
    }

    private static Map<String, Object> withEventId(String eventId) {
        return event(eventId, "2025-03-01T10:00:00Z");
    }

    private static byte[] json(Object value) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
