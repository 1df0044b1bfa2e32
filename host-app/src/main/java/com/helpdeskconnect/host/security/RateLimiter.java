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

    /** Takes one token for {@code who}; when none is left, the whole seconds until one is (for Retry-After). */
    public OptionalLong acquire(String who) {
        if (perSecond <= 0) {
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
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return OptionalLong.empty();
            }
            return OptionalLong.of((long) Math.ceil((1 - bucket.tokens) / perSecond));
        }
    }
}
