package com.helpdeskconnect.zendesk.sandbox.inspection;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts requests per endpoint and keeps the latest ones. Counts are unbounded; the kept requests
 * are capped so benchmarks do not fill the heap.
 */
public final class RequestJournal {
    static final int KEPT_REQUESTS = 10_000;

    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final Deque<RecordedRequest> kept = new ArrayDeque<>();

    public void record(RecordedRequest request) {
        counts.computeIfAbsent(request.endpoint(), e -> new AtomicInteger()).incrementAndGet();
        synchronized (kept) {
            if (kept.size() == KEPT_REQUESTS) {
                kept.removeFirst();
            }
            kept.addLast(request);
        }
    }

    /** {@code count("PUT", "/api/v2/tickets/{id}")}; 0 when never called. */
    public int count(String method, String pathTemplate) {
        AtomicInteger count = counts.get(method + " " + pathTemplate);
        return count == null ? 0 : count.get();
    }

    /** Every endpoint called so far with its count, sorted by endpoint. */
    public Map<String, Integer> counts() {
        Map<String, Integer> snapshot = new TreeMap<>();
        counts.forEach((endpoint, count) -> snapshot.put(endpoint, count.get()));
        return snapshot;
    }

    /** All requests counted, whatever the endpoint. */
    public int total() {
        return counts.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    public List<RecordedRequest> requests() {
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

    /**
     * {@code /api/v2/tickets/12.json} becomes {@code /api/v2/tickets/{id}}: the {@code .json} suffix
     * goes and numeric segments become {@code {id}}, so both spellings count as one endpoint.
     */
    public static String template(String path) {
        String bare = path.endsWith(".json") ? path.substring(0, path.length() - 5) : path;
        return bare.replaceAll("/\\d+(?=/|$)", "/{id}");
    }
}
