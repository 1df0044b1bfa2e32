package com.helpdeskconnect.host.twoway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.helpdeskconnect.host.testing.Api;
import com.helpdeskconnect.host.testing.HostFixture;
import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Callbacks as an attacker sees them: SSRF through the callback URL, and forged or replayed deliveries. */
class CallbackSecurityTest {
    @TempDir
    Path dir;
    CallbackReceiver receiver;
    HostFixture host;

    @BeforeEach
    void start() {
        receiver = new CallbackReceiver();
    }

    @AfterEach
    void stop() {
        if (host != null) {
            host.close();
        }
        receiver.close();
    }

    @Test
    void aCallbackUrlToTheMetadataServiceIsRefusedAtSave() {
        host = HostFixture.start(dir, c -> c.withOutboundAllow(null));
        for (String url : List.of("http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/hook", "http://127.0.0.1:9/x",
                "http://[::ffff:169.254.169.254]/", "http://user:pw@example.com/hook", "http://localhost:9/x")) {
            Api.Response saved = save(url);
            assertThat(saved.status()).as(url).isEqualTo(422);
            assertThat(saved.json().get("fields").has("callbackUrl")).as(url).isTrue();
            assertThat(saved.text()).doesNotContain("pw@");
        }
        assertThat(host.api.get("/api/v1/integrations/acme").status()).isEqualTo(404);
    }

    @Test
    void aStoredCallbackUrlThatTheOutboundPolicyNowDeniesIsNeverCalled() {
        host = HostFixture.start(dir); // loopback allowed: the receiver is accepted at save
        assertThat(save(receiver.url()).status()).isEqualTo(200);
        host.close();
        host = HostFixture.start(dir, c -> c.withOutboundAllow(null));
        agentReplies();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            JsonNode callbacks = host.api.get("/api/v1/conversations/c1?integrationId=acme").json().get("callbacks");
            return callbacks.size() == 1 && callbacks.get(0).get("error").asText().contains("outbound policy");
        });
        assertThat(receiver.received).isEmpty();
    }

    @Test
    void callbacksVerifyWithAStandardWebhooksLibraryAndItRefusesForgeriesAndReplays() throws Exception {
        host = HostFixture.start(dir);
        JsonNode saved = save(receiver.url()).json();
        String whsec = saved.get("callback").get("standardWebhooksSecret").asText();
        assertThat(whsec).startsWith("whsec_");
        agentReplies();
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.accepted().size() == 1);
        CallbackReceiver.Received callback = receiver.accepted().get(0);
        String body = callback.text();

        Webhook verifier = new Webhook(whsec);
        verifier.verify(body, headers(callback, Map.of()));
        // the old header is still sent and still verifies
        assertThat(com.helpdeskconnect.host.sync.CallbackSigner.verify(saved.get("callback").get("secret").asText(),
                callback.body(), callback.header("X-Helpdesk-Connect-Signature"))).isTrue();
        // independently of both libraries: HMAC-SHA256 over id.timestamp.body with the whsec key
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(java.util.Base64.getDecoder().decode(whsec.substring(6)), "HmacSHA256"));
        String expected = "v1," + java.util.Base64.getEncoder().encodeToString(mac.doFinal(
                (callback.header("webhook-id") + "." + callback.header("webhook-timestamp") + "." + body)
                        .getBytes(StandardCharsets.UTF_8)));
        assertThat(callback.header("webhook-signature")).isEqualTo(expected);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> verifier.verify(body.replace("On it", "Pay here"),
                headers(callback, Map.of()))).isInstanceOf(WebhookVerificationException.class);
        String stale = Long.toString(Long.parseLong(callback.header("webhook-timestamp")) - 3600);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> verifier.verify(body,
                headers(callback, Map.of("webhook-timestamp", stale)))).isInstanceOf(WebhookVerificationException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Webhook("whsec_" + java.util.Base64.getEncoder()
                .encodeToString("another-key".getBytes(StandardCharsets.UTF_8))).verify(body, headers(callback, Map.of())))
                .isInstanceOf(WebhookVerificationException.class);
    }

    private static HttpHeaders headers(CallbackReceiver.Received callback, Map<String, String> overrides) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (String name : List.of("webhook-id", "webhook-timestamp", "webhook-signature")) {
            map.put(name, List.of(overrides.getOrDefault(name, callback.header(name))));
        }
        return HttpHeaders.of(map, (k, v) -> true);
    }

    private Api.Response save(String callbackUrl) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("connector", "fakedesk");
        body.put("settings", host.settings(Map.of("webhookSecret", "s3cret")));
        body.put("callbackUrl", callbackUrl);
        return host.api.put("/api/v1/integrations/acme", body);
    }

    /** A conversation with a case, then an agent reply by webhook: the reply is called back. */
    private void agentReplies() {
        assertThat(host.api.post("/api/v1/conversations/c1/events", Map.of("eventId", "m1", "integrationId", "acme",
                "type", "customer_message", "occurredAt", "2025-03-01T10:00:00Z", "text", "Hello",
                "customer", Map.of("name", "Ada", "email", "ada@example.com"))).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() ->
                host.api.get("/api/v1/conversations/c1?integrationId=acme").json().get("case").hasNonNull("id"));
        String caseId = host.api.get("/api/v1/conversations/c1?integrationId=acme").json().get("case").get("id").asText();
        try {
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + host.port() + "/webhooks/acme"))
                    .header("X-Webhook-Secret", "s3cret")
                    .POST(HttpRequest.BodyPublishers.ofString("replied:" + caseId + ":On it")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(202);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
