package com.helpdeskconnect.host.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.helpdeskconnect.host.config.HostConfig;
import com.helpdeskconnect.host.testing.Api;
import com.helpdeskconnect.host.testing.HostFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-key rate limits (429 + Retry-After) and the stream caps: 2,000 anonymous streams are impossible. */
class AbuseLimitsTest {
    @TempDir
    Path dir;
    HostFixture host;
    final List<HttpResponse<Stream<String>>> open = new ArrayList<>();
    final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        open.forEach(r -> r.body().close());
        if (host != null) {
            host.close();
        }
    }

    private int openStream(String token) throws Exception {
        HttpResponse<Stream<String>> r = http.sendAsync(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + host.port() + "/api/v1/conversations/c1/stream"))
                .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").GET().build(),
                HttpResponse.BodyHandlers.ofLines())
                .get(30, TimeUnit.SECONDS);
        if (r.statusCode() == 200) {
            open.add(r);
        } else {
            r.body().close();
        }
        return r.statusCode();
    }

    @Test
    void aKeyOverItsRateGets429WithRetryAfterAndOtherKeysAreUnaffected() {
        // a token every 100 s: none comes back during the test however slow the machine (at 1 a second,
        // four requests spread over a second on a loaded CI machine got a fourth token); the refill
        // itself is theBucketRefillsAtItsRate's, on a clock of its own
        host = HostFixture.start(dir, c -> c.withLimits(new HostConfig.Limits(0.01, 3, 10, 100)));
        assertThat(host.putIntegration("acme", Map.of()).status()).isEqualTo(200);
        Api a = host.api.as(host.api.createKey("a", List.of("acme"), List.of("conversations:read")));
        Api b = host.api.as(host.api.createKey("b", List.of("acme"), List.of("conversations:read")));
        for (int i = 0; i < 3; i++) {
            assertThat(a.get("/api/v1/conversations/c1").status()).isEqualTo(404);
        }
        Api.Response limited = a.send("GET", "/api/v1/conversations/c1", null, Map.of());
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.json().get("error").asText()).isEqualTo("rate_limited");
        assertThat(limited.json().get("message").asText()).matches("Too many requests for this credential; retry after \\d+ s");
        assertThat(b.get("/api/v1/conversations/c1").status()).isEqualTo(404);
        // the bootstrap admin is not limited
        for (int i = 0; i < 10; i++) {
            assertThat(host.api.get("/api/v1/conversations/c1?integrationId=acme").status()).isEqualTo(404);
        }
        // and the limited key stays limited until its token is back
        assertThat(a.get("/api/v1/conversations/c1").status()).isEqualTo(429);
    }

    @Test
    void aBatchTakesOneTokenPerEventAndIsRefusedWholeWhenTheyAreNotThere() {
        host = HostFixture.start(dir, c -> c.withLimits(new HostConfig.Limits(0.01, 3, 10, 100)));
        assertThat(host.putIntegration("acme", Map.of()).status()).isEqualTo(200);
        Api ai = host.api.as(host.api.createKey("ai", List.of("acme"), List.of("events:write", "conversations:read")));
        Api.Response two = ai.post("/api/v1/events", Map.of("events", List.of(event("c1", "e1"), event("c1", "e2"))));
        assertThat(two.status()).as(two.text()).isEqualTo(200);
        // one token left: a batch of two is refused whole, nothing of it written
        Api.Response refused = ai.send("POST", "/api/v1/events", Map.of("events", List.of(event("c2", "e3"), event("c2", "e4"))),
                Map.of());
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.json().get("error").asText()).isEqualTo("rate_limited");
        assertThat(host.api.get("/api/v1/conversations/c2?integrationId=acme").status()).isEqualTo(404);
        // a batch larger than the burst takes the whole (full) bucket, never refused for good
        Api other = host.api.as(host.api.createKey("other", List.of("acme"), List.of("events:write")));
        List<Object> five = List.of(event("c3", "f1"), event("c3", "f2"), event("c3", "f3"), event("c3", "f4"), event("c3", "f5"));
        assertThat(other.post("/api/v1/events", Map.of("events", five)).status()).isEqualTo(200);
    }

    private static Map<String, Object> event(String conversationId, String eventId) {
        return Map.of("conversationId", conversationId, "eventId", eventId, "type", "customer_message",
                "occurredAt", "2025-03-01T10:00:00Z", "text", "hi");
    }

    @Test
    void retryAfterIsSentInWholeSeconds() throws Exception {
        // a token every 100 s: the wait is the time until it is back, ceil(100 - elapsed) whole seconds,
        // and no token comes back between the two requests however slow the machine (at 0.5 a second one did)
        host = HostFixture.start(dir, c -> c.withLimits(new HostConfig.Limits(0.01, 1, 10, 100)));
        assertThat(host.putIntegration("acme", Map.of()).status()).isEqualTo(200);
        String key = host.api.createKey("a", List.of("acme"), List.of("conversations:read"));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + host.port() + "/api/v1/conversations/c1"))
                .header("Authorization", "Bearer " + key).GET().build();
        assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
        HttpResponse<String> limited = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(limited.statusCode()).isEqualTo(429);
        String retryAfter = limited.headers().firstValue("Retry-After").orElseThrow();
        assertThat(retryAfter).matches("\\d+");
        assertThat(Integer.parseInt(retryAfter)).isBetween(50, 100);
    }

    @Test
    void theBucketRefillsAtItsRate() {
        AtomicLong now = new AtomicLong();
        RateLimiter limiter = new RateLimiter(10, 2, now::get);
        assertThat(limiter.acquire("k")).isEmpty();
        assertThat(limiter.acquire("k")).isEmpty();
        assertThat(limiter.acquire("k")).isEqualTo(OptionalLong.of(1));
        assertThat(limiter.acquire("other")).isEmpty();
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(100));
        assertThat(limiter.acquire("k")).isEmpty();
        assertThat(limiter.acquire("k")).isPresent();
        assertThat(new RateLimiter(0, 1, now::get).acquire("k")).isEmpty(); // 0 turns limiting off
    }

    @Test
    void streamsAreCappedPerCredentialAndInTotal() throws Exception {
        host = HostFixture.start(dir, c -> c.withLimits(new HostConfig.Limits(100, 100, 2, 3)));
        assertThat(host.putIntegration("acme", Map.of()).status()).isEqualTo(200);
        String a = host.api.createKey("a", List.of("acme"), List.of("conversations:read"));
        String b = host.api.createKey("b", List.of("acme"), List.of("conversations:read"));
        assertThat(openStream(a)).isEqualTo(200);
        assertThat(openStream(a)).isEqualTo(200);
        assertThat(openStream(a)).isEqualTo(429);
        assertThat(openStream(b)).isEqualTo(200);
        assertThat(openStream(b)).isEqualTo(429); // 3 in total
        // without a credential there is no stream at all
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + host.port() + "/api/v1/conversations/c1/stream"))
                        .header("Accept", "text/event-stream").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        // a closed stream frees its slot (found by the next write or keep-alive; an event writes at once)
        open.remove(0).body().close();
        AtomicLong n = new AtomicLong();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            host.api.post("/api/v1/conversations/c1/events", Map.of("eventId", "m" + n.incrementAndGet(),
                    "integrationId", "acme", "type", "customer_message", "occurredAt", "2025-03-01T10:00:00Z", "text", "hi"));
            return openStream(b) == 200;
        });
    }
}
