package com.helpdeskconnect.host.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
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

/**
 * A host's data written through its own API (an integration with a webhook secret and a callback URL,
 * an API key, conversations synced to the Fake Desk, an agent's reply by webhook, a chat link), and the
 * check that another host, on a copy of that data, reads and continues it the same way.
 */
public final class SampleData {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private SampleData() {}

    /** What {@link #write} left, to compare a copy with. */
    public record Written(JsonNode integration, Map<String, List<String>> transcripts, String caseId, String readerKey) {}

    /** Fake Desk settings writing to {@code journal}. */
    public static Map<String, Object> settings(Path journal) {
        return Map.of("journal", journal.toString(), "password", "good", "webhookSecret", "s3cret");
    }

    /** Writes the sample through {@code api} (admin) of the host on {@code port}; waits until it is synced. */
    public static Written write(Api api, int port, Path journal) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("connector", "fakedesk");
        body.put("settings", settings(journal));
        // nobody listens there: the callback is retried, then parked, and copied as it stands
        body.put("callbackUrl", "http://127.0.0.1:" + closedPort() + "/callback");
        Api.Response saved = api.put("/api/v1/integrations/acme", body);
        assertThat(saved.status()).as(saved.text()).isEqualTo(200);
        String reader = api.createKey("widget", List.of("acme"), List.of("conversations:read"));
        for (String[] e : new String[][] {{"c1", "c1-m1", "customer_message", "I cannot log in"},
                {"c1", "c1-m2", "ai_reply", "Try resetting it"}, {"c2", "c2-m1", "customer_message", "Where is my parcel?"}}) {
            assertThat(api.post("/api/v1/conversations/" + e[0] + "/events", event(e[1], e[2], e[3])).status()).isEqualTo(202);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> Journal.activityIds(journal).size() == 3
                && conversation(api, "c1").get("pending").isEmpty() && conversation(api, "c2").get("pending").isEmpty());
        String caseId = conversation(api, "c1").get("case").get("id").asText();
        assertThat(webhook(port, "replied:" + caseId + ":On it")).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> transcript(api, "c1").contains("agent_reply On it"));
        Api.Response link = api.post("/api/v1/conversations/c1/chat-link", Map.of("integrationId", "acme"));
        assertThat(link.status()).as(link.text()).isEqualTo(201);
        return new Written(api.get("/api/v1/integrations/acme").json(),
                Map.of("c1", transcript(api, "c1"), "c2", transcript(api, "c2")), caseId, reader);
    }

    /**
     * The host on the copy shows the same integration (its secrets open: the webhook and callback
     * secrets are shown decrypted), the same conversations and case, takes the same API key and webhook
     * secret, and accepts and syncs a new event into the existing case (new ids do not collide).
     */
    public static void readsTheSame(Api api, int port, Path journal, Written before) {
        JsonNode integration = api.get("/api/v1/integrations/acme").json();
        for (String field : List.of("connector", "settings", "options", "callbackUrl")) {
            assertThat(integration.get(field)).as(field).isEqualTo(before.integration().get(field));
        }
        assertThat(integration.get("webhook").get("secret")).isEqualTo(before.integration().get("webhook").get("secret"));
        assertThat(integration.get("webhook").get("secret").asText()).isEqualTo("s3cret");
        assertThat(integration.get("callback").get("secret")).isEqualTo(before.integration().get("callback").get("secret"));
        for (Map.Entry<String, List<String>> t : before.transcripts().entrySet()) {
            assertThat(transcript(api, t.getKey())).as(t.getKey()).isEqualTo(t.getValue());
        }
        assertThat(api.as(before.readerKey()).get("/api/v1/conversations/c1?integrationId=acme").status()).isEqualTo(200);

        int cases = Journal.of(journal, "CASE").size();
        assertThat(api.post("/api/v1/conversations/c1/events", event("c1-m3", "customer_message", "Still broken")).status())
                .isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> Journal.activityIds(journal).contains("c1-m3")
                && conversation(api, "c1").get("pending").isEmpty());
        // the connector's state (its case for c1) came along: no second case
        assertThat(Journal.of(journal, "CASE")).hasSize(cases);
        assertThat(webhook(port, "replied:" + before.caseId() + ":Fixed now")).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> transcript(api, "c1").contains("agent_reply Fixed now"));
        List<String> expected = new ArrayList<>(before.transcripts().get("c1"));
        expected.addAll(List.of("customer_message Still broken", "agent_reply Fixed now"));
        assertThat(transcript(api, "c1")).isEqualTo(expected);
    }

    public static Map<String, Object> event(String eventId, String type, String text) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("eventId", eventId);
        event.put("integrationId", "acme");
        event.put("type", type);
        event.put("occurredAt", "2025-03-01T10:00:00Z");
        event.put("text", text);
        event.put("customer", Map.of("name", "Ada", "email", "ada@example.com"));
        return event;
    }

    private static JsonNode conversation(Api api, String id) {
        return api.get("/api/v1/conversations/" + id + "?integrationId=acme").json();
    }

    /** "type text" per entry, in order, each synced to the helpdesk (or come from it). */
    private static List<String> transcript(Api api, String id) {
        List<String> entries = new ArrayList<>();
        for (JsonNode e : conversation(api, id).get("transcript")) {
            entries.add(e.get("type").asText() + " " + e.get("text").asText() + (e.get("syncedAt").isNull() ? " (not synced)" : ""));
        }
        return entries;
    }

    private static int webhook(int port, String body) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/acme"))
                    .header("X-Webhook-Secret", "s3cret").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
