package com.helpdeskconnect.host.storage;

import com.helpdeskconnect.host.storage.queue.Claim;
import com.helpdeskconnect.host.storage.queue.QueueTable;
import com.helpdeskconnect.host.storage.queue.WorkQueue;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The callback outbox: POSTs to integrations' callback URLs (rows are written by
 * {@link ConversationStore#applyHelpdeskChange} in the same transaction as the transcript entry),
 * queued in a {@link WorkQueue}.
 */
public final class CallbackStore {
    private final Database db;
    private final WorkQueue queue;

    public CallbackStore(Database db) {
        this.db = db;
        this.queue = new WorkQueue(db, QueueTable.CALLBACK_OUTBOX);
    }

    /** One callback to send, claimed. */
    public record Row(Claim claim, String eventId, String eventType, String payload) {
        public String integrationId() {
            return claim.integrationId();
        }
    }

    /** A callback's state, for the conversation view. */
    public record Status(String eventId, String event, String state, int attempts, String error, Instant deliveredAt) {}

    /** The queue the callbacks wait in. */
    public WorkQueue queue() {
        return queue;
    }

    /**
     * Claims due rows, oldest first, leased to this process until delivered or rescheduled; a
     * conversation's later rows wait while an older one is pending (order), whichever host has it.
     */
    public List<Row> due(int limit, Set<String> busyKeys) {
        return queue.claim(limit, busyKeys, "o.event_id, o.event_type, o.payload",
                (claim, rs, i) -> new Row(claim, rs.getString(i), rs.getString(i + 1), rs.getString(i + 2)));
    }

    /** Every callback of a conversation, oldest first. */
    public List<Status> forConversation(String integrationId, String conversationId) {
        return db.read(c -> {
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
