package com.helpdeskconnect.api.cases;

import java.time.Instant;
import java.util.Objects;

/**
 * One message to append to a case.
 *
 * @param externalId the platform's id of the message: the idempotency key of appendActivity
 * @param direction  who said it
 * @param author     display name of who said it; may be empty
 * @param text       the message, plain text
 * @param occurredAt when it was said; the helpdesk shows messages in this order
 */
public record Activity(String externalId, Direction direction, String author, String text, Instant occurredAt) {

    public Activity {
        Objects.requireNonNull(externalId, "externalId");
        if (externalId.isBlank()) {
            throw new IllegalArgumentException("externalId must not be blank");
        }
        Objects.requireNonNull(direction, "direction");
        author = author == null ? "" : author;
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(occurredAt, "occurredAt");
    }
}
