package com.helpdeskconnect.sandbox.webhooks;

import java.time.Instant;

/**
 * One delivery attempt.
 *
 * @param status the receiver's HTTP status, or 0 when no answer came (see {@code error})
 */
public record WebhookDelivery(WebhookEvent event, int attempt, int status, String error, Instant at) {

    public boolean succeeded() {
        return status >= 200 && status < 300;
    }
}
