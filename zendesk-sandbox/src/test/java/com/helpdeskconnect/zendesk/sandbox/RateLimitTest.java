package com.helpdeskconnect.zendesk.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RateLimitTest {
    @RegisterExtension
    ZendeskSandboxExtension zendesk = new ZendeskSandboxExtension(b -> b.ticketUpdateLimit(3, Duration.ofMinutes(10)));

    @Test
    void thePerTicketUpdateLimitAnswers429TextPlainWithRetryAfterUntilTheWindowPasses() {
        Zendesk api = new Zendesk(zendesk.sandbox());
        long id = api.createTicket("r1");
        long other = api.createTicket("r2");
        for (int i = 0; i < 3; i++) {
            assertThat(api.put("/tickets/" + id, "{\"ticket\":{\"comment\":{\"body\":\"m" + i + "\"}}}").status())
                    .isEqualTo(200);
        }

        Http.Response limited = api.put("/tickets/" + id, "{\"ticket\":{\"comment\":{\"body\":\"m3\"}}}");

        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.contentType()).startsWith("text/plain");
        assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 600L);
        assertThat(api.put("/tickets/" + other, "{\"ticket\":{\"comment\":{\"body\":\"x\"}}}").status())
                .isEqualTo(200);
        assertThat(zendesk.inspect().ticket(id).orElseThrow().comments()).hasSize(4);
        zendesk.advanceClock(Duration.ofMinutes(10));
        assertThat(api.put("/tickets/" + id, "{\"ticket\":{\"comment\":{\"body\":\"m3\"}}}").status())
                .isEqualTo(200);
    }

    @Test
    void theAccountLimitCountsEveryRequestPerMinute() {
        zendesk.sandbox().limits().accountPerMinute(5);
        Zendesk api = new Zendesk(zendesk.sandbox());
        // Start at a minute's beginning so the five requests share one window.
        long second = zendesk.sandbox().clock().instant().getEpochSecond() % 60;
        zendesk.advanceClock(Duration.ofSeconds(60 - second));

        for (int i = 0; i < 5; i++) {
            Http.Response ok = api.get("/users/me");
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.header("X-Rate-Limit-Remaining")).isEqualTo(String.valueOf(4 - i));
        }
        Http.Response limited = api.get("/users/me");

        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.body()).isEqualTo("Number of allowed API requests per minute exceeded");
        assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 60L);
        zendesk.advanceClock(Duration.ofSeconds(60));
        assertThat(api.get("/users/me").status()).isEqualTo(200);
    }
}
