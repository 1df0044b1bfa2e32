package com.helpdeskconnect.host.storage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The callback outbox: POSTs to integrations' callback URLs (rows are written by
 * {@link ConversationStore#applyHelpdeskChange} in the same transaction as the transcript entry).
 */
public final class CallbackStore {
    private static final int MAX_ERROR = 4000;

    private final Database db;

    public CallbackStore(Database db) {
        this.db = db;
    }

    /** One callback to send. */
    public record Row(long id, String integrationId, String conversationId, String eventId, String eventType,
                      String payload, int attempts) {}

    /** A callback's state, for the conversation view. */
    public record Status(String eventId, String event, String state, int attempts, String error, Instant deliveredAt) {}

    /** Due rows, oldest first; a conversation's later rows wait while an older one is pending (order). */
    public List<Row> due(int limit) {
        return db.query(c -> {
            List<Row> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT o.id, o.integration_id, o.conversation_id, o.event_id, o.event_type, o.payload, o.attempts FROM callback_outbox o "
                    + "WHERE o.state = 'PENDING' AND o.next_attempt_at <= ? "
                    + "AND NOT EXISTS (SELECT 1 FROM callback_outbox p WHERE p.integration_id = o.integration_id AND p.conversation_id = o.conversation_id AND p.id < o.id AND p.state = 'PENDING') "
                    + "ORDER BY o.id LIMIT ?")) {
                ps.setTimestamp(1, Timestamp.from(Instant.now()));
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                                rs.getString(6), rs.getInt(7)));
                    }
                }
            }
            return rows;
        });
    }

    public void delivered(long id) {
        update(id, "DONE", Instant.now(), null);
    }

    public void retryLater(long id, Instant at, String error) {
        update(id, "PENDING", at, error);
    }

    public void park(long id, String error) {
        update(id, "PARKED", Instant.now(), error);
    }

    private void update(long id, String state, Instant next, String error) {
        String message = error == null || error.length() <= MAX_ERROR ? error : error.substring(0, MAX_ERROR);
        db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE callback_outbox SET state = ?, attempts = attempts + 1, next_attempt_at = ?, last_error = ?, delivered_at = ? WHERE id = ?")) {
                ps.setString(1, state);
                ps.setTimestamp(2, Timestamp.from(next));
                ps.setString(3, message);
                ps.setTimestamp(4, state.equals("DONE") ? Timestamp.from(Instant.now()) : null);
                ps.setLong(5, id);
                return ps.executeUpdate();
            }
        });
    }

    /** Every callback of a conversation, oldest first. */
    public List<Status> forConversation(String integrationId, String conversationId) {
        return db.query(c -> {
            List<Status> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT event_id, event_type, state, attempts, last_error, delivered_at FROM callback_outbox WHERE integration_id = ? AND conversation_id = ? ORDER BY id")) {
                ps.setString(1, integrationId);
                ps.setString(2, conversationId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Timestamp delivered = rs.getTimestamp(6);
                        rows.add(new Status(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getString(5),
                                delivered == null ? null : delivered.toInstant()));
                    }
                }
            }
            return rows;
        });
    }
}
