package com.helpdeskconnect.host.security;

import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per credential: {@code burst} requests at once, refilled at {@code perSecond}.
 * Hand-written (thirty lines) rather than bucket4j: one bucket kind, in memory, per process, and no
 * new dependency to keep converging. Buckets of idle credentials are dropped when the map grows.
 */
public final class RateLimiter {
    private static final int MAX_BUCKETS = 100_000;

    private final double perSecond;
    private final double burst;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** @param perSecond refill rate; 0 or less turns limiting off */
    public RateLimiter(double perSecond, int burst, LongSupplier nanoTime) {
        this.perSecond = perSecond;
        this.burst = Math.max(1, burst);
        this.nanoTime = nanoTime;
    }

    private final class Bucket {
        double tokens = burst;
        long updated = nanoTime.getAsLong();
    }

    /** The most tokens a credential's bucket holds. */
    public int burst() {
        return (int) burst;
    }

    /** Takes one token for {@code who}; when none is left, the whole seconds until one is (for Retry-After). */
    public OptionalLong acquire(String who) {
        return acquire(who, 1);
    }

    /**
     * Takes {@code permits} tokens for {@code who} at once (at most the burst: a request the full
     * bucket allows is never refused for good), or none; when too few are left, the whole seconds
     * until enough are.
     */
    public OptionalLong acquire(String who, int permits) {
        double needed = Math.min(Math.max(0, permits), burst);
        if (perSecond <= 0 || needed == 0) {
            return OptionalLong.empty();
        }
        if (buckets.size() >= MAX_BUCKETS) {
            buckets.clear(); // a fresh bucket is full: clearing can only be generous, never lock anyone out
        }
        Bucket bucket = buckets.computeIfAbsent(who, k -> new Bucket());
        synchronized (bucket) {
            long now = nanoTime.getAsLong();
            bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.updated) / 1e9 * perSecond);
            bucket.updated = now;
            if (bucket.tokens >= needed) {
                bucket.tokens -= needed;
                return OptionalLong.empty();
            }
            return OptionalLong.of((long) Math.ceil((needed - bucket.tokens) / perSecond));
        }
    }
}
