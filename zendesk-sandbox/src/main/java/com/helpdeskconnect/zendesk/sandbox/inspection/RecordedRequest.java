package com.helpdeskconnect.zendesk.sandbox.inspection;

import java.time.Instant;
import java.util.Map;

/**
 * One HTTP request as the sandbox received it. Secrets are redacted: the Authorization value and
 * {@code client_secret} never appear.
 *
 * @param endpoint method and path template, e.g. {@code PUT /api/v2/tickets/{id}}
 */
public record RecordedRequest(String method, String path, String query, String endpoint,
        Map<String, String> headers, String body, Instant receivedAt) {
}
