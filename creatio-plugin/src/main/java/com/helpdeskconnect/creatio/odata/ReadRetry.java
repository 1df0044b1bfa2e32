package com.helpdeskconnect.creatio.odata;

import com.helpdeskconnect.api.errors.ConnectorException;
import com.helpdeskconnect.api.errors.RateLimitedException;
import com.helpdeskconnect.api.errors.TransientException;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Retries an idempotent read (a GET, a token request) a few times within a short budget, so one
 * dropped connection or 503 does not turn an admin's save into "try again". Only retryable failures
 * are retried, and a pause that would end past the budget is not taken: the last failure is thrown.
 */
public final class ReadRetry {
    /** Tries in all, the first included. */
    public static final int TRIES = 3;
    /** No try starts later than this after the first. */
    public static final Duration BUDGET = Duration.ofMillis(2500);
    private static final Duration FIRST_PAUSE = Duration.ofMillis(150);

    private ReadRetry() {}

    public static <T> T read(Supplier<T> read) {
        long started = System.nanoTime();
        Duration pause = FIRST_PAUSE;
        for (int attempt = 1; ; attempt++) {
            try {
                return read.get();
            } catch (ConnectorException e) {
                Duration wait = e instanceof RateLimitedException limited && limited.retryAfter().compareTo(pause) > 0
                        ? limited.retryAfter() : pause;
                Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
                if (!e.retryable() || attempt >= TRIES || elapsed.plus(wait).compareTo(BUDGET) > 0) {
                    throw e;
                }
                sleep(wait);
                pause = pause.multipliedBy(2);
            }
        }
    }

    private static void sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientException("Interrupted while waiting to ask Creatio again");
        }
    }
}
