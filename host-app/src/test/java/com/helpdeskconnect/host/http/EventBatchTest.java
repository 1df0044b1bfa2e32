package com.helpdeskconnect.host.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.helpdeskconnect.host.demo.ChatStream;
import com.helpdeskconnect.host.testing.Api;
import com.helpdeskconnect.host.testing.HostFixture;
import com.helpdeskconnect.host.testing.Journal;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/v1/events}: several events of any conversations in one request, each checked as
 * the single route checks it, the valid ones committed together, an outcome per event in input order.
 */
class EventBatchTest {
    static final String BATCH = "/api/v1/events";

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

    static Map<String, Object> message(String conversationId, String eventId, String text) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("conversationId", conversationId);
        event.put("eventId", eventId);
        event.put("type", "customer_message");
        event.put("occurredAt", "2025-03-01T10:00:00Z");
        event.put("text", text);
        return event;
    }

    static Map<String, Object> named(Map<String, Object> event, String integrationId) {
        Map<String, Object> copy = new LinkedHashMap<>(event);
        copy.put("integrationId", integrationId);
        return copy;
    }

    static Map<String, Object> batch(Object... events) {
        return Map.of("events", List.of(events));
    }

    private static List<String> statuses(Api.Response r) {
        return StreamSupport.stream(r.json().get("results").spliterator(), false).map(n -> n.get("status").asText()).toList();
    }

    private JsonNode conversation(String id) {
        return host.api.get("/api/v1/conversations/" + id + "?integrationId=acme").json();
    }

    private static List<String> transcriptIds(JsonNode conversation) {
        return StreamSupport.stream(conversation.get("transcript").spliterator(), false).map(t -> t.get("eventId").asText()).toList();
    }

    @Test
    void eventsOfSeveralConversationsAreAcceptedTogetherAndKeepTheirOrder() throws Exception {
        Api ai = host.api.as(host.api.createKey("ai", List.of("acme"), List.of("events:write", "conversations:read")));
        try (ChatStream stream = new ChatStream(HttpClient.newHttpClient(), URI.create("http://127.0.0.1:" + host.port()
                + "/api/v1/conversations/b/stream"), Duration.ofMillis(200), null, Map.of("Authorization", "Bearer " + ai.token()))) {
            Map<String, Object> handoff = new LinkedHashMap<>(Map.of("conversationId", "b", "eventId", "b3", "type", "handoff",
                    "occurredAt", "2025-03-01T10:05:00Z", "summary", "Wants a human"));
            Api.Response r = ai.post(BATCH, batch(message("a", "a1", "one"), message("b", "b1", "two"), message("a", "a2", "three"),
                    message("b", "b2", "four"), message("a", "a3", "five"), handoff));
            assertThat(r.status()).as(r.text()).isEqualTo(200);
            assertThat(statuses(r)).containsOnly("accepted").hasSize(6);
            JsonNode first = r.json().get("results").get(1);
            assertThat(first.get("index").asInt()).isEqualTo(1);
            assertThat(first.get("eventId").asText()).isEqualTo("b1");
            assertThat(first.get("conversationId").asText()).isEqualTo("b");
            assertThat(first.has("error")).isFalse();
            assertThat(r.json().get("accepted").asInt()).isEqualTo(6);
            assertThat(r.json().get("duplicates").asInt()).isZero();
            assertThat(r.json().get("rejected").asInt()).isZero();
            // committed before the answer: readable at once, in array order per conversation
            assertThat(transcriptIds(conversation("a"))).containsExactly("a1", "a2", "a3");
            assertThat(transcriptIds(conversation("b"))).containsExactly("b1", "b2", "b3");
            // the conversation's live stream was told
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> stream.data().stream().filter(d -> d.contains("\"eventId\"")).count() == 3);
        }
        // the outbox kept the order: the helpdesk got each conversation's events as sent
        await().atMost(Duration.ofSeconds(60)).until(() -> conversation("a").get("pending").isEmpty()
                && conversation("b").get("pending").isEmpty());
        List<String> written = Journal.activityIds(host.journal);
        assertThat(written.stream().filter(id -> id.startsWith("a")).toList()).containsExactly("a1", "a2", "a3");
        assertThat(written.stream().filter(id -> id.startsWith("b")).toList()).containsExactly("b1", "b2", "b3");
        assertThat(counted("accepted")).isEqualTo(6);
    }

    @Test
    void repeatedEventsAreDuplicatesInsideABatchAndAcrossBatches() {
        Map<String, Object> m1 = named(message("c1", "m1", "hello"), "acme");
        Map<String, Object> m2 = named(message("c1", "m2", "again"), "acme");
        assertThat(host.api.post("/api/v1/conversations/c1/events", m1).status()).isEqualTo(202);
        Api.Response r = host.api.post(BATCH, batch(m1, m2, m2));
        assertThat(statuses(r)).containsExactly("duplicate", "accepted", "duplicate");
        assertThat(r.json().get("duplicates").asInt()).isEqualTo(2);
        // the whole batch sent again (as after a timeout): nothing new
        Api.Response again = host.api.post(BATCH, batch(m1, m2, m2));
        assertThat(again.status()).isEqualTo(200);
        assertThat(statuses(again)).containsOnly("duplicate");
        assertThat(again.json().get("accepted").asInt()).isZero();
        assertThat(transcriptIds(conversation("c1"))).containsExactly("m1", "m2");
        assertThat(counted("duplicate")).isEqualTo(5);
    }

    @Test
    void aRefusedEventIsItsOwnOutcomeAndTheOthersAreAccepted() {
        assertThat(host.api.post(BATCH, batch(named(message("c1", "used", "first"), "acme"))).json().get("accepted").asInt())
                .isEqualTo(1);
        Map<String, Object> missingText = named(message("c2", "bad", "x"), "acme");
        missingText.remove("text");
        missingText.put("occurredAt", "yesterday");
        Map<String, Object> noConversation = named(message("c2", "lost", "x"), "acme");
        noConversation.remove("conversationId");
        Map<String, Object> numericConversation = named(message("c2", "num", "x"), "acme");
        numericConversation.put("conversationId", 7);
        List<Object> events = new ArrayList<>(List.of(
                named(message("c2", "ok-1", "fine"), "acme"),
                named(message("c2", "used", "reused in another conversation"), "acme"),
                named(message("c1", "used", "other content"), "acme"),
                missingText,
                "not an event",
                noConversation,
                numericConversation,
                named(message("c2", "ghost", "x"), "nobody"),
                named(message("c3", "ok-2", "fine too"), "acme")));
        Api.Response r = host.api.post(BATCH, Map.of("events", events));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(statuses(r)).containsExactly("accepted", "rejected", "rejected", "rejected", "rejected", "rejected", "rejected",
                "rejected", "accepted");
        JsonNode results = r.json().get("results");
        for (int i : new int[] {1, 2}) {
            assertThat(results.get(i).get("error").get("status").asInt()).isEqualTo(409);
            assertThat(results.get(i).get("error").get("code").asText()).isEqualTo("conflict");
        }
        assertThat(results.get(1).get("error").get("message").asText()).contains("another conversation");
        assertThat(results.get(2).get("error").get("message").asText()).contains("other content");
        JsonNode invalid = results.get(3);
        assertThat(invalid.get("eventId").asText()).isEqualTo("bad");
        assertThat(invalid.get("error").get("status").asInt()).isEqualTo(400);
        assertThat(invalid.get("error").get("code").asText()).isEqualTo("invalid_request");
        assertThat(invalid.get("error").get("fields").has("text")).isTrue();
        assertThat(invalid.get("error").get("fields").has("occurredAt")).isTrue();
        assertThat(results.get(4).get("error").get("status").asInt()).isEqualTo(400);
        assertThat(results.get(4).get("eventId").isNull()).isTrue();
        assertThat(results.get(5).get("error").get("fields").get("conversationId").asText()).isEqualTo("is required");
        assertThat(results.get(6).get("error").get("fields").get("conversationId").asText()).isEqualTo("must be text");
        assertThat(results.get(6).get("conversationId").isNull()).isTrue();
        // the admin token covers every integration, but there is no "nobody"
        assertThat(results.get(7).get("error").get("status").asInt()).isEqualTo(422);
        assertThat(results.get(7).get("error").get("code").asText()).isEqualTo("unknown_integration");
        assertThat(r.json().get("accepted").asInt()).isEqualTo(2);
        assertThat(r.json().get("rejected").asInt()).isEqualTo(7);
        assertThat(transcriptIds(conversation("c2"))).containsExactly("ok-1");
        assertThat(transcriptIds(conversation("c3"))).containsExactly("ok-2");
        assertThat(transcriptIds(conversation("c1"))).containsExactly("used");
    }

    @Test
    void aRefusedEventHoldsBackTheLaterEventsOfItsConversationSoTheCorrectedOneKeepsItsPlace() {
        Map<String, Object> invalid = named(message("c5", "h2", "x"), "acme");
        invalid.remove("text");
        Api.Response r = host.api.post(BATCH, batch(named(message("c5", "h1", "one"), "acme"), invalid,
                named(message("c5", "h3", "three"), "acme"), named(message("c6", "x1", "other"), "acme"),
                named(message("c5", "h4", "four"), "acme")));
        assertThat(statuses(r)).containsExactly("accepted", "rejected", "rejected", "accepted", "rejected");
        JsonNode results = r.json().get("results");
        assertThat(results.get(1).get("error").get("status").asInt()).isEqualTo(400);
        for (int i : new int[] {2, 4}) {
            assertThat(results.get(i).get("error").get("status").asInt()).isEqualTo(424);
            assertThat(results.get(i).get("error").get("code").asText()).isEqualTo("held_back");
        }
        assertThat(transcriptIds(conversation("c5"))).containsExactly("h1");
        // corrected and sent again, in order: the conversation reads as it was written
        Api.Response again = host.api.post(BATCH, batch(named(message("c5", "h2", "two"), "acme"),
                named(message("c5", "h3", "three"), "acme"), named(message("c5", "h4", "four"), "acme")));
        assertThat(statuses(again)).containsOnly("accepted");
        assertThat(transcriptIds(conversation("c5"))).containsExactly("h1", "h2", "h3", "h4");

        // a conflict found at the commit holds back the rest of its conversation too
        Api.Response conflict = host.api.post(BATCH, batch(named(message("c7", "h1", "reused id"), "acme"),
                named(message("c7", "u2", "after it"), "acme"), named(message("c8", "u3", "elsewhere"), "acme")));
        assertThat(statuses(conflict)).containsExactly("rejected", "rejected", "accepted");
        assertThat(conflict.json().get("results").get(0).get("error").get("status").asInt()).isEqualTo(409);
        assertThat(conflict.json().get("results").get(1).get("error").get("code").asText()).isEqualTo("held_back");
        assertThat(host.api.get("/api/v1/conversations/c7?integrationId=acme").status()).isEqualTo(404);
    }

    @Test
    void eachEventsIntegrationComesFromTheKeyAsOnTheSingleRoute() {
        Api acme = host.api.as(host.api.createKey("acme-ai", List.of("acme"), List.of("events:write")));
        Api both = host.api.as(host.api.createKey("both", List.of("acme", "beta"), List.of("events:write")));
        Api.Response r = acme.post(BATCH, batch(message("c1", "m1", "mine"), named(message("c1", "m2", "named"), "acme"),
                named(message("c1", "m3", "forged"), "beta")));
        assertThat(statuses(r)).containsExactly("accepted", "accepted", "rejected");
        JsonNode forged = r.json().get("results").get(2).get("error");
        assertThat(forged.get("status").asInt()).isEqualTo(404);
        assertThat(forged.get("code").asText()).isEqualTo("not_found");
        assertThat(host.api.get("/api/v1/conversations/c1?integrationId=beta").status()).isEqualTo(404);
        // a key for several integrations names one per event (or in the query, for all)
        Api.Response unnamed = both.post(BATCH, batch(message("c2", "m1", "which?"), named(message("c2-beta", "m2", "beta's"), "beta")));
        assertThat(statuses(unnamed)).containsExactly("rejected", "accepted");
        assertThat(unnamed.json().get("results").get(0).get("error").get("fields").has("integrationId")).isTrue();
        assertThat(statuses(both.post(BATCH + "?integrationId=acme", batch(message("c3", "q1", "acme's")))))
                .containsExactly("accepted");
        assertThat(host.api.get("/api/v1/conversations/c3?integrationId=acme").status()).isEqualTo(200);
        // an integration deleted meanwhile: 422 for that event, as on the single route
        assertThat(host.api.delete("/api/v1/integrations/beta").status()).isEqualTo(204);
        Api.Response gone = both.post(BATCH, batch(named(message("c4", "g1", "x"), "beta"), named(message("c4", "g2", "y"), "acme")));
        assertThat(statuses(gone)).containsExactly("rejected", "accepted");
        assertThat(gone.json().get("results").get(0).get("error").get("status").asInt()).isEqualTo(422);
    }

    @Test
    void credentialsAreCheckedBeforeTheBody() {
        Map<String, Object> body = batch(named(message("c1", "m1", "hi"), "acme"));
        Api.Response anonymous = host.anonymous().post(BATCH, body);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.json().get("error").asText()).isEqualTo("unauthorized");
        Api reader = host.api.as(host.api.createKey("widget", List.of("acme"), List.of("conversations:read")));
        assertThat(reader.post(BATCH, body).status()).isEqualTo(403);
        // a chat link posts single customer messages to its own conversation, never a batch
        String link = host.api.post("/api/v1/conversations/c1/chat-link", Map.of("integrationId", "acme")).json()
                .get("token").asText();
        Api customer = host.api.as(link);
        Api.Response refused = customer.post(BATCH, batch(message("c1", "m1", "hi")));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().get("error").asText()).isEqualTo("forbidden");
        assertThat(customer.post("/api/v1/conversations/c1/events", Map.of("eventId", "m1", "type", "customer_message",
                "occurredAt", "2025-03-01T10:00:00Z", "text", "hi")).status()).isEqualTo(202);
        assertThat(transcriptIds(conversation("c1"))).containsExactly("m1");
    }

    @Test
    void aBatchOutsideItsLimitsIsRefusedWhole() {
        List<Object> hundred = new ArrayList<>();
        for (int i = 0; i < ConversationsApi.MAX_BATCH_EVENTS; i++) {
            hundred.add(named(message("c" + (i % 7), "e" + i, "message " + i), "acme"));
        }
        List<Object> tooMany = new ArrayList<>(hundred);
        tooMany.add(named(message("c1", "e-last", "one too many"), "acme"));
        Api.Response over = host.api.post(BATCH, Map.of("events", tooMany));
        assertThat(over.status()).isEqualTo(413);
        assertThat(over.json().get("error").asText()).isEqualTo("too_many_events");
        assertThat(over.json().get("fields").has("events")).isTrue();
        assertThat(host.api.get("/api/v1/conversations/c1?integrationId=acme").status()).isEqualTo(404);

        // bytes: 100 events within the count, over max-request-bytes (1 MB)
        List<Object> large = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            large.add(named(message("big", "big-" + i, "x".repeat(11_000)), "acme"));
        }
        Api.Response tooLarge = host.api.post(BATCH, Map.of("events", large));
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.json().get("error").asText()).isEqualTo("request_too_large");

        for (Object bad : List.of("{\"events\": [", "[]", "{}", "{\"events\": {}}", "{\"events\": \"x\"}", "{\"events\": []}",
                "{\"events\": null}")) {
            Api.Response r = host.api.post(BATCH, bad);
            assertThat(r.status()).as(bad.toString()).isEqualTo(400);
            assertThat(r.json().get("error").asText()).as(bad.toString()).isIn("invalid_json", "invalid_request");
        }
        assertThat(host.api.post(BATCH, "{\"events\": []}").json().get("fields").get("events").asText()).contains("at least one");
        assertThat(host.api.get("/api/v1/conversations/big?integrationId=acme").status()).isEqualTo(404);

        Api.Response full = host.api.post(BATCH, Map.of("events", hundred));
        assertThat(full.status()).isEqualTo(200);
        assertThat(full.json().get("accepted").asInt()).isEqualTo(100);
        assertThat(transcriptIds(conversation("c3"))).containsExactly(hundred.stream()
                .map(e -> (Map<?, ?>) e).filter(e -> e.get("conversationId").equals("c3")).map(e -> (String) e.get("eventId"))
                .toArray(String[]::new));
    }

    /** The sum of {@code helpdesk_connect_events_total} with this result, from /metrics. */
    private long counted(String result) {
        double total = 0;
        for (String line : host.api.get("/metrics").text().split("\n")) {
            if (line.startsWith("helpdesk_connect_events_total{") && line.contains("result=\"" + result + "\"")) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return (long) total;
    }
}
