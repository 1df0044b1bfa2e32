package com.helpdeskconnect.sandbox.support;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Counts requests per endpoint and keeps the latest ones. Counts are unbounded; the kept requests
 * are capped so benchmarks do not fill the heap. Each sandbox records its own request type and says
 * how to read the endpoint ({@code METHOD /path/template}) from it.
 *
 * @param <R> the sandbox's recorded request
 */
public class RequestJournal<R> {
    public static final int KEPT_REQUESTS = 10_000;

    private final Function<R, String> endpointOf;
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final Deque<R> kept = new ArrayDeque<>();

    public RequestJournal(Function<R, String> endpointOf) {
        this.endpointOf = Objects.requireNonNull(endpointOf, "endpointOf");
    }

    public void record(R request) {
        counts.computeIfAbsent(endpointOf.apply(request), e -> new AtomicInteger()).incrementAndGet();
        synchronized (kept) {
            if (kept.size() == KEPT_REQUESTS) {
                kept.removeFirst();
            }
            kept.addLast(request);
        }
    }

    /** How often {@code method pathTemplate} was called; 0 when never. */
    public int count(String method, String pathTemplate) {
        AtomicInteger count = counts.get(method + " " + pathTemplate);
        return count == null ? 0 : count.get();
    }

    /** All requests counted, whatever the endpoint. */
    public int total() {
        return counts.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** Every endpoint called so far with its count, sorted by endpoint. */
    public Map<String, Integer> counts() {
        Map<String, Integer> snapshot = new TreeMap<>();
        counts.forEach((endpoint, count) -> snapshot.put(endpoint, count.get()));
        return snapshot;
    }

    public List<R> requests() {
        synchronized (kept) {
            return List.copyOf(kept);
        }
    }

    public void clear() {
        counts.clear();
        synchronized (kept) {
            kept.clear();
        }
    }
}
