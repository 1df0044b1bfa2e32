package com.helpdeskconnect.host.sync;

import com.helpdeskconnect.api.errors.ConnectorException;
import com.helpdeskconnect.api.errors.RateLimitedException;
import com.helpdeskconnect.host.errors.IntegrationRejectedException;
import com.helpdeskconnect.host.integrations.ActiveIntegration;
import com.helpdeskconnect.host.integrations.IntegrationService;
import com.helpdeskconnect.host.storage.ConversationStore;
import com.helpdeskconnect.host.storage.ConversationStore.OutboxRow;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the outbox into connector calls.
 *
 * <p>One dispatcher thread claims runnable rows (leased in the database) and hands each to a pool;
 * a conversation has at most one runnable row at a time, so conversations sync in parallel and
 * each one strictly in order. Retryable failures are retried with {@link Backoff}; permanent ones,
 * and retryable ones past the attempt limit, park the row with its reason, which blocks that
 * conversation until an operator retries it. A rate limit ({@link RateLimitedException}) pauses the
 * whole integration until its Retry-After: the row waits without the wait counting as an attempt,
 * and nothing else of that integration is claimed meanwhile; other integrations go on.
 */
public final class SyncWorker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SyncWorker.class);
    private static final long IDLE_POLL_MS = 500;
    private static final long COALESCE_MS = 2;

    private final ConversationStore store;
    private final IntegrationService integrations;
    private final OperationRunner runner;
    private final Backoff backoff;
    private final int maxAttempts;
    private final int threads;
    private final MeterRegistry metrics;
    private final String owner;
    private final ExecutorService pool;
    private final Thread dispatcher;
    private final Semaphore wakeUp = new Semaphore(0);
    private final Set<String> busy = ConcurrentHashMap.newKeySet();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean running = true;
    private volatile java.util.function.Consumer<String> conversationChanged = id -> {};

    public SyncWorker(ConversationStore store, IntegrationService integrations, Backoff backoff, int maxAttempts,
                      int threads, MeterRegistry metrics) {
        this.store = store;
        this.owner = store.leaseOwner();
        this.integrations = integrations;
        this.runner = new OperationRunner(store);
        this.backoff = backoff;
        this.maxAttempts = maxAttempts;
        this.threads = threads;
        this.metrics = metrics;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "sync-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.dispatcher = new Thread(this::dispatch, "sync-dispatcher");
        this.dispatcher.setDaemon(true);
    }

    public void start() {
        store.releaseAllLeases();
        dispatcher.start();
    }

    /** Told the conversation id after each processed row (live streams show sync and status). */
    public void onConversationChanged(java.util.function.Consumer<String> listener) {
        this.conversationChanged = listener;
    }

    /** Called after an event is accepted, so it syncs without waiting for the next poll. */
    public void wake() {
        wakeUp.release();
    }

    private void dispatch() {
        while (running) {
            try {
                int free = threads - inFlight.get();
                List<OutboxRow> rows = free > 0 ? store.claim(owner, store.lease(), free, Set.copyOf(busy)) : List.of();
                if (!running) {
                    // stopping while the claim ran: the rows keep their lease until the database closes and hands them back
                    return;
                }
                for (OutboxRow row : rows) {
                    busy.add(row.conversationId());
                    inFlight.incrementAndGet();
                    if (!submit(row)) {
                        return; // stopping: this row and the rest keep their lease until the database hands them back
                    }
                }
                // Fewer rows than free workers means nothing else is runnable now: wait for a wake-up (an
                // accepted event, a finished row) or the next due retry instead of querying again at once.
                if (free <= 0 || rows.size() < free) {
                    long waitMs = store.nextDue()
                            .map(due -> Math.max(1, Duration.between(Instant.now(), due).toMillis()))
                            .map(ms -> Math.min(ms, IDLE_POLL_MS))
                            .orElse(IDLE_POLL_MS);
                    if (wakeUp.tryAcquire(waitMs, TimeUnit.MILLISECONDS)) {
                        // under load finished rows and new events arrive every few ms: one claim for several
                        Thread.sleep(COALESCE_MS);
                    }
                    wakeUp.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    // the stop interrupted a claim (e.g. its wait for a row lock): nothing failed
                    log.debug("Sync dispatcher stopped during a claim: {}", e.toString());
                    return;
                }
                log.error("Sync dispatcher failed; retrying in a second", e);
                sleepQuietly(1000);
            }
        }
    }

    /** Hands a claimed row to a worker; false when the pool is shut down (the host is stopping). */
    private boolean submit(OutboxRow row) {
        try {
            pool.execute(() -> {
                try {
                    process(row);
                    conversationChanged.accept(row.conversationId());
                } catch (RuntimeException e) {
                    log.warn("After operation {} of conversation {}: {}", row.operation(), row.conversationId(), e.toString());
                } finally {
                    busy.remove(row.conversationId());
                    inFlight.decrementAndGet();
                    wake();
                }
            });
            return true;
        } catch (RejectedExecutionException stopping) {
            busy.remove(row.conversationId());
            inFlight.decrementAndGet();
            return false;
        }
    }

    void process(OutboxRow row) {
        long started = System.nanoTime();
        String connectorId = "unknown";
        String outcome;
        // what the helpdesk accepted is recorded with whatever ends this attempt
        OperationRunner.Work work = new OperationRunner.Work();
        try {
            Optional<ActiveIntegration> acquired = integrations.acquire(row.integrationId());
            if (acquired.isEmpty()) {
                store.park(row, "Integration '" + row.integrationId() + "' does not exist (deleted?)");
                outcome = "parked";
            } else {
                try (ActiveIntegration integration = acquired.get()) {
                    connectorId = integration.connector().id();
                    runner.run(integration, row, work);
                }
                store.complete(row, work.completion());
                outcome = "success";
            }
        } catch (RateLimitedException e) {
            // the helpdesk's quota is the integration's: pause all of its work, not just this row
            Instant until = Instant.now().plus(backoff.retryAfter(e.retryAfter()));
            integrations.pauseUntil(row.integrationId(), until);
            store.rateLimited(row, until, e.kind() + ": " + e.getMessage() + " (integration paused until " + until + ")",
                    work.synced);
            outcome = "rate_limited";
        } catch (ConnectorException e) {
            if (e.retryable()) {
                outcome = retryOrPark(row, e.kind() + ": " + e.getMessage(), backoff.delay(row.attempts() + 1), work.synced);
            } else {
                store.park(row, e.kind() + ": " + e.getMessage(), work.synced);
                outcome = "parked";
            }
        } catch (UnsupportedOperationException e) {
            // a connector that declares a capability but does not implement it
            store.park(row, "PERMANENT: connector '" + connectorId + "' does not support " + e.getMessage(), work.synced);
            outcome = "parked";
        } catch (IntegrationRejectedException e) {
            // the stored settings no longer bind (e.g. the plugin changed its settings)
            store.park(row, "PERMANENT: " + e.getMessage() + " " + e.fields(), work.synced);
            outcome = "parked";
        } catch (RuntimeException e) {
            // a bug or a missing plugin: retry, it may be fixed by a restart
            log.warn("Operation {} for conversation {} failed unexpectedly: {}", row.operation(), row.conversationId(), e.toString());
            outcome = retryOrPark(row, "UNEXPECTED: " + e.getClass().getSimpleName() + ": " + e.getMessage(),
                    backoff.delay(row.attempts() + 1), work.synced);
        }
        Timer.builder("helpdesk_connect.operation")
                .description("Helpdesk operations by connector, operation and outcome")
                .tag("connector", connectorId).tag("operation", row.operation()).tag("outcome", outcome)
                .register(metrics).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }

    private String retryOrPark(OutboxRow row, String error, Duration delay, Map<String, Instant> synced) {
        if (row.attempts() + 1 >= maxAttempts) {
            store.park(row, "Gave up after " + (row.attempts() + 1) + " attempts: " + error, synced);
            return "parked";
        }
        store.retryLater(row, Instant.now().plus(delay), error, synced);
        return "retry";
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops the dispatcher first, then lets running rows finish (at most 10 s): the pool is shut
     * down only once nothing hands it work any more, so a claim that was running when the host
     * began to stop no longer ends in a RejectedExecutionException.
     */
    @Override
    public void close() {
        running = false;
        dispatcher.interrupt();
        try {
            // a claim in progress finishes (JDBC does not stop for an interrupt); then the loop sees running
            dispatcher.join(5000);
            pool.shutdown();
            // unfinished rows keep their lease until the database closes and hands them back
            if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pool.shutdownNow();
        }
    }
}
