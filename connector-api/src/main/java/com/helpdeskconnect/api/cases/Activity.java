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
 * @param visibility who may see it on the case (since 2.0.0)
 */
public record Activity(String externalId, Direction direction, String author, String text, Instant occurredAt,
                       Visibility visibility) {

    public Activity {
        Objects.requireNonNull(externalId, "externalId");
        if (externalId.isBlank()) {
            throw new IllegalArgumentException("externalId must not be blank");
        }
        Objects.requireNonNull(direction, "direction");
        author = author == null ? "" : author;
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(occurredAt, "occurredAt");
        visibility = visibility == null ? defaultVisibility(direction) : visibility;
    }

    /** A message with the visibility its direction implies: {@link Direction#SYSTEM} notes are internal. */
    public Activity(String externalId, Direction direction, String author, String text, Instant occurredAt) {
        this(externalId, direction, author, text, occurredAt, null);
    }

    /** Customer, AI and agent messages are public; the platform's own notes internal. */
    public static Visibility defaultVisibility(Direction direction) {
        return direction == Direction.SYSTEM ? Visibility.INTERNAL : Visibility.PUBLIC;
    }
}
