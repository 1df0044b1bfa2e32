package com.helpdeskconnect.host.sync;

import com.helpdeskconnect.api.errors.ConnectorException;
import com.helpdeskconnect.api.errors.RateLimitedException;
import com.helpdeskconnect.host.errors.IntegrationRejectedException;
import com.helpdeskconnect.host.storage.queue.Claim;
import com.helpdeskconnect.host.storage.queue.WorkQueue;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;

/**
 * What happens after a failed attempt, the same for every queue: the failure is classified
 * ({@link #classify}), a transient one is retried with exponential backoff and jitter
 * ({@link Backoff}) until the attempt limit, then parked; a permanent one is parked at once; a
 * rate limit waits for the Retry-After the other side asked for (plus jitter) without counting as
 * an attempt, so waiting never parks a row.
 */
public record RetryPolicy(Backoff backoff, int maxAttempts) {

    /** A failed attempt, classified. */
    public record Failure(Kind kind, String message, Duration retryAfter) {
        public enum Kind { TRANSIENT, PERMANENT, RATE_LIMITED }

        public static Failure transientError(String message) {
            return new Failure(Kind.TRANSIENT, message, Duration.ZERO);
        }

        public static Failure permanent(String message) {
            return new Failure(Kind.PERMANENT, message, Duration.ZERO);
        }

        public static Failure rateLimited(String message, Duration retryAfter) {
            return new Failure(Kind.RATE_LIMITED, message, retryAfter);
        }
    }

    /** What to do with the row. */
    public sealed interface Decision permits Retry, Park, Wait {}

    /** Try again at {@code at}; the attempt counts. */
    public record Retry(Instant at, String error) implements Decision {}

    /** Stop and wait for an operator. */
    public record Park(String reason) implements Decision {}

    /** Try again at {@code until}, as the other side asked; the attempt does not count. */
    public record Wait(Instant until, String error) implements Decision {}

    /**
     * A connector's (or the host's own) exception: the connector says whether it is worth retrying;
     * anything unexpected is retried (a bug or a missing plugin may be fixed by a restart).
     */
    public static Failure classify(RuntimeException e) {
        if (e instanceof RateLimitedException r) {
            return Failure.rateLimited(r.kind() + ": " + r.getMessage(), r.retryAfter());
        }
        if (e instanceof ConnectorException c) {
            String message = c.kind() + ": " + c.getMessage();
            return c.retryable() ? Failure.transientError(message) : Failure.permanent(message);
        }
        if (e instanceof IntegrationRejectedException r) {
            // the stored settings no longer bind (e.g. the plugin changed its settings)
            return Failure.permanent("PERMANENT: " + r.getMessage() + " " + r.fields());
        }
        return Failure.transientError("UNEXPECTED: " + e.getClass().getSimpleName() + ": " + e.getMessage());
    }

    /** The decision after a failure, given the attempts that already failed before this one. */
    public Decision decide(int failedBefore, Failure failure) {
        return switch (failure.kind()) {
            case RATE_LIMITED -> new Wait(Instant.now().plus(backoff.retryAfter(failure.retryAfter())), failure.message());
            case PERMANENT -> new Park(failure.message());
            case TRANSIENT -> failedBefore + 1 >= maxAttempts
                    ? new Park("Gave up after " + (failedBefore + 1) + " attempts: " + failure.message())
                    : new Retry(Instant.now().plus(backoff.delay(failedBefore + 1)), failure.message());
        };
    }

    /**
     * Decides and records the decision on a row of {@code queue} whose outcome has no side effects of
     * its own (webhook calls, callbacks; the outbox records its progress with it, see SyncWorker):
     * {@code waitNote} tells, from the wait's end, what the error of a wait adds.
     */
    public Decision settle(WorkQueue queue, Claim row, Failure failure, Function<Instant, String> waitNote) {
        Decision decision = decide(row.attempts(), failure);
        if (decision instanceof Wait wait) {
            queue.retry(row, wait.until(), wait.error() + waitNote.apply(wait.until()), false);
        } else if (decision instanceof Retry later) {
            queue.retry(row, later.at(), later.error(), true);
        } else {
            queue.park(row, ((Park) decision).reason());
        }
        return decision;
    }
}
