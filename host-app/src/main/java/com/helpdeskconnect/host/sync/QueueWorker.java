package com.helpdeskconnect.host.sync;

import com.helpdeskconnect.host.storage.queue.Claim;
import com.helpdeskconnect.host.storage.queue.WorkQueue;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains one durable queue (storage.queue.WorkQueue) with a pool: one dispatcher thread claims
 * runnable rows and hands each to a worker; a key (conversation or integration) has at most one row
 * in flight, so keys run in parallel and each one strictly in order. The outbox, the webhook inbox
 * and the callback outbox are each drained by one of these, with their own handler.
 */
final class QueueWorker<T> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(QueueWorker.class);
    private static final long IDLE_POLL_MS = 500;
    private static final long COALESCE_MS = 2;
    /**
     * With a backlog, how long the dispatcher waits at most for {@link #backlogBatch} workers to be
     * free: each claim walks the queue's due rows past those in flight, so one claim per finished row
     * would cost that walk per row (BENCHMARKS.md, "Batch intake").
     */
    private static final long BACKLOG_WAIT_MS = 10;

    /** Claims up to {@code limit} runnable rows whose key is not in {@code busyKeys} (e.g. {@code OutboxStore::claim}). */
    @FunctionalInterface
    interface Claimer<T> {
        List<T> claim(int limit, Set<String> busyKeys);
    }

    private final String name;
    private final WorkQueue queue;
    private final Claimer<T> claimer;
    private final Function<T, Claim> claimOf;
    private final Consumer<T> handler;
    private final int threads;
    private final ExecutorService pool;
    private final Thread dispatcher;
    private final Semaphore wakeUp = new Semaphore(0);
    private final Set<String> busy = ConcurrentHashMap.newKeySet();
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Free workers worth a claim while a backlog lasts. */
    private final int backlogBatch;
    private volatile boolean running = true;

    /**
     * @param queue   the queue drained: when its next row is due, and the leases to hand back at start
     * @param claimer claims rows of {@code queue} with what the handler needs of them
     * @param claimOf a claimed row's queue claim (its order key)
     * @param handler runs one claimed row to its outcome (it records done, retry or park itself); an
     *                exception it lets through is logged and the row's lease runs out, so it is retried
     */
    QueueWorker(String name, int threads, WorkQueue queue, Claimer<T> claimer, Function<T, Claim> claimOf,
                Consumer<T> handler) {
        this.name = name;
        this.queue = queue;
        this.claimer = claimer;
        this.claimOf = claimOf;
        this.handler = handler;
        this.threads = threads;
        this.backlogBatch = Math.max(1, threads / 8);
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.dispatcher = new Thread(this::dispatch, name + "-dispatcher");
        this.dispatcher.setDaemon(true);
    }

    void start() {
        queue.releaseAbandonedLeases();
        dispatcher.start();
    }

    /** Something was queued or finished: claim without waiting for the next poll. */
    void wake() {
        wakeUp.release();
    }

    private void dispatch() {
        boolean backlog = false;
        while (running) {
            try {
                if (backlog) {
                    awaitFreeWorkers();
                }
                int free = threads - inFlight.get();
                List<T> rows = free > 0 ? claimer.claim(free, Set.copyOf(busy)) : List.of();
                // as many runnable rows as free workers: more are likely waiting (no free worker: no news)
                backlog = free <= 0 ? backlog : rows.size() == free;
                if (!running) {
                    // stopping while the claim ran: the rows keep their lease until the database closes and hands them back
                    return;
                }
                for (T row : rows) {
                    if (!submit(row)) {
                        return; // stopping: this row and the rest keep their lease until the database hands them back
                    }
                }
                // Fewer rows than free workers means nothing else is runnable now: wait for a wake-up (a
                // queued row, a finished row) or the next due retry instead of querying again at once.
                if (!backlog && (free <= 0 || rows.size() < free)) {
                    if (wakeUp.availablePermits() > 0) {
                        // woken meanwhile (under load: rows finished during the claim): claim again, no wait to work out
                        wakeUp.drainPermits();
                        Thread.sleep(COALESCE_MS);
                        continue;
                    }
                    long waitMs = queue.nextDue()
                            .map(due -> Math.max(1, Duration.between(Instant.now(), due).toMillis()))
                            .map(ms -> Math.min(ms, IDLE_POLL_MS))
                            .orElse(IDLE_POLL_MS);
                    if (wakeUp.tryAcquire(waitMs, TimeUnit.MILLISECONDS)) {
                        // under load finished rows and new ones arrive every few ms: one claim for several
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
                    log.debug("{} dispatcher stopped during a claim: {}", name, e.toString());
                    return;
                }
                log.error("{} dispatcher failed; retrying in a second", name, e);
                sleepQuietly(1000);
            }
        }
    }

    /**
     * Waits until {@link #backlogBatch} workers are free, at most {@link #BACKLOG_WAIT_MS}: rows that
     * wait in a backlog anyway wait a few ms more, and the next claim takes several of them at once.
     */
    private void awaitFreeWorkers() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BACKLOG_WAIT_MS);
        while (running && threads - inFlight.get() < backlogBatch) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !wakeUp.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                return;
            }
        }
        wakeUp.drainPermits();
    }

    /** Hands a claimed row to a worker; false when the pool is shut down (the host is stopping). */
    private boolean submit(T row) {
        String key = claimOf.apply(row).key();
        busy.add(key);
        inFlight.incrementAndGet();
        try {
            pool.execute(() -> {
                try {
                    handler.accept(row);
                } catch (RuntimeException e) {
                    log.warn("{}: a row of {} failed after its outcome: {}", name, key, e.toString());
                } finally {
                    busy.remove(key);
                    inFlight.decrementAndGet();
                    wake();
                }
            });
            return true;
        } catch (RejectedExecutionException stopping) {
            busy.remove(key);
            inFlight.decrementAndGet();
            return false;
        }
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
     * down only once nothing hands it work any more.
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
