package com.helpdeskconnect.host.storage;

import com.helpdeskconnect.host.storage.EventIntake.Accepted;
import com.helpdeskconnect.host.storage.EventIntake.ConflictingEventException;
import com.helpdeskconnect.host.storage.EventIntake.PendingEvent;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for accepted events: one thread takes every event waiting in the queue and writes
 * them in one transaction, then completes each request's future. A request still gets its answer
 * only after its event is committed, but N concurrent requests cost one H2 commit instead of N
 * (with {@code WRITE_DELAY=0} each commit writes a chunk under the MVStore's one lock).
 *
 * <p>Events are written in queue order, so a client that waits for its 202 before sending the
 * conversation's next event keeps the conversation's order. If the batch fails as a whole (an
 * unexpected SQL error, e.g. a webhook id racing an event id), it is rolled back and every event
 * is written again in its own transaction, so one bad event never fails the others. Each
 * transaction holds the store's transcript lock until it commits, so transcript seqs become
 * visible in order (see {@code ConversationStore.transcriptWrites}).
 */
final class EventWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventWriter.class);
    /** Bounds one transaction's size (and the time the first request in it waits). */
    private static final int MAX_BATCH = 256;

    private record Request(PendingEvent event, CompletableFuture<Accepted> result) {}

    private static final Request STOP = new Request(null, null);

    private final EventIntake store;
    private final BlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    EventWriter(EventIntake store) {
        this.store = store;
        this.thread = new Thread(this::loop, "event-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    Accepted submit(PendingEvent event) {
        CompletableFuture<Accepted> result = new CompletableFuture<>();
        synchronized (this) { // nothing is queued behind STOP, so every queued request is answered
            if (closed) {
                throw new IllegalStateException("The host is shutting down");
            }
            queue.add(new Request(event, result));
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    // no timeout: the event may already be committed, so the answer must be the real one
                    return result.get();
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
        List<Request> batch = new ArrayList<>(MAX_BATCH);
        while (true) {
            batch.clear();
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                continue; // only close() stops the writer, with STOP, after everything queued before it
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            boolean stop = batch.remove(STOP);
            if (!batch.isEmpty()) {
                writeSafely(batch);
            }
            if (stop) {
                // requests that raced close() still get an answer
                List<Request> rest = new ArrayList<>();
                queue.drainTo(rest);
                rest.remove(STOP);
                if (!rest.isEmpty()) {
                    writeSafely(rest);
                }
                return;
            }
        }
    }

    /** Never leaves a request without an answer, whatever goes wrong. */
    private void writeSafely(List<Request> batch) {
        try {
            write(batch);
        } catch (Throwable t) {
            log.error("Event writer failed", t);
            batch.forEach(r -> r.result().completeExceptionally(t));
        }
    }

    private void write(List<Request> batch) {
        Timestamp now = Timestamp.from(Instant.now());
        List<Object> outcomes = new ArrayList<>(batch.size());
        try {
            store.transcriptTransaction(c -> {
                for (Request r : batch) {
                    outcomes.add(insertChecked(c, r.event(), now));
                }
                return null;
            });
        } catch (RuntimeException e) {
            log.debug("Event batch of {} rolled back ({}); writing each on its own", batch.size(), e.toString());
            for (Request r : batch) {
                try {
                    r.result().complete(store.acceptAlone(r.event()));
                } catch (RuntimeException single) {
                    r.result().completeExceptionally(single);
                }
            }
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            Object outcome = outcomes.get(i);
            if (outcome instanceof Accepted a) {
                batch.get(i).result().complete(a);
            } else {
                batch.get(i).result().completeExceptionally((RuntimeException) outcome);
            }
        }
    }

    /** A conflict is this request's answer, not the batch's failure (nothing was written for it). */
    private static Object insertChecked(Connection c, PendingEvent event, Timestamp now) throws SQLException {
        try {
            return EventIntake.insertEvent(c, event, now);
        } catch (ConflictingEventException e) {
            return e;
        }
    }

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
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
