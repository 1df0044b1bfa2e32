package com.helpdeskconnect.host.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.helpdeskconnect.host.testing.HostFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent reply for a case no conversation is linked to (a case no chat opened, or one whose link
 * is not written yet) is noted and does not hold later calls; its id is not used up, so a
 * redelivery after the link exists is applied.
 */
class UnlinkedCaseWebhookTest {
    @TempDir
    Path dir;
    HostFixture host;

    @AfterEach
    void stop() {
        if (host != null) {
            host.close();
        }
    }

    @Test
    void replyForAnUnlinkedCaseIsNotedAndARedeliveryAfterTheLinkIsApplied() throws Exception {
        host = HostFixture.start(dir);
        host.putIntegration("acme", Map.of("webhookSecret", "s3cret"));
        assertThat(webhook("replied:case-1:On it").statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> latestWebhook().get("state").asText().equals("DONE"));
        assertThat(latestWebhook().get("note").asText()).startsWith("No conversation is linked to case case-1");

        openConversationWithCase("c1");
        // the helpdesk sends the same reply again: not a duplicate, since it was never applied
        assertThat(webhook("replied:case-1:On it").statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> latestWebhook().get("note").asText().equals("agent_reply applied"));
        assertThat(agentReplies("c1")).isEqualTo(1);
    }

    @Test
    void callsAboutCasesNoChatOpenedDoNotHoldLaterCalls() throws Exception {
        host = HostFixture.start(dir);
        host.putIntegration("acme", Map.of("webhookSecret", "s3cret"));
        openConversationWithCase("c1");
        assertThat(webhook("replied:case-99:Internal note").statusCode()).isEqualTo(202);
        assertThat(webhook("replied:case-1:On it").statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> agentReplies("c1") == 1);
        assertThat(latestWebhook().get("state").asText()).isEqualTo("DONE");
    }

    private void openConversationWithCase(String conversation) {
        assertThat(host.api.post("/api/v1/conversations/" + conversation + "/events", Map.of(
                "eventId", conversation + "-m1", "integrationId", "acme", "type", "customer_message",
                "occurredAt", "2025-03-01T10:00:00Z", "text", "I cannot log in",
                "customer", Map.of("name", "Ada", "email", "ada@example.com"))).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() ->
                host.api.get("/api/v1/conversations/" + conversation + "?integrationId=acme").json().get("case").hasNonNull("id"));
        assertThat(host.api.get("/api/v1/conversations/" + conversation + "?integrationId=acme").json().get("case").get("id").asText())
                .isEqualTo("case-1");
    }

    private long agentReplies(String conversation) {
        JsonNode transcript = host.api.get("/api/v1/conversations/" + conversation + "?integrationId=acme").json().get("transcript");
        return StreamSupport.stream(transcript.spliterator(), false)
                .filter(e -> e.get("type").asText().equals("agent_reply") && e.get("text").asText().equals("On it"))
                .count();
    }

    private JsonNode latestWebhook() {
        return host.api.get("/api/v1/integrations/acme/webhooks").json().get("webhooks").get(0);
    }

    private HttpResponse<String> webhook(String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + host.port() + "/webhooks/acme"))
                        .header("X-Webhook-Secret", "s3cret").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
