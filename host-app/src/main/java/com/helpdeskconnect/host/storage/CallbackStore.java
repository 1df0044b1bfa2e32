package com.helpdeskconnect.host.storage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

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

    /**
     * Claims due rows, oldest first, leased to this process until delivered or rescheduled; a
     * conversation's later rows wait while an older one is pending (order), whichever host has it.
     */
    public List<Row> due(int limit) {
        Instant now = Instant.now();
        List<Row> claimed = db.inTransaction(c -> {
            List<Row> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT o.id, o.integration_id, o.conversation_id, o.event_id, o.event_type, o.payload, o.attempts FROM callback_outbox o "
                    + "WHERE o.state = 'PENDING' AND o.next_attempt_at <= ? AND (o.lease_until IS NULL OR o.lease_until < ?) "
                    + "AND NOT EXISTS (SELECT 1 FROM callback_outbox p WHERE p.integration_id = o.integration_id AND p.conversation_id = o.conversation_id AND p.id < o.id AND p.state = 'PENDING') "
                    + "ORDER BY o.id LIMIT ?" + (db.shared() ? " FOR UPDATE OF o SKIP LOCKED" : ""))) {
                ps.setTimestamp(1, Timestamp.from(now));
                ps.setTimestamp(2, Timestamp.from(now));
                ps.setInt(3, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                                rs.getString(6), rs.getInt(7)));
                    }
                }
            }
            List<Row> leased = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("UPDATE callback_outbox SET lease_owner = ?, lease_until = ? WHERE id = ? AND state = 'PENDING' AND (lease_until IS NULL OR lease_until < ?)")) {
                for (Row row : rows) {
                    ps.setString(1, db.owner());
                    ps.setTimestamp(2, db.leases().until(now));
                    ps.setLong(3, row.id());
                    ps.setTimestamp(4, Timestamp.from(now));
                    if (ps.executeUpdate() == 1) {
                        leased.add(row);
                    }
                }
            }
            return leased;
        });
        claimed.forEach(row -> db.leases().hold("callback_outbox", row.id()));
        return claimed;
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

    /** Records a claimed row's outcome, while this process still holds its lease. */
    private void update(long id, String state, Instant next, String error) {
        String message = error == null || error.length() <= MAX_ERROR ? error : error.substring(0, MAX_ERROR);
        db.leases().release("callback_outbox", id);
        int updated = db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE callback_outbox SET state = ?, attempts = attempts + 1, next_attempt_at = ?, last_error = ?, delivered_at = ?, lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?")) {
                ps.setString(1, state);
                ps.setTimestamp(2, Timestamp.from(next));
                ps.setString(3, message);
                ps.setTimestamp(4, state.equals("DONE") ? Timestamp.from(Instant.now()) : null);
                ps.setLong(5, id);
                ps.setString(6, db.owner());
                return ps.executeUpdate();
            }
        });
        if (updated == 0) {
            LoggerFactory.getLogger(CallbackStore.class).warn(
                    "Callback {} was taken over by another host (lease ended); its outcome here is dropped", id);
        }
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
