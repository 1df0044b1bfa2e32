package com.helpdeskconnect.creatio;

import static com.helpdeskconnect.creatio.Integrations.op;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.helpdeskconnect.api.cases.CaseDraft;
import com.helpdeskconnect.api.cases.Customer;
import com.helpdeskconnect.api.errors.InvalidCredentialsException;
import com.helpdeskconnect.sandbox.CreatioSandbox;
import com.helpdeskconnect.sandbox.CreatioSandboxExtension;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** OAuth tokens: cached, renewed before expiry, refreshed once on 401, one fetch for concurrent callers. */
class TokenHandlingTest {
    @RegisterExtension
    CreatioSandboxExtension creatio = new CreatioSandboxExtension();

    private static CaseDraft draft() {
        return CaseDraft.of("conv-" + UUID.randomUUID(), "Token test", "", Customer.anonymous());
    }

    @Test
    void tokenIsFetchedOnceForManyCalls(CreatioSandbox sandbox) {
        CreatioConnector connector = new CreatioConnector();
        CreatioConnection connection = Integrations.open(connector, sandbox);
        for (int i = 0; i < 5; i++) {
            connection.createCase(op(), draft(), List.of());
        }
        assertThat(connection.tokens().fetchCount()).isEqualTo(1);
        connector.close();
    }

    @Test
    void concurrentCallersShareOneTokenFetch(CreatioSandbox sandbox) throws Exception {
        CreatioConnector connector = new CreatioConnector();
        CreatioConnection connection = Integrations.open(connector, sandbox);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> calls = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            calls.add(pool.submit(() -> {
                start.await();
                return connection.createCase(op(), draft(), List.of());
            }));
        }
        start.countDown();
        for (Future<?> call : calls) {
            call.get();
        }
        pool.shutdown();
        assertThat(connection.tokens().fetchCount()).isEqualTo(1);
        connector.close();
    }

    @Test
    void tokenIsRenewedBeforeItExpires(CreatioSandbox sandbox) {
        MovableClock clock = new MovableClock();
        CreatioConnector connector = new CreatioConnector(clock);
        CreatioConnection connection = Integrations.open(connector, sandbox);
        connection.createCase(op(), draft(), List.of());
        clock.advance(Duration.ofMinutes(59)); // default lifetime 3600 s, renewed a minute early
        connection.createCase(op(), draft(), List.of());
        assertThat(connection.tokens().fetchCount()).isEqualTo(2);
        connector.close();
    }

    @Test
    void revokedTokenIsRefreshedOnceAndTheCallSucceeds(CreatioSandbox sandbox) {
        CreatioConnector connector = new CreatioConnector();
        CreatioConnection connection = Integrations.open(connector, sandbox);
        connection.createCase(op(), draft(), List.of());
        sandbox.revokeAllTokens();
        connection.createCase(op(), draft(), List.of());
        assertThat(connection.tokens().fetchCount()).isEqualTo(2);
        connector.close();
    }

    @Test
    void secondRefusalIsInvalidCredentials(CreatioSandbox sandbox) {
        CreatioConnector connector = new CreatioConnector();
        CreatioConnection connection = Integrations.open(connector, sandbox);
        connection.createCase(op(), draft(), List.of());
        sandbox.revokeAllTokens();
        sandbox.removeClient(sandbox.clientId());
        assertThatThrownBy(() -> connection.createCase(op(), draft(), List.of()))
                .isInstanceOf(InvalidCredentialsException.class)
                .hasMessageContaining("Invalid credentials")
                .hasMessageNotContaining(sandbox.clientSecret());
        connector.close();
    }

    /** A clock tests move forward. */
    static final class MovableClock extends Clock {
        private volatile Instant now = Instant.now();

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
