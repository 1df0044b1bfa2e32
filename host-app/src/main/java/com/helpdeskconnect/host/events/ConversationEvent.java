package com.helpdeskconnect.host.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/**
 * One accepted conversation event, as stored in the outbox. Which fields are set depends on
 * {@link #type}: {@code text} and {@code customer} for messages, {@code summary}, {@code fields},
 * {@code ownerId}, {@code groupId} for handoff, {@code resolution} and {@code closureCode} for resolved.
 * A null {@code closureCode} is left out of the stored JSON, so events stored before it existed keep
 * their content hash.
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
        String resolution,
        @JsonInclude(JsonInclude.Include.NON_NULL) String closureCode) {

    public ConversationEvent {
        fields = fields == null ? Map.of() : Map.copyOf(fields);
    }

    /** An event without a closure code (every type but resolved, or the helpdesk's default). */
    public ConversationEvent(String eventId, String conversationId, String integrationId, EventType type, Instant occurredAt,
                             String text, Contact customer, String summary, Map<String, Object> fields, String ownerId,
                             String groupId, String resolution) {
        this(eventId, conversationId, integrationId, type, occurredAt, text, customer, summary, fields, ownerId, groupId,
                resolution, null);
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
