package com.helpdeskconnect.host.sync;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: attempt n waits base·2^(n-1), capped, then scaled by a random
 * factor in [0.5, 1) so that many conversations failing together do not retry in lock-step.
 */
public record Backoff(Duration base, Duration max) {

    public Duration delay(int attempt) {
        long baseMs = Math.max(1, base.toMillis());
        long exp = baseMs << Math.min(30, Math.max(0, attempt - 1));
        long capped = Math.min(max.toMillis(), exp < 0 ? Long.MAX_VALUE : exp);
        return Duration.ofMillis((long) (capped * (0.5 + ThreadLocalRandom.current().nextDouble() * 0.5)));
    }

    /** The helpdesk said when: wait that long, plus up to 10% so waiters spread out. */
    public Duration retryAfter(Duration requested) {
        long ms = Math.max(0, requested.toMillis());
        return Duration.ofMillis(ms + (long) (ms * 0.1 * ThreadLocalRandom.current().nextDouble()));
    }
}
