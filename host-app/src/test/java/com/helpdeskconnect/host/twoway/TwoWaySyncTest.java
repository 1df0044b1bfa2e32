package com.helpdeskconnect.host.twoway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.helpdeskconnect.host.e2e.CreatioPluginJar;
import com.helpdeskconnect.host.sync.CallbackSigner;
import com.helpdeskconnect.host.testing.Api;
import com.helpdeskconnect.host.testing.HostFixture;
import com.helpdeskconnect.sandbox.CreatioSandbox;
import com.helpdeskconnect.sandbox.CreatioSandboxExtension;
import com.helpdeskconnect.sandbox.model.StandardRows;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhooks in, callbacks and live streams out: the host with the real Creatio plugin jar, the
 * sandbox's business processes calling {@code POST /webhooks/{id}}, and a real callback receiver.
 */
class TwoWaySyncTest {
    static final String SECRET = "e2e-webhook-secret";
    static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final CreatioSandboxExtension creatio = new CreatioSandboxExtension();

    @TempDir
    Path dir;
    HostFixture host;
    CreatioSandbox sandbox;
    CallbackReceiver receiver;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        sandbox = creatio.sandbox();
        CreatioPluginJar.installInto(dir.resolve("plugins"));
        host = HostFixture.start(dir);
        receiver = new CallbackReceiver();
        Map<String, Object> settings = CreatioPluginJar.settings(sandbox);
        settings.put("defaultCaseOwnerId", StandardRows.CONTACT_AGENT);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("connector", "creatio");
        body.put("settings", settings);
        body.put("callbackUrl", receiver.url());
        assertThat(host.api.put("/api/v1/integrations/desk", body).status()).isEqualTo(200);
        sandbox.webhooks().configure(webhookUrl(), SECRET);
    }

    @AfterEach
    void stop() {
        receiver.close();
        host.close();
    }

    String webhookUrl() {
        return "http://127.0.0.1:" + host.port() + "/webhooks/desk";
    }

    /** A customer message; returns the Creatio case id once the case exists. */
    String openConversation(String conversation) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("eventId", conversation + "-1");
        event.put("integrationId", "desk");
        event.put("type", "customer_message");
        event.put("occurredAt", "2025-03-01T10:00:00Z");
        event.put("text", "My parcel never arrived");
        event.put("customer", Map.of("name", "Ada Lovelace", "email", "ada@example.com"));
        assertThat(host.api.post("/api/v1/conversations/" + conversation + "/events", event).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> !conversation(conversation).get("case").isNull()
                && conversation(conversation).get("pending").isEmpty());
        return conversation(conversation).get("case").get("id").asText();
    }

    JsonNode conversation(String id) {
        return host.api.get("/api/v1/conversations/" + id + "?integrationId=desk").json();
    }

    List<JsonNode> transcript(String conversation, String type) {
        return StreamSupport.stream(conversation(conversation).get("transcript").spliterator(), false)
                .filter(e -> e.get("type").asText().equals(type)).toList();
    }

    HttpResponse<String> postWebhook(String path, String contentType, String secret, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + host.port() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (secret != null) {
            request.header("X-Helpdesk-Connect-Secret", secret);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    int storedWebhooks() {
        return host.api.get("/api/v1/integrations/desk/webhooks").json().get("webhooks").size();
    }

    @Test
    void integrationShowsCanonicalWebhookUrlAndCallbackSigningKey() {
        JsonNode got = host.api.get("/api/v1/integrations/desk").json();
        assertThat(got.get("webhook").get("url").asText()).isEqualTo(webhookUrl());
        assertThat(got.get("callbackUrl").asText()).isEqualTo(receiver.url());
        assertThat(got.get("callback").get("secret").asText()).hasSizeGreaterThan(20);
        assertThat(got.get("callback").get("signatureHeader").asText()).isEqualTo("X-Helpdesk-Connect-Signature");
        assertThat(got.get("settings").get("clientSecret").asText()).isEqualTo("********");
    }

    /** The conversation's stream as a chat widget opens it: with a signed chat link. */
    String streamUrl(String conversation) {
        Api.Response link = host.api.post("/api/v1/conversations/" + conversation + "/chat-link", Map.of("integrationId", "desk"));
        assertThat(link.status()).as(link.text()).isEqualTo(201);
        return "http://127.0.0.1:" + host.port() + "/api/v1/conversations/" + conversation + "/stream?token="
                + link.json().get("token").asText();
    }

    @Test
    void agentReplyJoinsTranscriptReachesCallbackSignedAndStreamsLive() throws Exception {
        String caseId = openConversation("conv-reply");
        try (SseListener stream = new SseListener(streamUrl("conv-reply"), null)) {
            stream.awaitEvents(1); // the customer's message, replayed
            sandbox.agent().reply(caseId, "We are sending a replacement today.");

            await().atMost(Duration.ofSeconds(30)).until(() -> transcript("conv-reply", "agent_reply").size() == 1);
            JsonNode reply = transcript("conv-reply", "agent_reply").get(0);
            assertThat(reply.get("text").asText()).isEqualTo("We are sending a replacement today.");
            assertThat(reply.get("syncedAt").isNull()).isFalse();

            stream.awaitEvents(2);
            assertThat(stream.contentType()).startsWith("text/event-stream");
            JsonNode live = JSON.readTree(stream.data.get(1));
            assertThat(live.get("type").asText()).isEqualTo("agent_reply");
            assertThat(live.get("text").asText()).isEqualTo("We are sending a replacement today.");
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.accepted().size() == 1);
        CallbackReceiver.Received callback = receiver.accepted().get(0);
        String key = host.api.get("/api/v1/integrations/desk").json().get("callback").get("secret").asText();
        assertThat(CallbackSigner.verify(key, callback.body(), callback.header("X-Helpdesk-Connect-Signature"))).isTrue();
        assertThat(CallbackSigner.verify("wrong-key", callback.body(), callback.header("X-Helpdesk-Connect-Signature"))).isFalse();
        assertThat(callback.header("X-Helpdesk-Connect-Event")).isEqualTo("agent_reply");
        JsonNode payload = JSON.readTree(callback.body());
        assertThat(payload.get("conversationId").asText()).isEqualTo("conv-reply");
        assertThat(payload.get("text").asText()).isEqualTo("We are sending a replacement today.");
        assertThat(payload.get("case").get("number").asText()).startsWith("SR");
        await().atMost(Duration.ofSeconds(10)).until(() ->
                conversation("conv-reply").get("callbacks").get(0).get("state").asText().equals("DONE"));
    }

    @Test
    void streamResumesAfterLastEventId() {
        openConversation("conv-resume");
        try (SseListener all = new SseListener(streamUrl("conv-resume"), null)) {
            all.awaitEvents(1);
            try (SseListener resumed = new SseListener(streamUrl("conv-resume"), all.ids.get(0))) {
                await().atMost(Duration.ofSeconds(30)).until(() -> resumed.status() == 200);
                sandbox.agent().reply(conversation("conv-resume").get("case").get("id").asText(), "Hello again");
                resumed.awaitEvents(1);
                all.awaitEvents(2);
                assertThat(resumed.data.get(0)).contains("Hello again");
            }
        }
    }

    @Test
    void callbackIsRetriedUntilTheChannelAcceptsIt() {
        receiver.failNext(2);
        String caseId = openConversation("conv-retry");
        sandbox.agent().reply(caseId, "Sorry for the wait");
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.accepted().size() == 1);
        assertThat(receiver.received).hasSize(3);
        // every attempt carries the same body and signature: the delivery id lets the channel drop repeats
        assertThat(receiver.received.stream().map(CallbackReceiver.Received::text).distinct()).hasSize(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            JsonNode cb = conversation("conv-retry").get("callbacks").get(0);
            return cb.get("state").asText().equals("DONE") && cb.get("attempts").asInt() == 3;
        });
    }

    @Test
    void aRateLimitedCallbackWaitsForItsRetryAfterWithoutCountingAnAttempt() {
        receiver.rateLimitNext(1, 2);
        String caseId = openConversation("conv-429");
        sandbox.agent().reply(caseId, "One moment please");
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.accepted().size() == 1);
        assertThat(receiver.received).extracting(CallbackReceiver.Received::answered).containsExactly(429, 204);
        // the channel's Retry-After is kept, not the backoff's first (shorter) delay
        assertThat(Duration.between(receiver.received.get(0).at(), receiver.received.get(1).at()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(1900));
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            JsonNode cb = conversation("conv-429").get("callbacks").get(0);
            // the wait the channel asked for is no attempt: only the delivery counts
            return cb.get("state").asText().equals("DONE") && cb.get("attempts").asInt() == 1;
        });
    }

    @Test
    void caseResolvedInCreatioResolvesConversationAndReopenOpensIt() {
        String caseId = openConversation("conv-close");
        sandbox.agent().resolve(caseId, "Replacement delivered");
        await().atMost(Duration.ofSeconds(30)).until(() -> conversation("conv-close").get("status").asText().equals("resolved"));
        assertThat(transcript("conv-close", "case_resolved")).singleElement()
                .satisfies(e -> assertThat(e.get("text").asText()).contains("Replacement delivered"));
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.accepted().size() == 1);
        assertThat(receiver.accepted().get(0).header("X-Helpdesk-Connect-Event")).isEqualTo("conversation_resolved");

        sandbox.agent().reopen(caseId);
        await().atMost(Duration.ofSeconds(30)).until(() -> conversation("conv-close").get("status").asText().equals("open"));
        assertThat(transcript("conv-close", "case_reopened")).hasSize(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.accepted().size() == 2);
        assertThat(receiver.accepted().get(1).header("X-Helpdesk-Connect-Event")).isEqualTo("conversation_reopened");

        // the customer writes again: it lands on the same, reopened case
        Map<String, Object> again = new LinkedHashMap<>();
        again.put("eventId", "conv-close-2");
        again.put("integrationId", "desk");
        again.put("type", "customer_message");
        again.put("occurredAt", "2025-03-02T10:00:00Z");
        again.put("text", "It broke again");
        assertThat(host.api.post("/api/v1/conversations/conv-close/events", again).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> sandbox.inspect().findCase(caseId).orElseThrow()
                .activities().stream().anyMatch(a -> "It broke again".equals(a.get("Body"))));
        assertThat(sandbox.inspect().cases()).hasSize(1);
    }

    @Test
    void ourOwnResolveIsNotEchoedBack() throws Exception {
        String caseId = openConversation("conv-ours");
        Map<String, Object> resolved = new LinkedHashMap<>();
        resolved.put("eventId", "conv-ours-2");
        resolved.put("integrationId", "desk");
        resolved.put("type", "resolved");
        resolved.put("occurredAt", "2025-03-01T11:00:00Z");
        resolved.put("resolution", "Answered by the AI");
        assertThat(host.api.post("/api/v1/conversations/conv-ours/events", resolved).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> conversation("conv-ours").get("status").asText().equals("resolved"));
        // the business process fires for our status change too; the host takes it and drops the echo
        await().atMost(Duration.ofSeconds(30)).until(() -> sandbox.webhooks().deliveries().stream()
                .anyMatch(d -> d.succeeded() && d.event().event().equals("case_status_changed")));
        await().atMost(Duration.ofSeconds(10)).until(() -> host.api.get("/api/v1/integrations/desk/webhooks").json()
                .get("webhooks").get(0).get("state").asText().equals("DONE"));
        assertThat(transcript("conv-ours", "case_resolved")).isEmpty();
        assertThat(receiver.received).isEmpty();
        assertThat(sandbox.inspect().requestCount("PATCH", "/0/odata/Case({id})")).isEqualTo(1);
    }

    @Test
    void badOrMissingSecretIs401AndNothingIsStored() throws Exception {
        String body = "{\"event\":\"activity_added\",\"caseId\":\"" + java.util.UUID.randomUUID() + "\",\"recordId\":\"" + java.util.UUID.randomUUID() + "\"}";
        HttpResponse<String> wrong = postWebhook("/webhooks/desk", "application/json", "not-the-secret", body);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(wrong.body()).get("error").asText()).isEqualTo("unauthenticated");
        assertThat(wrong.body()).doesNotContain(SECRET);
        assertThat(postWebhook("/webhooks/desk", "application/json", null, body).statusCode()).isEqualTo(401);
        assertThat(storedWebhooks()).isZero();
        assertThat(postWebhook("/webhooks/nope", "application/json", SECRET, body).statusCode()).isEqualTo(404);
    }

    @Test
    void duplicateDeliveryOfOneReplyYieldsOneTranscriptEntryAndOneCallback() throws Exception {
        String caseId = openConversation("conv-dup");
        String activityId = sandbox.agent().reply(caseId, "Only once, please");
        await().atMost(Duration.ofSeconds(30)).until(() -> transcript("conv-dup", "agent_reply").size() == 1);
        // the business process retries (or the admin has two processes): same payload again, both paths
        String body = "{\"event\":\"activity_added\",\"caseId\":\"" + caseId + "\",\"recordId\":\"" + activityId + "\"}";
        assertThat(postWebhook("/webhooks/desk", "application/json", SECRET, body).statusCode()).isEqualTo(202);
        assertThat(postWebhook("/api/v1/webhooks/desk", "application/json", SECRET, body).statusCode()).isEqualTo(202);
        // 4 calls: the process fired for our own activity (the customer's message: an echo, no event),
        // for the agent's reply, and the two repeats
        await().atMost(Duration.ofSeconds(10)).until(() -> storedWebhooks() == 4
                && StreamSupport.stream(host.api.get("/api/v1/integrations/desk/webhooks").json().get("webhooks").spliterator(), false)
                        .allMatch(w -> w.get("state").asText().equals("DONE")));
        assertThat(host.api.get("/api/v1/integrations/desk/webhooks").json().get("webhooks").get(0).get("note").asText())
                .contains("duplicate");
        assertThat(transcript("conv-dup", "agent_reply")).hasSize(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.accepted().size() == 1);
        Thread.sleep(300);
        assertThat(receiver.received).hasSize(1);
    }

    @Test
    void oversizeBodyIs413AndNothingIsStored() throws Exception {
        String big = "{\"event\":\"activity_added\",\"pad\":\"" + "x".repeat(70_000) + "\"}";
        HttpResponse<String> response = postWebhook("/webhooks/desk", "application/json", SECRET, big);
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(response.body()).get("error").asText()).isEqualTo("request_too_large");
        assertThat(storedWebhooks()).isZero();
    }

    @Test
    void malformedJsonIs400AndNothingIsStored() throws Exception {
        HttpResponse<String> response = postWebhook("/webhooks/desk", "application/json", SECRET, "{\"event\": \"activity_added\",");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).get("error").asText()).isEqualTo("invalid_json");
        assertThat(storedWebhooks()).isZero();
    }

    @Test
    void unknownEventIsAcknowledgedThenParkedWithTheConnectorsReason() throws Exception {
        HttpResponse<String> response = postWebhook("/webhooks/desk", "application/json", SECRET, "{\"event\":\"case_deleted\",\"caseId\":\""
                + java.util.UUID.randomUUID() + "\"}");
        assertThat(response.statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> host.api.get("/api/v1/integrations/desk/webhooks").json()
                .get("webhooks").get(0).get("state").asText().equals("PARKED"));
        assertThat(host.api.get("/api/v1/integrations/desk/webhooks").json().get("webhooks").get(0).get("note").asText())
                .contains("Unknown webhook event");
    }

    @Test
    void callbackUrlIsValidatedAndCanBeRemoved() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("connector", "creatio");
        body.put("settings", CreatioPluginJar.settings(sandbox));
        body.put("callbackUrl", "ftp://example.com/x");
        Api.Response bad = host.api.put("/api/v1/integrations/desk", body);
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.json().get("fields").get("callbackUrl").asText()).contains("http");
        body.remove("callbackUrl"); // absent keeps it
        assertThat(host.api.put("/api/v1/integrations/desk", body).json().get("callbackUrl").asText()).isEqualTo(receiver.url());
        body.put("callbackUrl", null); // null removes it
        assertThat(host.api.put("/api/v1/integrations/desk", body).json().get("callbackUrl").isNull()).isTrue();
    }
}
