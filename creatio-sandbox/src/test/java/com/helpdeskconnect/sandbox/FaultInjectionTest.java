package com.helpdeskconnect.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.helpdeskconnect.sandbox.faults.FaultRule;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class FaultInjectionTest {
    @RegisterExtension
    static CreatioSandboxExtension creatio = new CreatioSandboxExtension(b -> b.seed(7));

    private String token;

    @BeforeEach
    void setUp() {
        creatio.reset();
        token = Http.token(creatio.sandbox());
    }

    @Test
    void statusFaultsHitOnlyTheNextNMatchingRequests() {
        creatio.faults().add(FaultRule.on("GET", "/0/odata/Case").status(503).times(2));

        assertThat(Http.get(creatio.odataUrl() + "/CaseStatus", token).status()).isEqualTo(200);
        assertThat(Http.get(creatio.odataUrl() + "/Case", token).status()).isEqualTo(503);
        assertThat(Http.get(creatio.odataUrl() + "/Case", token).status()).isEqualTo(503);
        assertThat(Http.get(creatio.odataUrl() + "/Case", token).status()).isEqualTo(200);
    }

    @Test
    void tooManyRequestsCarriesRetryAfter() {
        creatio.faults().add(FaultRule.on("*", "/0/odata").tooManyRequests(Duration.ofSeconds(3)).times(1));

        Http.Response response = Http.get(creatio.odataUrl() + "/Case", token);

        assertThat(response.status()).isEqualTo(429);
        assertThat(response.header("Retry-After")).isEqualTo("3");
    }

    @Test
    void latencyDelaysTheAnswer() {
        creatio.faults().add(FaultRule.on("GET", "/0/odata/Case").latency(Duration.ofMillis(300), Duration.ZERO)
                .times(1));

        long start = System.nanoTime();
        assertThat(Http.get(creatio.odataUrl() + "/Case", token).status()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void connectionResetLeavesTheClientWithoutAnAnswer() {
        // POST, because java.net.http silently retries an idempotent GET once on a dead connection
        creatio.faults().add(FaultRule.on("POST", "/0/odata/Case").resetConnection().times(1));

        assertThatThrownBy(() -> Http.post(creatio.odataUrl() + "/Case", token, "{\"Subject\":\"x\"}"))
                .isInstanceOf(UncheckedIOException.class);
        assertThat(creatio.inspect().cases()).isEmpty();
        assertThat(Http.post(creatio.odataUrl() + "/Case", token, "{\"Subject\":\"x\"}").status()).isEqualTo(201);
    }

    @Test
    void lostAnswerLandsTheWriteAndDropsTheConnection() {
        creatio.faults().add(FaultRule.on("POST", "/0/odata/Case").loseAnswer().times(1));

        assertThatThrownBy(() -> Http.post(creatio.odataUrl() + "/Case", token, "{\"Subject\":\"landed\"}"))
                .isInstanceOf(UncheckedIOException.class);
        assertThat(creatio.inspect().cases()).extracting(c -> c.subject()).containsExactly("landed");
        assertThat(Http.post(creatio.odataUrl() + "/Case", token, "{\"Subject\":\"answered\"}").status()).isEqualTo(201);
    }

    @Test
    void revokedTokenFailsBeforeItsExpiry() {
        creatio.faults().add(FaultRule.on("*", "/0/odata").revokeToken().times(1));

        assertThat(Http.get(creatio.odataUrl() + "/Case", token).status()).isEqualTo(401);
        assertThat(Http.get(creatio.odataUrl() + "/Case", token).status()).isEqualTo(401);
        assertThat(Http.get(creatio.odataUrl() + "/Case", Http.token(creatio.sandbox())).status()).isEqualTo(200);
    }

    @Test
    void slowBodiesArriveWhole() {
        creatio.faults().add(FaultRule.on("GET", "/0/odata/CaseStatus").slowBody(256, Duration.ofMillis(20)));

        long start = System.nanoTime();
        Http.Response response = Http.get(creatio.odataUrl() + "/CaseStatus", token);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("value")).hasSize(7);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(60));
    }

    @Test
    void probabilitiesAreDeterministicForASeed() {
        assertThat(pattern()).isEqualTo(pattern());
    }

    @Test
    void faultsCanBeAddedOverTheAdminApi() {
        Http.Response added = Http.post(creatio.baseUrl() + "/sandbox/faults", null,
                "{\"method\":\"POST\",\"path\":\"/connect/token\",\"kind\":\"status\",\"status\":502,\"times\":1}");
        assertThat(added.status()).isEqualTo(201);

        assertThatThrownBy(() -> Http.token(creatio.sandbox())).hasMessageContaining("502");
        assertThat(Http.token(creatio.sandbox())).isNotEmpty();
    }

    private List<Integer> pattern() {
        creatio.faults().clear();
        creatio.faults().add(FaultRule.on("GET", "/0/odata/CaseStatus").status(500).withProbability(0.5));
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            statuses.add(Http.get(creatio.odataUrl() + "/CaseStatus", token).status());
        }
        assertThat(statuses).contains(200, 500);
        return statuses;
    }
}
