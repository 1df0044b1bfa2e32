package com.helpdeskconnect.host.twoway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.helpdeskconnect.host.testing.Api;
import com.helpdeskconnect.host.testing.HostFixture;
import com.helpdeskconnect.host.testing.Journal;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * The conversation rules of SPI 2.0 through the host and the Fake Desk: internal notes stay with the
 * agents, a customer message after the resolution reopens (or follows up) the case, messages due
 * together go in one call (with the handoff behind them: the handoff's call, SPI 2.1), and every call
 * carries its operation context.
 */
class ConversationRulesTest {
    @TempDir
    Path dir;
    HostFixture host;
    CallbackReceiver receiver;

    @BeforeEach
    void start() {
        host = HostFixture.start(dir);
        receiver = new CallbackReceiver();
    }

    @AfterEach
    void stop() {
        receiver.close();
        host.close();
    }

    @Test
    void anInternalNoteIsRecordedButNeverReachesTheCustomer() throws Exception {
        save(Map.of());
        message("c1", "m1", "customer_message", "My parcel is late");
        await().atMost(Duration.ofSeconds(60)).until(() -> conversation("c1").get("case").hasNonNull("id"));
        String customerStream = chatLinkStream("c1");
        String base = "http://127.0.0.1:" + host.port() + "/api/v1/conversations/c1/stream?integrationId=acme";
        try (SseListener customer = new SseListener(customerStream, null);
             SseListener agent = new SseListener(base, null, "Bearer " + host.adminToken())) {
            assertThat(webhook("note:case-1:Customer is a known fraud risk")).isEqualTo(202);
            assertThat(webhook("replied:case-1:Your parcel ships today")).isEqualTo(202);
            await().atMost(Duration.ofSeconds(60)).until(() -> receiver.accepted().size() == 1
                    && customer.data.stream().anyMatch(d -> d.contains("ships today"))
                    && agent.data.stream().anyMatch(d -> d.contains("ships today")));
            assertThat(customer.data).noneMatch(d -> d.contains("fraud"));
            assertThat(agent.data).anyMatch(d -> d.contains("fraud") && d.contains("agent_note"));
        }
        // one callback, for the public reply only
        assertThat(receiver.received).extracting(CallbackReceiver.Received::text).singleElement()
                .satisfies(t -> assertThat(t).contains("ships today").doesNotContain("fraud"));
        JsonNode transcript = conversation("c1").get("transcript");
        assertThat(types(transcript)).containsExactly("customer_message", "agent_note", "agent_reply");
    }

    @Test
    void aCustomerMessageAfterTheResolutionReopensTheConversationAndTheCase() {
        save(Map.of());
        message("c1", "m1", "customer_message", "My parcel is late");
        resolved("c1", "r1");
        await().atMost(Duration.ofSeconds(60)).until(() -> "resolved".equals(conversation("c1").get("status").asText())
                && conversation("c1").get("pending").isEmpty());
        assertThat(Journal.of(host.journal, "RESOLVE")).hasSize(1);

        message("c1", "m2", "customer_message", "It still has not arrived");
        await().atMost(Duration.ofSeconds(60)).until(() -> conversation("c1").get("pending").isEmpty());
        JsonNode c = conversation("c1");
        assertThat(c.get("status").asText()).isEqualTo("open");
        assertThat(c.get("case").get("id").asText()).isEqualTo("case-1");
        assertThat(Journal.of(host.journal, "REOPEN")).singleElement().satisfies(l -> assertThat(l.get(1)).isEqualTo("case-1"));
        assertThat(Journal.activityIds(host.journal)).containsExactly("m1", "m2");
        // resolving again resolves the reopened case again
        resolved("c1", "r2");
        await().atMost(Duration.ofSeconds(60)).until(() -> "resolved".equals(conversation("c1").get("status").asText()));
        await().atMost(Duration.ofSeconds(60)).until(() -> Journal.of(host.journal, "RESOLVE").size() == 2);
    }

    @Test
    void aMessageTheHelpdeskPutsOnAFollowUpCaseRelinksTheConversation() throws Exception {
        save(Map.of("onResolvedCase", "FOLLOW_UP"));
        message("c1", "m1", "customer_message", "My parcel is late");
        resolved("c1", "r1");
        await().atMost(Duration.ofSeconds(60)).until(() -> "resolved".equals(conversation("c1").get("status").asText()));
        message("c1", "m2", "customer_message", "It still has not arrived");
        await().atMost(Duration.ofSeconds(60)).until(() -> conversation("c1").get("case").get("id").asText().equals("case-1-followup"));
        assertThat(conversation("c1").get("status").asText()).isEqualTo("open");
        assertThat(Journal.of(host.journal, "ACTIVITY")).filteredOn(l -> l.get(2).equals("m2"))
                .singleElement().satisfies(l -> assertThat(l.get(1)).isEqualTo("case-1-followup"));
        // the agent answers on the follow-up case: it reaches the conversation
        assertThat(webhook("replied:case-1-followup:Sending a new one")).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> types(conversation("c1").get("transcript")).contains("agent_reply"));
    }

    @Test
    void messagesDueTogetherGoToTheHelpdeskInOneCall() {
        save(Map.of("delayMs", 2500));
        message("c1", "m1", "customer_message", "One");
        // the case is written and its first message is being written (2.5 s): three more messages arrive
        await().atMost(Duration.ofSeconds(60)).until(() -> !Journal.of(host.journal, "CASE").isEmpty());
        message("c1", "m2", "ai_reply", "Two");
        message("c1", "m3", "customer_message", "Three");
        message("c1", "m4", "ai_reply", "Four");
        await().atMost(Duration.ofSeconds(60)).until(() -> conversation("c1").get("pending").isEmpty());
        assertThat(Journal.activityIds(host.journal)).containsExactly("m1", "m2", "m3", "m4");
        // m1 opened the case; m2..m4 were due together when it finished: one call, keyed by the first
        assertThat(Journal.of(host.journal, "BATCH")).singleElement().satisfies(l -> {
            assertThat(l.get(2)).isEqualTo("3");
            assertThat(Journal.decode(l.get(3))).isEqualTo("acme:c1:m2");
        });
        assertThat(conversation("c1").get("transcript")).allSatisfy(t -> assertThat(t.get("syncedAt").isNull()).isFalse());
    }

    @Test
    void messagesDueWithTheHandoffGoInTheHandoffsCall() {
        save(Map.of("delayMs", 2500));
        message("c1", "m1", "customer_message", "One");
        // the case is written and its first message is being written (2.5 s): a reply and the handoff arrive
        await().atMost(Duration.ofSeconds(60)).until(() -> !Journal.of(host.journal, "CASE").isEmpty());
        message("c1", "m2", "ai_reply", "Two");
        message("c1", "m3", "ai_reply", "Three");
        handoff("c1", "h1");
        message("c1", "m4", "customer_message", "After the handoff");
        await().atMost(Duration.ofSeconds(90)).until(() -> conversation("c1").get("pending").isEmpty());
        // in the order said: the summary (h1) after the messages before it, m4 after it
        assertThat(Journal.activityIds(host.journal)).containsExactly("m1", "m2", "m3", "h1", "m4");
        // m2, m3 and the handoff went in one appendAndHandOff, keyed by the handoff (the Fake Desk keeps
        // SPI 2.0's default: appendActivities, then handOff); m4 on its own, keyed by itself
        assertThat(Journal.of(host.journal, "BATCH")).extracting(l -> l.get(2) + " " + Journal.decode(l.get(3)))
                .containsExactly("2 acme:c1:h1", "1 acme:c1:m4");
        assertThat(Journal.of(host.journal, "ASSIGN")).singleElement().satisfies(l -> assertThat(l.get(2)).isEqualTo("agent-7"));
        JsonNode c = conversation("c1");
        assertThat(c.get("status").asText()).isEqualTo("handed_off");
        assertThat(c.get("transcript")).hasSize(5).allSatisfy(t -> assertThat(t.get("syncedAt").isNull()).isFalse());
        assertThat(c.get("parked")).isEmpty();
    }

    @Test
    void everyCallCarriesItsIdempotencyKeyAndAttempt() {
        save(Map.of("failFirst", 2, "failKind", "TRANSIENT"));
        message("c9", "first", "customer_message", "Hello");
        await().atMost(Duration.ofSeconds(60)).until(() -> conversation("c9").get("pending").isEmpty());
        assertThat(Journal.of(host.journal, "CASE")).singleElement().satisfies(l -> {
            assertThat(Journal.decode(l.get(7))).isEqualTo("acme:c9:first");
            assertThat(l.get(8)).isEqualTo("3"); // two failed calls before it
        });
    }

    private void save(Map<String, Object> overrides) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("connector", "fakedesk");
        body.put("settings", host.settings(overrides));
        body.put("callbackUrl", receiver.url());
        Api.Response saved = host.api.put("/api/v1/integrations/acme", body);
        assertThat(saved.status()).as(saved.text()).isEqualTo(200);
    }

    private String secret() {
        return host.api.get("/api/v1/integrations/acme").json().get("webhook").get("secret").asText();
    }

    private int webhook(String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + host.port() + "/webhooks/acme"))
                .header("X-Webhook-Secret", secret()).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private String chatLinkStream(String conversation) {
        Api.Response link = host.api.post("/api/v1/conversations/" + conversation + "/chat-link", Map.of("integrationId", "acme"));
        assertThat(link.status()).isEqualTo(201);
        return "http://127.0.0.1:" + host.port() + "/api/v1/conversations/" + conversation + "/stream?token="
                + link.json().get("token").asText();
    }

    private void message(String conversation, String eventId, String type, String text) {
        assertThat(host.api.post("/api/v1/conversations/" + conversation + "/events", Map.of("eventId", eventId,
                "integrationId", "acme", "type", type, "occurredAt", "2025-03-01T10:00:00Z", "text", text)).status())
                .isEqualTo(202);
    }

    private void handoff(String conversation, String eventId) {
        assertThat(host.api.post("/api/v1/conversations/" + conversation + "/events", Map.of("eventId", eventId,
                "integrationId", "acme", "type", "handoff", "occurredAt", "2025-03-01T10:05:00Z",
                "summary", "Wants a human", "ownerId", "agent-7")).status()).isEqualTo(202);
    }

    private void resolved(String conversation, String eventId) {
        assertThat(host.api.post("/api/v1/conversations/" + conversation + "/events", Map.of("eventId", eventId,
                "integrationId", "acme", "type", "resolved", "occurredAt", "2025-03-01T10:09:00Z", "resolution", "Shipped"))
                .status()).isEqualTo(202);
    }

    private JsonNode conversation(String id) {
        return host.api.get("/api/v1/conversations/" + id + "?integrationId=acme").json();
    }

    private static List<String> types(JsonNode transcript) {
        return StreamSupport.stream(transcript.spliterator(), false).map(t -> t.get("type").asText()).toList();
    }
}
