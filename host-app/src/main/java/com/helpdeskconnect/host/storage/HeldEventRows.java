package com.helpdeskconnect.host.storage;

import com.helpdeskconnect.host.events.ConversationEvent;
import com.helpdeskconnect.host.storage.EventIntake.PendingEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rows of the events one event-writer transaction accepts, held until just before its commit and
 * then written with one JDBC batch per table. On PostgreSQL a group commit of N events then costs N
 * lookups and four batched inserts, instead of five or six round trips per event. Lookups see the held
 * rows first, so a repeated id later in the same transaction finds the earlier one as before.
 *
 * <p>Only the event writer's thread uses it; {@link #clear} after every transaction, committed or not.
 */
final class HeldEventRows {
    /** What is known of an event id: the conversation it was accepted for and its content's hash. */
    record Seen(String conversationId, String contentHash) {}

    /** What one lookup found: the event id's earlier use (or null), and whether its conversation exists. */
    record Lookup(Seen seen, boolean conversationExists) {}

    private record Held(PendingEvent pending, boolean newConversation, Timestamp now) {}

    private final List<Held> rows = new ArrayList<>();
    private final Map<String, Seen> events = new HashMap<>();
    private final Set<String> conversations = new HashSet<>();

    /** The event id's earlier use and its conversation, held or committed: one query when not held. */
    Lookup lookup(Connection c, ConversationEvent event) throws SQLException {
        Seen held = events.get(key(event.integrationId(), event.eventId()));
        boolean conversationHeld = conversations.contains(key(event.integrationId(), event.conversationId()));
        if (held != null) {
            return new Lookup(held, true);
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT "
                + "(SELECT conversation_id FROM processed_events WHERE integration_id = ? AND event_id = ?), "
                + "(SELECT content_hash FROM processed_events WHERE integration_id = ? AND event_id = ?), "
                + "(SELECT COUNT(*) FROM conversations WHERE integration_id = ? AND conversation_id = ?)")) {
            ps.setString(1, event.integrationId());
            ps.setString(2, event.eventId());
            ps.setString(3, event.integrationId());
            ps.setString(4, event.eventId());
            ps.setString(5, event.integrationId());
            ps.setString(6, event.conversationId());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                String conversation = rs.getString(1);
                Seen seen = conversation == null ? null : new Seen(conversation, rs.getString(2));
                return new Lookup(seen, conversationHeld || rs.getLong(3) > 0);
            }
        }
    }

    /** Holds a new event's rows (and its conversation's, when {@code newConversation}) for {@link #write}. */
    void hold(PendingEvent pending, boolean newConversation, Timestamp now) {
        ConversationEvent event = pending.event();
        rows.add(new Held(pending, newConversation, now));
        events.put(key(event.integrationId(), event.eventId()), new Seen(event.conversationId(), pending.contentHash()));
        conversations.add(key(event.integrationId(), event.conversationId()));
    }

    /**
     * Writes the held rows in the order they were held, so transcript seqs and outbox ids follow the
     * events' order as when each was written at once.
     */
    void write(Connection c) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO processed_events (integration_id, event_id, conversation_id, source, received_at, content_hash) VALUES (?, ?, ?, 'api', ?, ?)")) {
            for (Held h : rows) {
                ConversationEvent event = h.pending().event();
                ps.setString(1, event.integrationId());
                ps.setString(2, event.eventId());
                ps.setString(3, event.conversationId());
                ps.setTimestamp(4, h.now());
                ps.setString(5, h.pending().contentHash());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        if (rows.stream().anyMatch(Held::newConversation)) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO conversations (conversation_id, integration_id, status, created_at, updated_at) VALUES (?, ?, 'open', ?, ?)")) {
                for (Held h : rows) {
                    if (h.newConversation()) {
                        ps.setString(1, h.pending().event().conversationId());
                        ps.setString(2, h.pending().event().integrationId());
                        ps.setTimestamp(3, h.now());
                        ps.setTimestamp(4, h.now());
                        ps.addBatch();
                    }
                }
                ps.executeBatch();
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO transcript (conversation_id, event_id, type, author, text, occurred_at, integration_id) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (Held h : rows) {
                ConversationEvent event = h.pending().event();
                ps.setString(1, event.conversationId());
                ps.setString(2, event.eventId());
                ps.setString(3, event.type().wire());
                ps.setString(4, event.customer() == null ? null : event.customer().name());
                ps.setString(5, event.transcriptText());
                ps.setTimestamp(6, Timestamp.from(event.occurredAt()));
                ps.setString(7, event.integrationId());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO outbox (conversation_id, integration_id, event_id, operation, payload, state, attempts, next_attempt_at, accepted_at) VALUES (?, ?, ?, ?, ?, 'PENDING', 0, ?, ?)")) {
            for (Held h : rows) {
                ConversationEvent event = h.pending().event();
                ps.setString(1, event.conversationId());
                ps.setString(2, event.integrationId());
                ps.setString(3, event.eventId());
                ps.setString(4, event.type().wire());
                ps.setString(5, h.pending().payload());
                ps.setTimestamp(6, h.now());
                ps.setTimestamp(7, h.now());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    void clear() {
        rows.clear();
        events.clear();
        conversations.clear();
    }

    private static String key(String integrationId, String id) {
        return integrationId + '\n' + id;
    }
}
