package com.helpdeskconnect.api.webhook;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A call the helpdesk made to the integration's webhook URL, as the host received it.
 *
 * @param headers header name (case-insensitive) to values
 * @param query   query parameter to values
 * @param body       the raw body bytes, unparsed
 * @param receivedAt when the host received the call: replay windows are checked against it, not the
 *                   clock; since 2.0.0
 */
public record WebhookRequest(Map<String, List<String>> headers, Map<String, List<String>> query, byte[] body,
                             Instant receivedAt) {

    public WebhookRequest {
        receivedAt = receivedAt == null ? Instant.now() : receivedAt;
        TreeMap<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> h.put(k, List.copyOf(v)));
        headers = java.util.Collections.unmodifiableMap(h);
        query = Map.copyOf(query);
        body = body.clone();
    }

    /** A JSON POST with the given headers. */
    public static WebhookRequest json(Map<String, String> headers, String body) {
        TreeMap<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> h.put(k, List.of(v)));
        h.putIfAbsent("Content-Type", List.of("application/json"));
        return new WebhookRequest(h, Map.of(), body.getBytes(StandardCharsets.UTF_8), Instant.now());
    }

    /** The first value of a header, matched case-insensitively. */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** A copy of the body: the record stays immutable. */
    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The body decoded as UTF-8. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WebhookRequest r && headers.equals(r.headers) && query.equals(r.query)
                && Arrays.equals(body, r.body) && receivedAt.equals(r.receivedAt);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * headers.hashCode() + query.hashCode()) + Arrays.hashCode(body)) + receivedAt.hashCode();
    }

    /** Header values are left out: they carry the shared secret. */
    @Override
    public String toString() {
        return "WebhookRequest[headers=" + headers.keySet().stream().map(k -> k.toLowerCase(Locale.ROOT)).toList()
                + ", bodyBytes=" + body.length + "]";
    }
}
