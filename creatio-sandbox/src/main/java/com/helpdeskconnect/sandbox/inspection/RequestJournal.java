package com.helpdeskconnect.sandbox.inspection;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Counts requests per endpoint and keeps the latest ones. Counts are unbounded; the kept requests
 * are capped so benchmarks do not fill the heap.
 */
public final class RequestJournal {
    static final int KEPT_REQUESTS = 10_000;

    private static final Pattern KEYED = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\(.*\\)(/.*)?");
    private static final String ODATA_ROOT = "/0/odata/";
    private static final String NET_CORE_ODATA_ROOT = "/odata/";

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

    /** {@code count("PATCH", "/0/odata/Case({id})")}; 0 when never called. */
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
     * {@code /0/odata/Case(ae5f…)} becomes {@code /0/odata/Case({id})} (and so under the .NET Core
     * root {@code /odata/}); other paths stay as they are.
     */
    public static String template(String decodedPath) {
        String root = decodedPath.startsWith(ODATA_ROOT) ? ODATA_ROOT
                : decodedPath.startsWith(NET_CORE_ODATA_ROOT) ? NET_CORE_ODATA_ROOT : null;
        if (root == null) {
            return decodedPath;
        }
        String resource = decodedPath.substring(root.length());
        var matcher = KEYED.matcher(resource);
        if (matcher.matches()) {
            return root + matcher.group(1) + "({id})" + (matcher.group(2) == null ? "" : matcher.group(2));
        }
        return decodedPath;
    }
}
