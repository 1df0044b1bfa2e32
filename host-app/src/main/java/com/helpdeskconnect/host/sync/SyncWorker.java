package com.helpdeskconnect.host.sync;

import com.helpdeskconnect.api.errors.ConnectorException;
import com.helpdeskconnect.host.errors.IntegrationRejectedException;
import com.helpdeskconnect.host.integrations.ActiveIntegration;
import com.helpdeskconnect.host.integrations.IntegrationService;
import com.helpdeskconnect.host.storage.ConversationStore;
import com.helpdeskconnect.host.storage.OutboxStore.OutboxRow;
import com.helpdeskconnect.host.storage.OutboxStore;
import com.helpdeskconnect.host.sync.RetryPolicy.Failure;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the outbox into connector calls ({@link OperationRunner}) through a {@link QueueWorker}:
 * conversations sync in parallel and each one strictly in order. Failures go through the
 * {@link RetryPolicy}: retried with backoff, parked with the reason (which holds back that
 * conversation until an operator retries or discards it), and a rate limit pauses the whole
 * integration until its Retry-After: the row waits without the wait counting as an attempt, and
 * nothing else of that integration is claimed meanwhile; other integrations go on.
 */
public final class SyncWorker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SyncWorker.class);

    private final OutboxStore outbox;
    private final IntegrationService integrations;
    private final OperationRunner runner;
    private final RetryPolicy retry;
    private final MeterRegistry metrics;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final QueueWorker<OutboxRow> worker;
    private volatile Consumer<String> conversationChanged = id -> {};

    public SyncWorker(OutboxStore outbox, ConversationStore conversations, IntegrationService integrations, RetryPolicy retry,
                      int threads, MeterRegistry metrics) {
        this.outbox = outbox;
        this.integrations = integrations;
        this.runner = new OperationRunner(conversations, outbox);
        this.retry = retry;
        this.metrics = metrics;
        this.worker = new QueueWorker<>("sync", threads, outbox.queue(), outbox::claim, OutboxRow::claim, row -> {
            process(row);
            conversationChanged.accept(row.conversationId());
        });
    }

    public void start() {
        worker.start();
    }

    /** Told the conversation id after each processed row (live streams show sync and status). */
    public void onConversationChanged(Consumer<String> listener) {
        this.conversationChanged = listener;
    }

    /** Called after an event is accepted, so it syncs without waiting for the next poll. */
    public void wake() {
        worker.wake();
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
                outbox.park(row, "Integration '" + row.integrationId() + "' does not exist (deleted?)");
                outcome = "parked";
            } else {
                try (ActiveIntegration integration = acquired.get()) {
                    connectorId = integration.connector().id();
                    runner.run(integration, row, work);
                }
                outbox.complete(row, work.completion());
                outcome = "success";
            }
        } catch (UnsupportedOperationException e) {
            // a connector that declares a capability but does not implement it
            outcome = settle(row, Failure.permanent("PERMANENT: connector '" + connectorId + "' does not support " + e.getMessage()),
                    work.progress());
        } catch (RuntimeException e) {
            if (!(e instanceof ConnectorException) && !(e instanceof IntegrationRejectedException)) {
                log.warn("Operation {} for conversation {} failed unexpectedly: {}", row.operation(), row.conversationId(), e.toString());
            }
            outcome = settle(row, RetryPolicy.classify(e), work.progress());
        }
        timer(connectorId, row.operation(), outcome).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }

    /** The operation timer, looked up once per connector, operation and outcome (not built per row). */
    private Timer timer(String connectorId, String operation, String outcome) {
        return timers.computeIfAbsent(connectorId + '/' + operation + '/' + outcome, k -> Timer.builder("helpdesk_connect.operation")
                .description("Helpdesk operations by connector, operation and outcome")
                .tag("connector", connectorId).tag("operation", operation).tag("outcome", outcome)
                .register(metrics));
    }

    /** Records the policy's decision for a failed row; returns the metric's outcome. */
    private String settle(OutboxRow row, Failure failure, OutboxStore.Progress progress) {
        RetryPolicy.Decision decision = retry.decide(row.attempts(), failure);
        if (decision instanceof RetryPolicy.Wait wait) {
            // the helpdesk's quota is the integration's: pause all of its work, not just this row
            integrations.pauseUntil(row.integrationId(), wait.until());
            outbox.rateLimited(row, wait.until(), wait.error() + " (integration paused until " + wait.until() + ")", progress);
            return "rate_limited";
        }
        if (decision instanceof RetryPolicy.Retry later) {
            outbox.retryLater(row, later.at(), later.error(), progress);
            return "retry";
        }
        outbox.park(row, ((RetryPolicy.Park) decision).reason(), progress);
        return "parked";
    }

    @Override
    public void close() {
        worker.close();
    }
}
