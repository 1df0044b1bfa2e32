package com.helpdeskconnect.zendesk.sandbox.webhooks;

import java.time.Instant;

/**
 * One delivery attempt of an invocation. Retries keep the invocation id and are signed afresh
 * with their own timestamp.
 *
 * @param status the receiver's HTTP status, or 0 when no answer came (see {@code error})
 * @param retried whether another attempt follows
 */
public record WebhookAttempt(String invocationId, long ticketId, String body, int attempt, String timestamp,
        String signature, int status, String error, boolean retried, Instant at) {

    public boolean succeeded() {
        return status >= 200 && status < 300;
    }
}
