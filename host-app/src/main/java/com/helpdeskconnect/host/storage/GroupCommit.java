package com.helpdeskconnect.host.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: units of work submitted by many threads run on one writer thread, all that are
 * waiting in one transaction, and each submitter gets its unit's result once that transaction has
 * committed. An embedded H2 commit writes a chunk under the store's one lock, so one commit for a
 * batch costs about what one commit for one unit does.
 *
 * <p>Units run in the order they were submitted. If the batch fails as a whole (a unit throws), it
 * is rolled back and every unit runs again in its own transaction, so one bad unit never fails the
 * others; a unit that expects a failure (a conflict that is the caller's answer) returns it as its
 * result instead of throwing, so the batch goes on.
 */
final class GroupCommit implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

    /** How a batch's transaction runs (plainly, or holding a lock until its commit). */
    interface Transactions {
        <T> T inTransaction(Database.SqlWork<T> work);
    }

    private static final class Unit<T> {
        final Database.SqlWork<T> work;
        /** What the unit counts for against {@link #maxBatch}: the rows of work it carries. */
        final int weight;
        final CompletableFuture<T> result = new CompletableFuture<>();
        T value;

        Unit(Database.SqlWork<T> work, int weight) {
            this.work = work;
            this.weight = weight;
        }

        void run(Connection c) throws SQLException {
            value = work.run(c);
        }

        void runAlone(Transactions transactions) {
            try {
                result.complete(transactions.inTransaction(work));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        }
    }

    private static final Unit<Void> STOP = new Unit<>(c -> null, 1);

    private final String name;
    private final int maxBatch;
    private final Transactions transactions;
    private final BlockingQueue<Unit<?>> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    /**
     * @param maxBatch bounds one transaction's size, in units' weights (and how long the first unit in it waits)
     */
    GroupCommit(String name, int maxBatch, Transactions transactions) {
        this.name = name;
        this.maxBatch = maxBatch;
        this.transactions = transactions;
        this.thread = new Thread(this::loop, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Runs {@code work} in the next batch; returns its result after the commit. */
    <T> T submit(Database.SqlWork<T> work) {
        return submit(work, 1);
    }

    /**
     * As {@link #submit(Database.SqlWork)}, for a unit that carries {@code weight} units' worth of rows
     * (several events): a transaction holds at most {@code maxBatch} of weight, or one heavier unit alone.
     */
    <T> T submit(Database.SqlWork<T> work, int weight) {
        Unit<T> unit = new Unit<>(work, Math.max(1, weight));
        synchronized (this) { // nothing is queued behind STOP, so every queued unit is answered
            if (closed) {
                throw new IllegalStateException("The host is shutting down");
            }
            queue.add(unit);
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    // no timeout: the unit may already be committed, so the answer must be the real one
                    return unit.result.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException r) {
                        throw r;
                    }
                    throw new IllegalStateException(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void loop() {
        List<Unit<?>> batch = new ArrayList<>(maxBatch);
        while (true) {
            batch.clear();
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                continue; // only close() stops the writer, with STOP, after everything queued before it
            }
            // only this thread takes from the queue, so the unit peeked at is the one polled
            int weight = batch.get(0).weight;
            for (Unit<?> next = queue.peek(); next != null && weight + next.weight <= maxBatch; next = queue.peek()) {
                batch.add(queue.poll());
                weight += next.weight;
            }
            boolean stop = batch.remove(STOP);
            if (!batch.isEmpty()) {
                writeSafely(batch);
            }
            if (stop) {
                // units that raced close() still get an answer
                List<Unit<?>> rest = new ArrayList<>();
                queue.drainTo(rest);
                rest.remove(STOP);
                if (!rest.isEmpty()) {
                    writeSafely(rest);
                }
                return;
            }
        }
    }

    /** Never leaves a unit without an answer, whatever goes wrong. */
    private void writeSafely(List<Unit<?>> batch) {
        try {
            write(batch);
        } catch (Throwable t) {
            log.error("{} failed", name, t);
            batch.forEach(u -> u.result.completeExceptionally(t));
        }
    }

    private void write(List<Unit<?>> batch) {
        try {
            transactions.inTransaction(c -> {
                for (Unit<?> unit : batch) {
                    unit.run(c);
                }
                return null;
            });
        } catch (RuntimeException e) {
            log.debug("{}: batch of {} rolled back ({}); running each on its own", name, batch.size(), e.toString());
            batch.forEach(u -> u.runAlone(transactions));
            return;
        }
        batch.forEach(GroupCommit::completed);
    }

    private static <T> void completed(Unit<T> unit) {
        unit.result.complete(unit.value);
    }

    /** Commits what was already submitted, then stops the writer. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(STOP);
        }
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
