package com.helpdeskconnect.host.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.helpdeskconnect.host.storage.ConversationStore.ConversationRow;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What agents do in the helpdesk, applied to conversations: each helpdesk event's id (dedupe), its
 * transcript entry, the conversation's status and the callback to the customer channel (with its
 * payload) in one transaction.
 */
public final class HelpdeskChanges {
    private final ConversationStore conversations;
    private final ObjectMapper mapper;

    public HelpdeskChanges(ConversationStore conversations, ObjectMapper mapper) {
        this.conversations = conversations;
        this.mapper = mapper;
    }

    /** What an agent did in the helpdesk, as the webhook processor hands it over. */
    public enum HelpdeskChange {
        AGENT_REPLY("agent_reply", "agent_reply"),
        /** An agents-only note: kept in the transcript, never sent to the customer (no callback). */
        AGENT_NOTE("agent_note", null),
        CASE_RESOLVED("case_resolved", "conversation_resolved"),
        CASE_CLOSED("case_closed", "conversation_resolved"),
        CASE_REOPENED("case_reopened", "conversation_reopened");

        private final String transcriptType;
        private final String callbackEvent;

        HelpdeskChange(String transcriptType, String callbackEvent) {
            this.transcriptType = transcriptType;
            this.callbackEvent = callbackEvent;
        }

        public String transcriptType() {
            return transcriptType;
        }

        public String callbackEvent() {
            return callbackEvent;
        }
    }

    /** The outcome of {@link #applyHelpdeskChange}. */
    public enum Applied { APPLIED, DUPLICATE, NO_CONVERSATION, NO_CHANGE }

    /**
     * Applies one helpdesk event in one transaction: its id (dedup), the transcript entry, the
     * conversation status, and the callback to the customer channel when {@code callback} is set.
     * Resolved/closed only change an open conversation and reopened only a resolved one, so our
     * own resolve coming back (if the connector did not drop the echo) changes nothing.
     * {@link Applied#NO_CONVERSATION} writes nothing, not even the event id, so it can be retried.
     */
    public Applied applyHelpdeskChange(String integrationId, String eventId, String caseId, HelpdeskChange change,
                                       String author, String text, Instant occurredAt, boolean callback) {
        Timestamp now = Timestamp.from(Instant.now());
        try {
            return conversations.transcriptTransaction(c -> {
                if (EventIntake.eventConversation(c, integrationId, eventId).isPresent()) {
                    return Applied.DUPLICATE;
                }
                Optional<ConversationRow> found = ConversationStore.findByCase(c, integrationId, caseId);
                if (found.isEmpty()) {
                    // id not recorded: the case may be linked later (a webhook faster than linkCase, or a
                    // crash between creating the case and linking it), and the retry must then apply it
                    return Applied.NO_CONVERSATION;
                }
                ConversationRow row = found.get();
                EventIntake.insertProcessed(c, integrationId, eventId, row.conversationId(), "webhook", now);
                String newStatus = switch (change) {
                    case AGENT_REPLY, AGENT_NOTE -> null;
                    case CASE_RESOLVED, CASE_CLOSED -> "resolved".equals(row.status()) ? "" : "resolved";
                    case CASE_REOPENED -> "resolved".equals(row.status()) ? "open" : "";
                };
                if ("".equals(newStatus)) {
                    return Applied.NO_CHANGE;
                }
                if (newStatus != null) {
                    try (PreparedStatement ps = c.prepareStatement("UPDATE conversations SET status = ?, updated_at = ? WHERE integration_id = ? AND conversation_id = ?")) {
                        ps.setString(1, newStatus);
                        ps.setTimestamp(2, now);
                        ps.setString(3, integrationId);
                        ps.setString(4, row.conversationId());
                        ps.executeUpdate();
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO transcript (conversation_id, event_id, type, author, text, occurred_at, synced_at, integration_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, row.conversationId());
                    ps.setString(2, eventId);
                    ps.setString(3, change.transcriptType());
                    ps.setString(4, author);
                    ps.setString(5, text);
                    ps.setTimestamp(6, Timestamp.from(occurredAt));
                    ps.setTimestamp(7, now); // it came from the helpdesk: nothing to sync back
                    ps.setString(8, integrationId);
                    ps.executeUpdate();
                }
                if (callback && change.callbackEvent() != null) {
                    Map<String, Object> payload = new LinkedHashMap<>();
                    payload.put("event", change.callbackEvent());
                    payload.put("eventId", eventId);
                    payload.put("integrationId", integrationId);
                    payload.put("conversationId", row.conversationId());
                    payload.put("case", row.caseRef() == null ? null
                            : Map.of("id", row.caseRef().id(), "number", row.caseRef().number()));
                    payload.put("author", author);
                    payload.put("text", text);
                    payload.put("status", newStatus == null ? row.status() : newStatus);
                    payload.put("occurredAt", occurredAt.toString());
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO callback_outbox (integration_id, conversation_id, event_id, event_type, payload, state, attempts, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, 'PENDING', 0, ?, ?)")) {
                        ps.setString(1, integrationId);
                        ps.setString(2, row.conversationId());
                        ps.setString(3, eventId);
                        ps.setString(4, change.callbackEvent());
                        ps.setString(5, writeJson(payload));
                        ps.setTimestamp(6, now);
                        ps.setTimestamp(7, now);
                        ps.executeUpdate();
                    }
                }
                return Applied.APPLIED;
            });
        } catch (Database.StorageException e) {
            if (e.getCause() instanceof SQLException sql && Database.isDuplicateKey(sql)) {
                return Applied.DUPLICATE;
            }
            throw e;
        }
    }

    private String writeJson(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Value cannot be stored as JSON", e);
        }
    }

}
