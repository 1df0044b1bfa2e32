package com.helpdeskconnect.host.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.helpdeskconnect.host.config.HostConfig.DatabaseSettings;
import com.helpdeskconnect.host.events.ConversationEvent;
import com.helpdeskconnect.host.events.EventType;
import com.helpdeskconnect.host.http.Json;
import com.helpdeskconnect.host.storage.ConversationStores;
import com.helpdeskconnect.host.storage.Database;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stopping the worker while its dispatcher is claiming rows (GracefulShutdownTest's SIGTERM under
 * load hit this now and then): whatever the claim then does, the stop is not an error. Here the
 * claim waits for a row lock, which the stop's interrupt ends with a lock timeout; it used to be
 * logged as "sync dispatcher failed". A claim that returns rows after the stop began hands them to
 * no worker (the pool used to be shut down first: RejectedExecutionException); they keep their
 * lease until the next start releases it. Nothing is lost either way.
 */
class SyncWorkerStopTest {
    @TempDir
    Path dir;

    @Test
    void aClaimRunningWhenTheWorkerStopsHandsNothingToTheStoppedPool() throws Exception {
        // H2: a row lock to wait on (SQLite has none; its claims queue on the JVM write lock instead)
        try (Database db = Database.openH2(dir.resolve("data"), 8, DatabaseSettings.DEFAULT_LEASE);
             ConversationStores store = ConversationStores.open(db, Json.mapper())) {
            store.intake().accept(new ConversationEvent("e1", "c1", "desk", EventType.CUSTOMER_MESSAGE,
                    Instant.parse("2026-01-01T00:00:00Z"), "hello", null, null, Map.of(), null, null, null));
            // another transaction holds the outbox row: the dispatcher's claim waits on it
            CountDownLatch locked = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> db.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET attempts = attempts")) {
                    ps.executeUpdate();
                }
                locked.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            }));
            assertThat(locked.await(30, TimeUnit.SECONDS)).isTrue();

            PrintStream originalErr = System.err;
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            SyncWorker worker = new SyncWorker(store.outbox(), store.conversations(), null,
                    new RetryPolicy(new Backoff(Duration.ofMillis(20), Duration.ofMillis(200)), 5), 2,
                    new SimpleMeterRegistry());
            Set<Thread> others = dispatchers();
            System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
            try {
                worker.start();
                Thread dispatcher = dispatchers().stream().filter(t -> !others.contains(t)).findFirst().orElseThrow();
                // waiting for the row lock inside the claim
                await().atMost(Duration.ofSeconds(60)).until(() -> dispatcher.getState() != Thread.State.RUNNABLE
                        && Arrays.stream(dispatcher.getStackTrace()).anyMatch(f -> f.getMethodName().equals("claim")));
                CompletableFuture<Void> stopping = CompletableFuture.runAsync(worker::close);
                Thread.sleep(300); // the stop is under way
                release.countDown();
                holder.get(30, TimeUnit.SECONDS);
                stopping.get(30, TimeUnit.SECONDS);
            } finally {
                System.setErr(originalErr);
            }
            assertThat(log.toString(StandardCharsets.UTF_8)).doesNotContain("RejectedExecutionException")
                    .doesNotContain("dispatcher failed");
            assertThat(store.outbox().count("PENDING")).isEqualTo(1); // not run, not lost
        }
    }

    /** Every worker's dispatcher thread in this JVM (other test classes run hosts in parallel). */
    private static Set<Thread> dispatchers() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("sync-dispatcher"))
                .collect(Collectors.toSet());
    }
}
