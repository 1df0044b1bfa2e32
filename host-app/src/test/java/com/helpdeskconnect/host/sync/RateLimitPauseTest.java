package com.helpdeskconnect.host.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.helpdeskconnect.host.testing.HostFixture;
import com.helpdeskconnect.host.testing.Journal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A helpdesk's 429 is about the account, not one row: the integration's work pauses until the
 * Retry-After (nothing of it is claimed meanwhile), other integrations go on, and the wait neither
 * counts as an attempt nor parks the row.
 */
class RateLimitPauseTest {
    @TempDir
    Path dir;
    HostFixture host;

    @BeforeEach
    void start() {
        host = HostFixture.start(dir); // 5 attempts park a row
    }

    @AfterEach
    void stop() {
        host.close();
    }

    @Test
    void aRateLimitPausesOnlyItsIntegrationAndTheWaitIsNotAnAttempt() {
        Path acme = dir.resolve("acme.txt");
        Path beta = dir.resolve("beta.txt");
        // a pause long enough that the checks below fit in it on a slow, loaded machine (a 6 s one did
        // not); the test ends while it holds (the next test waits for a short one to end)
        save("acme", acme, Map.of("failFirst", 1, "failKind", "RATE_LIMITED", "retryAfterMs", 30_000));
        save("beta", beta, Map.of());

        Instant posted = Instant.now();
        post("acme", "c1", "a1");
        await().atMost(Duration.ofSeconds(60)).until(() -> failures(acme) == 1);
        // the connector's journal has the failure before the host has stored the pause
        await().atMost(Duration.ofSeconds(10)).until(() -> !host.api.get("/api/v1/integrations/acme").json().get("rateLimitedUntil").isNull());
        JsonNode paused = host.api.get("/api/v1/integrations/acme").json();
        Instant until = Instant.parse(paused.get("rateLimitedUntil").asText());
        // the whole Retry-After from the failure on (which came after posting), plus at most 10 % jitter
        assertThat(until).isAfterOrEqualTo(posted.plusSeconds(30)).isBefore(Instant.now().plusSeconds(33));
        assertThat(host.api.get("/api/v1/integrations/beta").json().get("rateLimitedUntil").isNull()).isTrue();

        // while acme waits: its new conversations wait too, beta's go on
        post("acme", "c2", "a2");
        post("beta", "d1", "b1");
        await().atMost(Duration.ofSeconds(25)).until(() -> conversation("beta", "d1").get("pending").isEmpty());
        assertThat(Journal.activityIds(beta)).containsExactly("b1");
        JsonNode waiting = conversation("acme", "c1");
        assertThat(Instant.now()).as("still inside the pause").isBefore(until);
        assertThat(waiting.get("parked")).isEmpty();
        assertThat(waiting.get("pending")).singleElement().satisfies(p -> {
            assertThat(p.get("attempts").asInt()).isZero();
            assertThat(p.get("error").asText()).startsWith("RATE_LIMITED: Too many requests");
        });
        assertThat(conversation("acme", "c2").get("pending")).singleElement()
                .satisfies(p -> assertThat(p.get("attempts").asInt()).isZero());
        assertThat(Journal.lines(acme)).isEmpty();
        assertThat(failures(acme)).isEqualTo(1); // nothing else of acme was tried
        assertThat(Instant.now()).as("still inside the pause").isBefore(until);
    }

    @Test
    void thePauseLiftsAfterTheRetryAfterAndTheNextCallIsTheSecondAttempt() {
        Path acme = dir.resolve("acme.txt");
        // short: this test waits for the pause to end (and cannot miss it: it looks only after it)
        save("acme", acme, Map.of("failFirst", 1, "failKind", "RATE_LIMITED", "retryAfterMs", 2000));
        Instant posted = Instant.now();
        post("acme", "c1", "a1");
        await().atMost(Duration.ofSeconds(60)).until(() -> failures(acme) == 1);
        post("acme", "c2", "a2"); // inside the pause on a quick machine; it goes once it ends either way

        await().atMost(Duration.ofSeconds(60)).until(() -> conversation("acme", "c1").get("pending").isEmpty()
                && conversation("acme", "c2").get("pending").isEmpty());
        // the failure came after posting, the second call not before its Retry-After (the fixture's own
        // retry delay is 20 to 200 ms)
        assertThat(Duration.between(posted, Instant.now())).isGreaterThanOrEqualTo(Duration.ofMillis(2000));
        assertThat(Journal.activityIds(acme)).containsExactlyInAnyOrder("a1", "a2");
        assertThat(failures(acme)).isEqualTo(1);
        assertThat(conversation("acme", "c1").get("parked")).isEmpty();
        // the call after the wait is the operation's second call: the connector sees attempt 2
        assertThat(Journal.of(acme, "CASE")).filteredOn(l -> l.get(1).equals("c1"))
                .singleElement().satisfies(l -> {
                    assertThat(Journal.decode(l.get(7))).isEqualTo("acme:c1:a1");
                    assertThat(l.get(8)).isEqualTo("2");
                });
        assertThat(host.api.get("/api/v1/integrations/acme").json().get("rateLimitedUntil").isNull()).isTrue();
    }

    @Test
    void moreRateLimitsThanTheAttemptLimitNeverParkTheRow() {
        Path acme = dir.resolve("acme.txt");
        save("acme", acme, Map.of("failFirst", 7, "failKind", "RATE_LIMITED", "retryAfterMs", 50));
        post("acme", "c1", "a1");
        await().atMost(Duration.ofSeconds(60)).until(() -> conversation("acme", "c1").get("pending").isEmpty());
        JsonNode c = conversation("acme", "c1");
        assertThat(c.get("parked")).isEmpty();
        assertThat(failures(acme)).isEqualTo(7);
        assertThat(Journal.activityIds(acme)).containsExactly("a1");
        assertThat(Journal.of(acme, "CASE")).singleElement().satisfies(l -> assertThat(l.get(8)).isEqualTo("8"));
    }

    private void save(String id, Path journal, Map<String, Object> overrides) {
        Map<String, Object> settings = new LinkedHashMap<>(host.settings(overrides));
        settings.put("journal", journal.toString());
        assertThat(host.api.put("/api/v1/integrations/" + id, Map.of("connector", "fakedesk", "settings", settings)).status())
                .isEqualTo(200);
    }

    private void post(String integration, String conversation, String eventId) {
        assertThat(host.api.post("/api/v1/conversations/" + conversation + "/events", Map.of("eventId", eventId,
                "integrationId", integration, "type", "customer_message", "occurredAt", "2025-03-01T10:00:00Z",
                "text", "Hello " + eventId)).status()).isEqualTo(202);
    }

    private JsonNode conversation(String integration, String id) {
        return host.api.get("/api/v1/conversations/" + id + "?integrationId=" + integration).json();
    }

    private static long failures(Path journal) {
        List<List<String>> lifecycle = Journal.lines(Path.of(journal + ".lifecycle"));
        return lifecycle.stream().filter(l -> l.get(0).equals("FAIL")).count();
    }
}
