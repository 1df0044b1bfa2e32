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
 * headers. Each must get a clear 4xx answer in the JSON error shape, store nothing, and leave the
 * host up.
 */
class BadInputCorpusTest {
    static final String SECRET_HEADER = "X-Webhook-Secret: s3cret";
    static final long LIMIT = 1_000_000L; // HostConfig.defaults' max request size

    @TempDir
    static Path dir;
    static HostFixture host;
    static String integrationBefore;

    @BeforeAll
    static void start() {
        host = HostFixture.start(dir);
        assertThat(host.putIntegration("acme", Map.of("webhookSecret", "s3cret")).status()).isEqualTo(200);
        assertThat(host.api.post("/api/v1/conversations/known/events", event("known-1", "2025-03-01T10:00:00Z")).status())
                .isEqualTo(202);
        integrationBefore = host.api.get("/api/v1/integrations/acme").text();
    }

    @AfterAll
    static void stop() {
        host.close();
    }

    record Case(String name, Supplier<RawHttp.Answer> request, int... expected) {}

    @TestFactory
    Stream<DynamicTest> everyRouteRefusesBadInputCleanly() {
        List<Case> cases = new ArrayList<>();
        byte[] good = json(event("corpus-1", "2025-03-01T10:00:00Z"));
        Map<String, String> jsonRoutes = Map.of(
                "events", "POST /api/v1/conversations/corpus/events",
                "integration", "PUT /api/v1/integrations/corpus");
        for (Map.Entry<String, String> route : jsonRoutes.entrySet()) {
            String method = route.getValue().split(" ")[0];
            String path = route.getValue().split(" ")[1];
            String n = route.getKey() + ": ";
            cases.add(new Case(n + "declared oversize", () -> send(method, path, "application/json",
                    new byte[(int) LIMIT + 1]), 413));
            cases.add(new Case(n + "chunked oversize", () -> chunked(method, path, "application/json",
                    3 * LIMIT, (byte) ' '), 413));
            cases.add(new Case(n + "text/plain", () -> send(method, path, "text/plain", good), 415));
            cases.add(new Case(n + "form", () -> send(method, path,
                    "application/x-www-form-urlencoded", "a=b".getBytes(StandardCharsets.UTF_8)), 415));
            cases.add(new Case(n + "no content type", () -> send(method, path, null, good), 415));
            cases.add(new Case(n + "latin-1 charset", () -> send(method, path,
                    "application/json; charset=iso-8859-1", good), 415));
            cases.add(new Case(n + "malformed JSON", () -> send(method, path, "application/json",
                    "{\"eventId\": ".getBytes(StandardCharsets.UTF_8)), 400));
            cases.add(new Case(n + "empty body", () -> send(method, path, "application/json",
                    new byte[0]), 400));
            cases.add(new Case(n + "JSON array", () -> send(method, path, "application/json",
                    "[1,2]".getBytes(StandardCharsets.UTF_8)), 400));
            cases.add(new Case(n + "trailing garbage", () -> send(method, path, "application/json",
                    concat(good, "garbage".getBytes(StandardCharsets.UTF_8))), 400));
            cases.add(new Case(n + "second JSON value", () -> send(method, path, "application/json",
                    concat(good, good)), 400));
            cases.add(new Case(n + "invalid UTF-8", () -> send(method, path, "application/json",
                    concat("{\"eventId\":\"".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xFF, (byte) 0xFE},
                            "\"}".getBytes(StandardCharsets.UTF_8))), 400));
            cases.add(new Case(n + "deep nesting", () -> send(method, path, "application/json",
                    ("[".repeat(5000) + "]".repeat(5000)).getBytes(StandardCharsets.UTF_8)), 400));
        }
        for (String when : List.of("+1000000000-12-31T23:59:59Z", "1970-01-01T00:00:00Z", "2999-01-01T00:00:00Z",
                "-0001-01-01T00:00:00Z", "2025-13-01T00:00:00Z", "not a date")) {
            cases.add(new Case("events: occurredAt " + when, () -> send("POST",
                    "/api/v1/conversations/corpus/events", "application/json", json(event("corpus-2", when))), 400));
        }
        for (String id : List.of("a%20b", "a%2Fb", "%00", "x".repeat(129), "caf%C3%A9", "a;b", "a'b")) {
            cases.add(new Case("events: conversation id " + id, () -> send("POST",
                    "/api/v1/conversations/" + id + "/events", "application/json", good), 400, 404));
            cases.add(new Case("conversation: id " + id, () -> send("GET",
                    "/api/v1/conversations/" + id, null, new byte[0]), 400, 404));
            cases.add(new Case("retry: id " + id, () -> send("POST",
                    "/api/v1/conversations/" + id + "/retry", "application/json", "{}".getBytes(StandardCharsets.UTF_8)), 400, 404));
            cases.add(new Case("integration: id " + id, () -> send("PUT",
                    "/api/v1/integrations/" + id, "application/json", json(Map.of("connector", "fakedesk",
                            "settings", Map.of()))), 400, 404));
            cases.add(new Case("webhook: id " + id, () -> send("POST", "/webhooks/" + id,
                    "application/json", "{}".getBytes(StandardCharsets.UTF_8), SECRET_HEADER), 400, 404));
        }
        for (String eventId : List.of("e 1", "e/1", "", "x".repeat(129), "é")) {
            cases.add(new Case("events: eventId '" + eventId + "'", () -> send("POST",
                    "/api/v1/conversations/corpus/events", "application/json", json(withEventId(eventId))), 400));
        }
        cases.add(new Case("discard: operation id not a number", () -> send("POST",
                "/api/v1/conversations/known/operations/abc/discard?integrationId=acme", "application/json", new byte[0]), 404));
        cases.add(new Case("discard: unknown operation", () -> send("POST",
                "/api/v1/conversations/known/operations/999999/discard?integrationId=acme", "application/json", new byte[0]), 404));
        for (String webhook : List.of("/webhooks/acme", "/api/v1/webhooks/acme")) {
            cases.add(new Case(webhook + ": declared oversize", () -> send("POST", webhook,
                    "application/json", new byte[WebhooksApi.MAX_BODY_BYTES + 1], SECRET_HEADER), 413));
            cases.add(new Case(webhook + ": chunked oversize", () -> chunked("POST", webhook,
                    "application/json", 3 * LIMIT, (byte) ' ', SECRET_HEADER), 413));
            cases.add(new Case(webhook + ": malformed JSON", () -> send("POST", webhook,
                    "application/json", "{\"a\":".getBytes(StandardCharsets.UTF_8), SECRET_HEADER), 400));
            cases.add(new Case(webhook + ": trailing garbage", () -> send("POST", webhook,
                    "application/json", "{\"a\":1} x".getBytes(StandardCharsets.UTF_8), SECRET_HEADER), 400));
            cases.add(new Case(webhook + ": invalid UTF-8", () -> send("POST", webhook,
                    "application/json", new byte[] {'{', '"', (byte) 0xC0, (byte) 0xAF, '"', ':', '1', '}'}, SECRET_HEADER), 400));
            cases.add(new Case(webhook + ": no credentials", () -> send("POST", webhook,
                    "application/json", "{}".getBytes(StandardCharsets.UTF_8)), 401));
            cases.add(new Case(webhook + ": unknown integration, chunked", () -> chunked("POST",
                    webhook.replace("acme", "nobody"), "application/json", 3 * LIMIT, (byte) 'x'), 404));
        }
        for (String route : List.of("GET /health", "GET /api/v1/connectors", "GET /api/v1/integrations/acme",
                "DELETE /api/v1/integrations/nobody", "GET /api/v1/integrations/acme/fields",
                "GET /api/v1/conversations/known", "POST /api/v1/conversations/known/retry",
                "GET /api/v1/integrations/acme/webhooks", "GET /chat", "GET /openapi.yaml", "GET /metrics",
                "POST /api/v1/conversations/corpus/events", "PUT /api/v1/integrations/corpus", "POST /webhooks/acme")) {
            String method = route.split(" ")[0];
            String path = route.split(" ")[1];
            cases.add(new Case(route + ": huge URL", () -> RawHttp.head(host.port(), method + " " + path + "?q="
                    + "x".repeat(20_000) + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"), 414));
            cases.add(new Case(route + ": huge header", () -> RawHttp.head(host.port(), method + " " + path
                    + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "y".repeat(20_000) + "\r\nConnection: close\r\n\r\n"), 431));
            cases.add(new Case(route + ": many headers", () -> RawHttp.head(host.port(), method + " " + path
                    + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + "X-H: 0123456789\r\n".repeat(2000) + "Connection: close\r\n\r\n"), 431));
        }
        cases.add(new Case("PATCH an integration", () -> send("PATCH", "/api/v1/integrations/acme",
                "application/json", "{}".getBytes(StandardCharsets.UTF_8)), 404, 405));
        cases.add(new Case("unknown route", () -> send("GET", "/api/v2/anything", null, new byte[0]), 404));
        cases.add(new Case("not HTTP", () -> RawHttp.head(host.port(), "GARBAGE\r\n\r\n"), 400));
        cases.add(new Case("not HTTP/1", () -> RawHttp.head(host.port(), "HELLO THERE\r\n\r\n"), 400, 505));

        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            RawHttp.Answer answer = c.request().get();
            assertThat(answer.status()).as(c.name() + " -> " + answer.head()).isIn((Object[]) box(c.expected()));
            JsonNode error = answer.json();
            assertThat(error.get("error").asText()).as(c.name()).isNotBlank();
            assertThat(error.get("message").asText()).as(c.name()).isNotBlank();
            assertThat(answer.head().toLowerCase(java.util.Locale.ROOT)).contains("content-type: application/json");
            assertNothingStoredAndUp();
        }));
    }

    private static void assertNothingStoredAndUp() {
        assertThat(host.api.get("/health").json().get("status").asText()).isEqualTo("UP");
        assertThat(host.api.get("/api/v1/integrations/acme").text()).isEqualTo(integrationBefore);
        assertThat(host.api.get("/api/v1/integrations/corpus").status()).isEqualTo(404);
        assertThat(host.api.get("/api/v1/conversations/corpus?integrationId=acme").status()).isEqualTo(404);
        assertThat(host.api.get("/api/v1/conversations/known?integrationId=acme").json().get("transcript")).hasSize(1);
        assertThat(host.api.get("/api/v1/integrations/acme/webhooks").json().get("webhooks")).isEmpty();
    }

    /** A raw request; those to the API carry the admin token, so what is refused is the input, not the caller. */
    private static RawHttp.Answer send(String method, String path, String contentType, byte[] body, String... headers) {
        return RawHttp.send(host.port(), method, path, contentType, body, withAuth(path, headers));
    }

    private static RawHttp.Answer chunked(String method, String path, String contentType, long total, byte fill,
                                          String... headers) {
        return RawHttp.chunked(host.port(), method, path, contentType, total, fill, withAuth(path, headers));
    }

    private static String[] withAuth(String path, String[] headers) {
        if (path.startsWith("/webhooks/") || path.startsWith("/api/v1/webhooks/")) {
            return headers; // the connector authenticates the helpdesk's calls
        }
        String[] all = java.util.Arrays.copyOf(headers, headers.length + 1);
        all[headers.length] = "Authorization: Bearer " + host.adminToken();
        return all;
    }

    private static Integer[] box(int[] values) {
        return java.util.Arrays.stream(values).boxed().toArray(Integer[]::new);
    }

    static Map<String, Object> event(String eventId, String occurredAt) {
        return Map.of("eventId", eventId, "integrationId", "acme", "type", "customer_message",
                "occurredAt", occurredAt, "text", "Hello");
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
