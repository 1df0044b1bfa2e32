package com.helpdeskconnect.zendesk.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.helpdeskconnect.zendesk.sandbox.faults.FaultRule;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class FaultInjectionTest {
    @RegisterExtension
    static ZendeskSandboxExtension zendesk = new ZendeskSandboxExtension(b -> b.seed(7));

    private Zendesk api;

    @BeforeEach
    void setUp() {
        zendesk.reset();
        api = new Zendesk(zendesk.sandbox());
    }

    @Test
    void statusFaultsHitOnlyTheNextNMatchingRequestsWhateverTheSuffix() {
        zendesk.faults().add(FaultRule.on("GET", "/api/v2/tickets").status(503).times(2));

        assertThat(api.get("/ticket_fields").status()).isEqualTo(200);
        Http.Response first = api.get("/tickets.json");
        assertThat(first.status()).isEqualTo(503);
        assertThat(first.contentType()).startsWith("text/plain");
        assertThat(api.get("/tickets/1").status()).isEqualTo(503);
        assertThat(api.get("/tickets").status()).isEqualTo(200);
    }

    @Test
    void tooManyRequestsCarriesRetryAfterAndAPlainBody() {
        zendesk.faults().add(FaultRule.on("*", "/api/v2").tooManyRequests(Duration.ofSeconds(3)).times(1));

        Http.Response response = api.get("/users/me");

        assertThat(response.status()).isEqualTo(429);
        assertThat(response.header("Retry-After")).isEqualTo("3");
        assertThat(response.contentType()).startsWith("text/plain");
    }

    @Test
    void latencyDelaysTheAnswer() {
        zendesk.faults().add(FaultRule.on("GET", "/api/v2/users").latency(Duration.ofMillis(300), Duration.ZERO)
                .times(1));

        long start = System.nanoTime();
        assertThat(api.get("/users/me").status()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void connectionResetLeavesTheClientWithoutAnAnswerAndWritesNothing() {
        // POST, because java.net.http silently retries an idempotent GET once on a dead connection
        zendesk.faults().add(FaultRule.on("POST", "/api/v2/tickets").resetConnection().times(1));

        assertThatThrownBy(() -> api.post("/tickets", "{\"ticket\":{\"comment\":{\"body\":\"x\"}}}"))
                .isInstanceOf(UncheckedIOException.class);
        assertThat(zendesk.inspect().tickets()).isEmpty();
    }

    @Test
    void loseAnswerWritesButTheClientSeesAReset() {
        long id = api.createTicket("f");
        zendesk.faults().add(FaultRule.on("PUT", "/api/v2/tickets").loseAnswer().times(1));

        assertThatThrownBy(() -> api.put("/tickets/" + id, "{\"ticket\":{\"comment\":{\"body\":\"lost\"}}}"))
                .isInstanceOf(UncheckedIOException.class);
        assertThat(zendesk.inspect().ticket(id).orElseThrow().comments()).hasSize(2);
    }

    @Test
    void probabilisticFaultsRepeatForTheSameSeed() {
        List<Integer> first = run();
        zendesk.reset();
        List<Integer> second = run();

        assertThat(first).isEqualTo(second).contains(200, 503);
    }

    private List<Integer> run() {
        zendesk.faults().add(FaultRule.on("GET", "/api/v2/users").status(503).withProbability(0.5));
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            statuses.add(api.get("/users/me").status());
        }
        return statuses;
    }
}
