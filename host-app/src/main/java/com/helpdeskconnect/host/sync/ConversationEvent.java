package com.helpdeskconnect.host.sync;

import java.time.Instant;
import java.util.Map;

/**
 * One accepted conversation event, as stored in the outbox. Which fields are set depends on
 * {@link #type}: {@code text} and {@code customer} for messages, {@code summary}, {@code fields},
 * {@code ownerId}, {@code groupId} for handoff, {@code resolution} for resolved.
 */
public record ConversationEvent(
        String eventId,
        String conversationId,
        String integrationId,
        EventType type,
        Instant occurredAt,
        String text,
        Contact customer,
        String summary,
        Map<String, Object> fields,
        String ownerId,
        String groupId,
        String resolution) {

    public ConversationEvent {
        fields = fields == null ? Map.of() : Map.copyOf(fields);
    }

    /** The customer as the AI platform knows them. */
    public record Contact(String name, String email, String phone) {}

    /** What the transcript shows for this event. */
    public String transcriptText() {
        return switch (type) {
            case CUSTOMER_MESSAGE, AI_REPLY -> text;
            case HANDOFF -> summary;
            case RESOLVED -> resolution == null ? "" : resolution;
        };
    }
}
