package com.helpdeskconnect.sandbox.inspection;

import java.time.Instant;
import java.util.Map;

/**
 * One HTTP request as the sandbox received it, like MockWebServer's {@code RecordedRequest}.
 * Secrets are redacted: the bearer token and {@code client_secret} never appear.
 *
 * @param endpoint method and path template, e.g. {@code PATCH /0/odata/Case({id})}
 */
public record RecordedRequest(String method, String path, String query, String endpoint,
        Map<String, String> headers, String body, Instant receivedAt) {
}
