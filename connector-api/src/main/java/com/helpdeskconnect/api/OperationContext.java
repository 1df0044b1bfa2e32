package com.helpdeskconnect.api;

import java.time.Instant;
import java.util.Objects;

/**
 * Why and how often the host makes a call: passed to every operation that writes or reads on
 * behalf of a conversation or a webhook call.
 *
 * @param integrationId  the integration
 * @param conversationId the conversation the operation is for; {@code null} for webhook processing
 * @param eventId        the platform event (or, for webhook processing, the stored webhook call) that
 *                       caused the operation
 * @param idempotencyKey {@code integrationId:conversationId:eventId} (webhooks: {@code integrationId:webhook:id}):
 *                       the same on every attempt of one operation, different for any other
 * @param attempt        1 on the first call, 2 on the first retry, ...
 * @param firstAttemptAt when the first attempt started
 * @since 2.0.0
 */
public record OperationContext(
        String integrationId,
        String conversationId,
        String eventId,
        String idempotencyKey,
        int attempt,
        Instant firstAttemptAt) {

    public OperationContext {
        Objects.requireNonNull(integrationId, "integrationId");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be at least 1");
        }
        Objects.requireNonNull(firstAttemptAt, "firstAttemptAt");
    }

    /** The context of a conversation's operation; the key is built from the three ids. */
    public static OperationContext forEvent(String integrationId, String conversationId, String eventId,
                                            int attempt, Instant firstAttemptAt) {
        Objects.requireNonNull(conversationId, "conversationId");
        return new OperationContext(integrationId, conversationId, eventId,
                integrationId + ":" + conversationId + ":" + eventId, attempt, firstAttemptAt);
    }

    /** The context of processing one stored webhook call. */
    public static OperationContext forWebhook(String integrationId, String webhookId, int attempt, Instant firstAttemptAt) {
        return new OperationContext(integrationId, null, webhookId, integrationId + ":webhook:" + webhookId,
                attempt, firstAttemptAt);
    }

    /** This operation's next attempt. */
    public OperationContext retry() {
        return new OperationContext(integrationId, conversationId, eventId, idempotencyKey, attempt + 1, firstAttemptAt);
    }
}
