package com.helpdeskconnect.host.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.helpdeskconnect.host.testing.Api;
import com.helpdeskconnect.host.testing.HostFixture;
import com.helpdeskconnect.host.testing.Journal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConversationSyncTest {
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

    static Map<String, Object> message(String eventId, String type, String text) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("eventId", eventId);
        event.put("integrationId", "acme");
        event.put("type", type);
        event.put("occurredAt", "2025-03-01T10:00:00Z");
        event.put("text", text);
        if (type.equals("customer_message")) {
            event.put("customer", Map.of("name", "Ada", "email", "ada@example.com", "phone", "+100"));
        }
        return event;
    }

    static Map<String, Object> handoff(String eventId) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("eventId", eventId);
        event.put("integrationId", "acme");
        event.put("type", "handoff");
        event.put("occurredAt", "2025-03-01T10:05:00Z");
        event.put("summary", "Customer cannot log in");
        event.put("fields", Map.of("priority", "High", "category", "Login", "mood", "angry"));
        event.put("ownerId", "agent-7");
        return event;
    }

    static Map<String, Object> resolved(String eventId) {
        return Map.of("eventId", eventId, "integrationId", "acme", "type", "resolved",
                "occurredAt", "2025-03-01T10:09:00Z", "resolution", "Password reset");
    }

    @Test
    void aResolvedEventsClosureCodeReachesTheConnector() {
        host.putIntegration("acme", Map.of());
        assertThat(post("c9", message("c9-e1", "customer_message", "Where is my parcel?")).status()).isEqualTo(202);
        Map<String, Object> resolved = new java.util.LinkedHashMap<>(resolved("c9-e2"));
        resolved.put("closureCode", "Resolved remotely");
        assertThat(post("c9", resolved).status()).isEqualTo(202);
        awaitSynced("c9");
        assertThat(Journal.of(host.journal, "RESOLVE")).singleElement().satisfies(l -> {
            assertThat(Journal.decode(l.get(2))).isEqualTo("Password reset");
            assertThat(Journal.decode(l.get(3))).isEqualTo("Resolved remotely");
        });
        // the same event again is a duplicate; the same id with another closure code a conflict
        assertThat(post("c9", resolved).status()).isEqualTo(200);
        resolved.put("closureCode", "Other");
        assertThat(post("c9", resolved).status()).isEqualTo(409);
        Map<String, Object> wrongType = new java.util.LinkedHashMap<>(resolved("c9-e3"));
        wrongType.put("closureCode", 7);
        assertThat(post("c9", wrongType).status()).isEqualTo(400);
    }

    private Api.Response post(String conversation, Map<String, Object> event) {
        return host.api.post("/api/v1/conversations/" + conversation + "/events", event);
    }

    private JsonNode conversation(String id) {
        return host.api.get("/api/v1/conversations/" + id + "?integrationId=acme").json();
    }

    private void awaitSynced(String conversation) {
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            JsonNode c = conversation(conversation);
            return c.get("pending").isEmpty();
        });
    }

    @Test
    void createsTheCaseOnTheFirstMessageAndAppendsEveryMessageInOrder() {
        host.putIntegration("acme", Map.of());
        assertThat(post("c1", message("e1", "customer_message", "I cannot log in")).status()).isEqualTo(202);
        assertThat(post("c1", message("e2", "ai_reply", "Have you tried resetting?")).status()).isEqualTo(202);
        assertThat(post("c1", handoff("e3")).status()).isEqualTo(202);
        assertThat(post("c1", resolved("e4")).status()).isEqualTo(202);
        awaitSynced("c1");

        assertThat(Journal.of(host.journal, "CASE")).singleElement().satisfies(l -> {
            assertThat(l.get(1)).isEqualTo("c1");
            assertThat(Journal.decode(l.get(3))).isEqualTo("I cannot log in");
            assertThat(Journal.decode(l.get(5))).isEqualTo("ada@example.com");
        });
        assertThat(Journal.activityIds(host.journal)).containsExactly("e1", "e2", "e3");
        assertThat(Journal.of(host.journal, "FIELD")).extracting(l -> l.get(2)).containsExactlyInAnyOrder("priority", "category");
        assertThat(Journal.of(host.journal, "RESOLVE")).hasSize(1);

        JsonNode c = conversation("c1");
        assertThat(c.get("integrationId").asText()).isEqualTo("acme");
        assertThat(c.get("case").get("id").asText()).isEqualTo("case-1");
        assertThat(c.get("case").get("number").asText()).isEqualTo("CASE-1");
        assertThat(c.get("case").get("link").asText()).isEqualTo("https://fake.example/cases/case-1");
        assertThat(c.get("status").asText()).isEqualTo("resolved");
        assertThat(c.get("transcript")).hasSize(4);
        assertThat(c.get("transcript").get(0).get("type").asText()).isEqualTo("customer_message");
        assertThat(c.get("transcript").get(0).get("text").asText()).isEqualTo("I cannot log in");
        assertThat(c.get("transcript")).allSatisfy(t -> assertThat(t.get("syncedAt").isNull()).isFalse());
        assertThat(c.get("parked")).isEmpty();
        // the rejected field is visible, not fatal
        assertThat(c.get("lastError").isNull()).isTrue();
    }

    @Test
    void handoffOnlyModeWritesNothingUntilHandoffThenIncludesTheEarlierMessages() {
        host.putIntegration("acme", Map.of("createCaseOnlyOnHandoff", true));
        post("c2", message("m1", "customer_message", "Hello"));
        post("c2", message("m2", "ai_reply", "Hi, how can I help?"));
        awaitSynced("c2");
        assertThat(Journal.lines(host.journal)).isEmpty();
        JsonNode before = conversation("c2");
        assertThat(before.get("case").isNull()).isTrue();
        assertThat(before.get("transcript").get(0).get("syncedAt").isNull()).isTrue();

        post("c2", handoff("m3"));
        awaitSynced("c2");
        assertThat(Journal.of(host.journal, "CASE")).singleElement().satisfies(l -> {
            assertThat(Journal.decode(l.get(4))).isEqualTo("Customer cannot log in");
            assertThat(Journal.decode(l.get(6))).isEqualTo("agent-7");
        });
        assertThat(Journal.activityIds(host.journal)).containsExactly("m1", "m2", "m3");
        assertThat(conversation("c2").get("status").asText()).isEqualTo("handed_off");
    }

    @Test
    void repeatedEventIdIsAcceptedOnce() {
        host.putIntegration("acme", Map.of());
        assertThat(post("c3", message("d1", "customer_message", "Once")).status()).isEqualTo(202);
        Api.Response again = post("c3", message("d1", "customer_message", "Once"));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("status").asText()).isEqualTo("duplicate");
        awaitSynced("c3");
        assertThat(Journal.activityIds(host.journal)).containsExactly("d1");
        assertThat(conversation("c3").get("transcript")).hasSize(1);
        assertThat(post("other", message("d1", "customer_message", "Once")).status()).isEqualTo(409);
    }

    @Test
    void transientErrorsAreRetriedUntilTheWriteSucceeds() {
        host.putIntegration("acme", Map.of("failFirst", 3, "failKind", "TRANSIENT"));
        post("c4", message("t1", "customer_message", "Retry me"));
        awaitSynced("c4");
        assertThat(Journal.activityIds(host.journal)).containsExactly("t1");
        assertThat(Journal.of(host.journal, "CASE")).hasSize(1);
    }

    @Test
    void rateLimitedWritesWaitForRetryAfter() {
        host.putIntegration("acme", Map.of("failFirst", 1, "failKind", "RATE_LIMITED"));
        long started = System.nanoTime();
        post("c5", message("r1", "customer_message", "Slow down"));
        await().atMost(Duration.ofSeconds(20)).until(() -> Journal.activityIds(host.journal).contains("r1"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void permanentErrorParksTheOperationWithItsReasonAndHoldsLaterEventsBack() {
        host.putIntegration("acme", Map.of("failFirst", 1, "failKind", "PERMANENT"));
        post("c6", message("p1", "customer_message", "First"));
        post("c6", message("p2", "customer_message", "Second"));
        await().atMost(Duration.ofSeconds(20)).until(() -> !conversation("c6").get("parked").isEmpty());
        JsonNode c = conversation("c6");
        assertThat(c.get("parked")).singleElement().satisfies(p -> {
            assertThat(p.get("operation").asText()).isEqualTo("customer_message");
            assertThat(p.get("error").asText()).isEqualTo("PERMANENT: Case type is not allowed");
            assertThat(p.get("attempts").asInt()).isEqualTo(1);
        });
        assertThat(c.get("pending")).hasSize(1);
        assertThat(c.get("lastError").asText()).contains("Case type is not allowed");
        assertThat(Journal.lines(host.journal)).isEmpty();

        assertThat(host.api.post("/api/v1/conversations/c6/retry?integrationId=acme", Map.of()).status()).isEqualTo(202);
        awaitSynced("c6");
        assertThat(Journal.activityIds(host.journal)).containsExactly("p1", "p2");
        assertThat(conversation("c6").get("parked")).isEmpty();
    }

    @Test
    void conversationsSyncInParallel() {
        host.putIntegration("acme", Map.of("delayMs", 1000, "traceWrites", true));
        // all in one request, so all due at once: posted one by one on a loaded machine, each could be
        // written before the next arrived
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Map<String, Object> event = message("par-e" + i, "customer_message", "Hello " + i);
            event.put("conversationId", "par" + i);
            events.add(event);
        }
        Api.Response posted = host.api.post("/api/v1/events", Map.of("events", events));
        assertThat(posted.status()).as(posted.text()).isEqualTo(200);
        assertThat(posted.json().get("accepted").asInt()).as(posted.text()).isEqualTo(8);
        await().atMost(Duration.ofSeconds(40)).until(() -> Journal.activityIds(host.journal).size() == 8);
        // proven from the order of the helpdesk's writes, not the wall clock (a loaded CI machine made a
        // time bound flaky): one after another, a write would start only after the one before ended; the
        // 1 s each leaves all eight conversations time to start theirs together
        int running = 0;
        int most = 0;
        List<List<String>> trace = Journal.lines(Path.of(host.journal + ".writes"));
        for (List<String> line : trace) {
            running += line.get(0).equals("BEGIN") ? 1 : -1;
            most = Math.max(most, running);
        }
        assertThat(running).as("every write ended: %s", trace).isZero();
        assertThat(most).as("writes at the same time: %s", trace).isGreaterThanOrEqualTo(2);
    }

    @Test
    void invalidEventsAreRefusedWithPerFieldErrors() {
        host.putIntegration("acme", Map.of());
        Api.Response bad = host.api.post("/api/v1/conversations/c7/events",
                Map.of("eventId", "x1", "integrationId", "acme", "type", "shout", "occurredAt", "yesterday"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("fields").get("type").asText()).contains("customer_message");
        assertThat(bad.json().get("fields").get("occurredAt").asText()).contains("ISO-8601");
        Api.Response noText = post("c7", message("x2", "customer_message", null));
        assertThat(noText.json().get("fields").get("text").asText()).isEqualTo("is required");
        Map<String, Object> unknown = message("x3", "customer_message", "hi");
        unknown.put("integrationId", "nope");
        assertThat(post("c7", unknown).status()).isEqualTo(422);
        assertThat(host.api.get("/api/v1/conversations/c7?integrationId=acme").status()).isEqualTo(404);
    }

    @Test
    void metricsShowOperationsPerConnectorAndQueueDepth() {
        host.putIntegration("acme", Map.of());
        post("c8", message("mm1", "customer_message", "Count me"));
        awaitSynced("c8");
        String metrics = host.api.get("/metrics").text();
        assertThat(metrics).contains("helpdesk_connect_outbox_pending")
                .contains("helpdesk_connect_operation_seconds_count{connector=\"fakedesk\",operation=\"customer_message\",outcome=\"success\"}")
                .contains("helpdesk_connect_events_total");
        assertThat(List.of(metrics.split("\n"))).noneMatch(l -> l.contains("good"));
    }
}
