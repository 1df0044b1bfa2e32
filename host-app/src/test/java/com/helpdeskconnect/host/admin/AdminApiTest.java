package com.helpdeskconnect.host.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.helpdeskconnect.host.testing.Api;
import com.helpdeskconnect.host.testing.HostFixture;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin console's routes against a real host with the Fake Desk plugin: the page and its
 * headers, the files, the guides, and each API route the console added (integration list, health,
 * conversation search, setup check) with no credential (401), a key without the scope (403) and a
 * key of another integration (404).
 */
class AdminApiTest {
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;
    HostFixture host;

    @BeforeEach
    void start() {
        host = HostFixture.start(dir);
        assertThat(host.putIntegration("desk-a", Map.of("webhookSecret", "hook-a")).status()).isEqualTo(200);
        assertThat(host.putIntegration("desk-b", Map.of()).status()).isEqualTo(200);
    }

    @AfterEach
    void stop() {
        host.close();
    }

    HttpResponse<String> raw(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + host.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A call from the Fake Desk's "business process": its secret header and a text body. */
    int webhook(String secret, String body) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + host.port() + "/webhooks/desk-a"))
                .header("X-Webhook-Secret", secret).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    Api.Response event(String conversation, String eventId, String type, Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("eventId", eventId);
        body.put("integrationId", "desk-a");
        body.put("type", type);
        body.put("occurredAt", "2025-03-01T10:00:00Z");
        body.putAll(extra);
        return host.api.post("/api/v1/conversations/" + conversation + "/events", body);
    }

    @Test
    void consolePageAndFilesAreServedWithAStrictPolicyAndNoInlineCode() throws Exception {
        HttpResponse<String> page = raw("/admin");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(csp).contains("default-src 'none'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'")
                .doesNotContain("unsafe-inline", "unsafe-eval");
        assertThat(page.headers().firstValue("X-Frame-Options")).contains("DENY");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(page.headers().firstValue("Referrer-Policy")).contains("no-referrer");
        // no inline script, no inline style, no handler attributes: the policy would block them
        assertThat(Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>").matcher(page.body()).find()).isFalse();
        assertThat(page.body()).doesNotContain("<style", " style=", " onclick=", " onload=");
        assertThat(page.body()).contains("src=\"/admin/assets/admin.js\"", "href=\"/admin/assets/admin.css\"");

        HttpResponse<String> js = raw("/admin/assets/admin.js");
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/javascript"));
        assertThat(js.body()).doesNotContain("innerHTML", "eval(");
        assertThat(raw("/admin/assets/admin.css").headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("text/css"));
        for (String path : List.of("/admin/assets/index.html", "/admin/assets/..%2F..%2Fopenapi.yaml", "/admin/assets/nope.js",
                "/admin/assets/%2e%2e%2fadmin.js")) {
            HttpResponse<String> r = raw(path);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(r.body()).as(path).contains("\"error\"");
        }
        assertThat(raw("/admin/").statusCode()).isEqualTo(200);
    }

    @Test
    void guidesAreDataPerConnectorWithAGenericFallback() throws Exception {
        JsonNode creatio = new com.fasterxml.jackson.databind.ObjectMapper().readTree(raw("/admin/guides/creatio").body());
        assertThat(creatio.path("connector").asText()).isEqualTo("creatio");
        assertThat(creatio.path("wiring").path("steps").toString()).contains("{webhookUrl}", "{webhookSecret}");
        assertThat(creatio.path("troubleshooting").path("webhook").path("title").asText()).isEqualTo("Agent replies do not reach the customer.");
        JsonNode zendesk = new com.fasterxml.jackson.databind.ObjectMapper().readTree(raw("/admin/guides/zendesk").body());
        assertThat(zendesk.path("wiring").path("steps").toString()).contains("trigger", "{webhookUrl}");
        for (String other : List.of("fakedesk", "..%2Fcreatio", "UPPER")) {
            HttpResponse<String> r = raw("/admin/guides/" + other);
            assertThat(r.statusCode()).as(other).isEqualTo(200);
            assertThat(r.body()).as(other).contains("\"connector\":\"generic\"");
        }
    }

    @Test
    void everyNewRouteNeedsACredentialTheScopeAndTheIntegration() {
        String adminOfA = host.api.createKey("ops-a", List.of("desk-a"), List.of("integrations:admin"));
        String writer = host.api.createKey("platform-a", List.of("desk-a"), List.of("events:write", "conversations:read"));
        Api anonymous = host.anonymous();
        Api ops = host.api.as(adminOfA);
        Api platform = host.api.as(writer);

        assertThat(anonymous.get("/api/v1/integrations").status()).isEqualTo(401);
        assertThat(platform.get("/api/v1/integrations").status()).isEqualTo(403);
        Api.Response listed = ops.get("/api/v1/integrations");
        assertThat(listed.status()).isEqualTo(200);
        assertThat(ids(listed.json().get("integrations"), "id")).containsExactly("desk-a");
        assertThat(ids(host.api.get("/api/v1/integrations").json().get("integrations"), "id")).containsExactly("desk-a", "desk-b");
        assertThat(listed.json().get("integrations").get(0).get("connectorName").asText()).isEqualTo("Fake Desk fakedesk");

        for (String route : List.of("GET /health", "GET /conversations", "GET /setup-check", "POST /setup-check")) {
            String method = route.substring(0, route.indexOf(' '));
            String tail = route.substring(route.indexOf(' ') + 1);
            assertThat(anonymous.send(method, "/api/v1/integrations/desk-a" + tail, null, Map.of()).status()).as(route).isEqualTo(401);
            assertThat(platform.send(method, "/api/v1/integrations/desk-a" + tail, null, Map.of()).status()).as(route).isEqualTo(403);
            assertThat(ops.send(method, "/api/v1/integrations/desk-b" + tail, null, Map.of()).status()).as(route).isEqualTo(404);
            assertThat(ops.send(method, "/api/v1/integrations/nowhere" + tail, null, Map.of()).status()).as(route).isEqualTo(404);
            // the admin token: an unknown integration is 404 too
            assertThat(host.api.send(method, "/api/v1/integrations/nowhere" + tail, null, Map.of()).status()).as(route).isEqualTo(404);
        }
        assertThat(ops.get("/api/v1/integrations/desk-a/health").status()).isEqualTo(200);
        assertThat(ops.get("/api/v1/integrations/desk-a/conversations").status()).isEqualTo(200);
        Api.Response none = ops.get("/api/v1/integrations/desk-a/setup-check");
        assertThat(none.status()).isEqualTo(404);
        assertThat(none.json().get("error").asText()).isEqualTo("no_check");
        // the console's files are public (they hold no data); the page's API calls are not
        assertThat(anonymous.get("/admin").status()).isEqualTo(200);
    }

    @Test
    void healthShowsParkedRetryingRateLimitedAndWebhookCalls() throws Exception {
        assertThat(host.putIntegration("desk-a", Map.of("webhookSecret", "hook-a", "failFirst", 1, "failKind", "PERMANENT")).status())
                .isEqualTo(200);
        assertThat(event("parked-1", "p1", "customer_message", Map.of("text", "Hello")).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                host.api.get("/api/v1/integrations/desk-a/health").json().path("operations").path("parked").asLong() == 1);
        JsonNode health = host.api.get("/api/v1/integrations/desk-a/health").json();
        assertThat(health.path("parked").get(0).path("conversationId").asText()).isEqualTo("parked-1");
        assertThat(health.path("parked").get(0).path("error").asText()).isEqualTo("PERMANENT: Case type is not allowed");
        assertThat(health.path("recentErrors").get(0).path("error").asText()).contains("Case type is not allowed");
        assertThat(health.path("lastSyncAt").isNull()).isTrue();
        assertThat(health.path("conversations").path("open").asLong()).isEqualTo(1);

        // a helpdesk answering 429: the row waits for Retry-After, shown as a rate-limit pause
        assertThat(host.putIntegration("desk-b", Map.of("failFirst", 1000, "failKind", "RATE_LIMITED")).status()).isEqualTo(200);
        Map<String, Object> limited = new LinkedHashMap<>(Map.of("eventId", "r1", "integrationId", "desk-b", "type", "customer_message",
                "occurredAt", "2025-03-01T10:00:00Z", "text", "Hi"));
        assertThat(host.api.post("/api/v1/conversations/limited-1/events", limited).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() ->
                host.api.get("/api/v1/integrations/desk-b/health").json().path("rateLimited").size() == 1);

        // the retry fixes it (the Fake Desk failed only the first write)
        assertThat(host.api.post("/api/v1/conversations/parked-1/retry?integrationId=desk-a", Map.of()).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                host.api.get("/api/v1/integrations/desk-a/health").json().path("operations").path("parked").asLong() == 0);
        assertThat(host.api.get("/api/v1/integrations/desk-a/health").json().path("lastSyncAt").isNull()).isFalse();

        // an authenticated webhook call is listed; a refused one is not stored
        assertThat(webhook("hook-a", "x:case-1:Hello from the agent")).isEqualTo(202);
        assertThat(webhook("nope", "x:case-1:forged")).isEqualTo(401);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            JsonNode w = host.api.get("/api/v1/integrations/desk-a/health").json().path("webhooks");
            return w.path("recent").size() == 1 && w.path("byState").path("DONE").asLong() == 1;
        });
        assertThat(host.api.get("/api/v1/integrations/desk-a/health").json().path("webhooks").path("lastReceivedAt").isNull()).isFalse();
    }

    @Test
    void conversationsAreFoundByIdPrefixOrCaseNumber() {
        for (String c : List.of("order-1", "order-2", "other_1")) {
            assertThat(event(c, c + "-m", "customer_message", Map.of("text", "Hi")).status()).isEqualTo(202);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> host.api.get("/api/v1/integrations/desk-a/conversations").json()
                .path("conversations").findValues("case").stream().noneMatch(JsonNode::isNull)
                && host.api.get("/api/v1/integrations/desk-a/conversations").json().path("conversations").size() == 3);
        assertThat(ids(search("order"), "conversationId")).containsExactlyInAnyOrder("order-1", "order-2");
        assertThat(ids(search("order-2"), "conversationId")).containsExactly("order-2");
        JsonNode byNumber = search(host.api.get("/api/v1/conversations/other_1?integrationId=desk-a").json().path("case").path("number")
                .asText().toLowerCase(java.util.Locale.ROOT));
        assertThat(ids(byNumber, "conversationId")).containsExactly("other_1");
        assertThat(byNumber.get(0).path("case").path("link").asText()).startsWith("https://fake.example/cases/");
        // LIKE wildcards are text: '_' matches only '_', '%' nothing
        assertThat(ids(search("other_"), "conversationId")).containsExactly("other_1");
        assertThat(search("order_")).isEmpty();
        assertThat(search("%")).isEmpty();
        assertThat(search("nothing-like-it")).isEmpty();
        // other integrations' conversations are never listed
        assertThat(host.api.get("/api/v1/integrations/desk-b/conversations").json().path("conversations")).isEmpty();
        assertThat(host.api.get("/api/v1/integrations/desk-a/conversations?limit=0").status()).isEqualTo(400);
        assertThat(host.api.get("/api/v1/integrations/desk-a/conversations?limit=x").status()).isEqualTo(400);
        assertThat(host.api.get("/api/v1/integrations/desk-a/conversations?limit=2").json().path("conversations")).hasSize(2);
        assertThat(host.api.get("/api/v1/integrations/desk-a/conversations?q=" + "a".repeat(201)).status()).isEqualTo(400);
    }

    JsonNode search(String q) {
        Api.Response r = host.api.get("/api/v1/integrations/desk-a/conversations?q=" + java.net.URLEncoder.encode(q,
                java.nio.charset.StandardCharsets.UTF_8));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json().path("conversations");
    }

    @Test
    void setupCheckPassesWhenTheHelpdeskCallsBackAndCleansUp() throws Exception {
        Api.Response started = host.api.post("/api/v1/integrations/desk-a/setup-check", Map.of());
        assertThat(started.status()).as(started.text()).isEqualTo(202);
        String conversation = started.json().path("conversationId").asText();
        assertThat(conversation).startsWith("setup-check-");
        assertThat(ids(started.json().path("steps"), "id")).containsExactly("send", "case", "messages", "handoff", "webhook", "cleanup");
        assertThat(host.api.post("/api/v1/integrations/desk-a/setup-check", Map.of()).status()).isEqualTo(409);

        // the "helpdesk" calls back once the check waits for it, as a business process would on our activity
        await().atMost(Duration.ofSeconds(20)).until(() -> step(check(), "webhook").path("state").asText().equals("running"));
        String caseId = check().path("case").path("id").asText();
        assertThat(webhook("hook-a", "x:" + caseId + ":seen")).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> !check().path("state").asText().equals("running"));
        JsonNode run = check();
        assertThat(run.path("state").asText()).as(run.toString()).isEqualTo("passed");
        for (JsonNode step : run.path("steps")) {
            assertThat(step.path("state").asText()).as(step.toString()).isEqualTo("passed");
            assertThat(step.path("troubleshooting").isNull()).isTrue();
        }
        assertThat(step(run, "case").path("detail").asText()).contains("CASE-");
        assertThat(step(run, "handoff").path("detail").asText()).contains("fields filled: priority, category");
        assertThat(step(run, "webhook").path("detail").asText()).contains("right secret");
        assertThat(step(run, "cleanup").path("detail").asText()).contains("resolved");

        // the test conversation went the normal way and is clearly marked
        JsonNode c = host.api.get("/api/v1/conversations/" + conversation + "?integrationId=desk-a").json();
        assertThat(c.path("status").asText()).isEqualTo("resolved");
        assertThat(c.path("transcript").get(0).path("author").asText()).isEqualTo("Helpdesk Connect setup check");
        assertThat(ids(c.path("transcript"), "eventId")).allMatch(id -> id.startsWith("setup-check-") || id.startsWith("reply-"));
        JsonNode audit = host.api.get("/api/v1/audit").json().path("entries");
        assertThat(ids(audit, "action")).contains("integration.setup_check", "integration.setup_check.finished");
        assertThat(audit.toString()).contains(conversation + " passed");
    }

    @Test
    void setupCheckNamesTheTroubleshootingEntryWhenNoCaseIsCreated() {
        assertThat(host.putIntegration("desk-a", Map.of("webhookSecret", "hook-a", "failFirst", 1000, "failKind", "PERMANENT")).status())
                .isEqualTo(200);
        assertThat(host.api.post("/api/v1/integrations/desk-a/setup-check", Map.of()).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(40)).until(() -> !check().path("state").asText().equals("running"));
        JsonNode run = check();
        assertThat(run.path("state").asText()).isEqualTo("failed");
        JsonNode caseStep = step(run, "case");
        assertThat(caseStep.path("state").asText()).isEqualTo("failed");
        assertThat(caseStep.path("detail").asText()).contains("parked", "PERMANENT: Case type is not allowed");
        assertThat(caseStep.path("troubleshooting").path("title").asText()).isEqualTo("Cases are not created.");
        for (String skipped : List.of("messages", "handoff", "webhook")) {
            assertThat(step(run, skipped).path("state").asText()).isEqualTo("skipped");
        }
        assertThat(step(run, "cleanup").path("state").asText()).isEqualTo("passed");
        assertThat(step(run, "cleanup").path("detail").asText()).contains("discarded");
        // nothing of the test is left waiting: every test operation parked was discarded
        JsonNode health = host.api.get("/api/v1/integrations/desk-a/health").json();
        assertThat(health.path("operations").path("parked").asLong()).isZero();
        assertThat(health.path("operations").path("pending").asLong()).isZero();
        assertThat(host.api.get("/api/v1/conversations/" + run.path("conversationId").asText() + "?integrationId=desk-a").json()
                .path("discarded")).hasSize(3);
    }

    JsonNode check() {
        return host.api.get("/api/v1/integrations/desk-a/setup-check").json();
    }

    static JsonNode step(JsonNode run, String id) {
        for (JsonNode s : run.path("steps")) {
            if (s.path("id").asText().equals(id)) {
                return s;
            }
        }
        throw new AssertionError("no step " + id + " in " + run);
    }

    static List<String> ids(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.path(field).asText()));
        return out;
    }
}
