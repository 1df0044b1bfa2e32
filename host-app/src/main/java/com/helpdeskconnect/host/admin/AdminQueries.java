package com.helpdeskconnect.host.admin;

import com.helpdeskconnect.host.storage.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The admin console's read-only views over the host's tables: the integration list, one
 * integration's health, and conversations found by id or case number. Reads only; every write
 * still goes through the stores and the sync worker.
 */
public final class AdminQueries {
    /** Rows a list in a health answer or a search holds at most. */
    public static final int MAX_ROWS = 50;

    private final Database db;

    public AdminQueries(Database db) {
        this.db = db;
    }

    /** A saved integration, without its settings. */
    public record IntegrationSummary(String id, String connectorId, Instant createdAt, Instant updatedAt) {}

    /** An operation that is waiting (retrying, paused) or parked. */
    public record OperationSummary(long operationId, String conversationId, String operation, String eventId, String state,
                                   int attempts, Instant nextAttemptAt, String error) {}

    /** A conversation whose last sync left a problem or a note. */
    public record ConversationError(String conversationId, String error, Instant at) {}

    /** One integration's sync health. */
    public record Health(Map<String, Long> conversationsByStatus, long pending, long parked, Instant lastSync,
                         List<OperationSummary> parkedOperations, List<OperationSummary> retrying,
                         List<OperationSummary> rateLimited, List<ConversationError> recentErrors,
                         Map<String, Long> webhooksByState, Instant lastWebhookAt, Map<String, Long> callbacksByState) {}

    /** A conversation as a search lists it. */
    public record ConversationSummary(String conversationId, String caseId, String caseNumber, String caseLink,
                                      String status, String lastError, Instant updatedAt, long pending, long parked) {}

    public List<IntegrationSummary> integrations() {
        return db.read(c -> {
            List<IntegrationSummary> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, connector_id, created_at, updated_at FROM integrations ORDER BY id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new IntegrationSummary(rs.getString(1), rs.getString(2), instant(rs.getTimestamp(3)),
                            instant(rs.getTimestamp(4))));
                }
            }
            return rows;
        });
    }

    /** Counts taken one statement at a time: on SQLite each sees the last commit at its own moment (a dashboard, not a ledger). */
    public Health health(String integrationId) {
        return db.read(c -> new Health(
                counts(c, "SELECT status, COUNT(*) FROM conversations WHERE integration_id = ? GROUP BY status", integrationId),
                count(c, "SELECT COUNT(*) FROM outbox WHERE integration_id = ? AND state = 'PENDING'", integrationId),
                count(c, "SELECT COUNT(*) FROM outbox WHERE integration_id = ? AND state = 'PARKED'", integrationId),
                latest(c, "SELECT MAX(completed_at) FROM outbox WHERE integration_id = ? AND state = 'DONE'", integrationId),
                operations(c, "state = 'PARKED'", integrationId),
                operations(c, "state = 'PENDING' AND last_error IS NOT NULL AND last_error NOT LIKE 'RATE_LIMITED%'", integrationId),
                // a RateLimitedException is recorded with its kind first (SyncWorker): the row waits for Retry-After
                operations(c, "state = 'PENDING' AND last_error LIKE 'RATE_LIMITED%'", integrationId),
                recentErrors(c, integrationId),
                counts(c, "SELECT state, COUNT(*) FROM webhook_inbox WHERE integration_id = ? GROUP BY state", integrationId),
                latest(c, "SELECT MAX(received_at) FROM webhook_inbox WHERE integration_id = ?", integrationId),
                counts(c, "SELECT state, COUNT(*) FROM callback_outbox WHERE integration_id = ? GROUP BY state", integrationId)));
    }

    /**
     * Conversations of an integration, newest change first: all of them when {@code query} is
     * blank, else those whose conversation id starts with it or whose case number or case id is it
     * (case-insensitively, as agents type case numbers).
     */
    public List<ConversationSummary> conversations(String integrationId, String query, int limit) {
        String q = query == null ? "" : query.strip();
        String sql = "SELECT c.conversation_id, c.case_id, c.case_number, c.case_link, c.status, c.last_error, c.updated_at, "
                + "(SELECT COUNT(*) FROM outbox o WHERE o.integration_id = c.integration_id AND o.conversation_id = c.conversation_id AND o.state = 'PENDING'), "
                + "(SELECT COUNT(*) FROM outbox o WHERE o.integration_id = c.integration_id AND o.conversation_id = c.conversation_id AND o.state = 'PARKED') "
                + "FROM conversations c WHERE c.integration_id = ?"
                + (q.isEmpty() ? "" : " AND (c.conversation_id LIKE ? ESCAPE '!' OR LOWER(c.case_number) = ? OR LOWER(c.case_id) = ?)")
                + " ORDER BY c.updated_at DESC, c.conversation_id LIMIT ?";
        return db.read(c -> {
            List<ConversationSummary> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                ps.setString(i++, integrationId);
                if (!q.isEmpty()) {
                    ps.setString(i++, likePrefix(q));
                    ps.setString(i++, q.toLowerCase(Locale.ROOT));
                    ps.setString(i++, q.toLowerCase(Locale.ROOT));
                }
                ps.setInt(i, Math.min(Math.max(limit, 1), MAX_ROWS));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new ConversationSummary(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getString(5), rs.getString(6), instant(rs.getTimestamp(7)), rs.getLong(8), rs.getLong(9)));
                    }
                }
            }
            return rows;
        });
    }

    static String likePrefix(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
    }

    private static List<OperationSummary> operations(Connection c, String where, String integrationId) throws SQLException {
        List<OperationSummary> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, conversation_id, operation, event_id, state, attempts, next_attempt_at, last_error "
                + "FROM outbox WHERE integration_id = ? AND " + where + " ORDER BY id LIMIT " + MAX_ROWS)) {
            ps.setString(1, integrationId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new OperationSummary(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getInt(6), instant(rs.getTimestamp(7)), rs.getString(8)));
                }
            }
        }
        return rows;
    }

    private static List<ConversationError> recentErrors(Connection c, String integrationId) throws SQLException {
        List<ConversationError> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT conversation_id, last_error, updated_at FROM conversations "
                + "WHERE integration_id = ? AND last_error IS NOT NULL ORDER BY updated_at DESC LIMIT 10")) {
            ps.setString(1, integrationId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new ConversationError(rs.getString(1), rs.getString(2), instant(rs.getTimestamp(3))));
                }
            }
        }
        return rows;
    }

    private static Map<String, Long> counts(Connection c, String sql, String integrationId) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, integrationId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return counts;
    }

    private static long count(Connection c, String sql, String integrationId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, integrationId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    private static Instant latest(Connection c, String sql, String integrationId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, integrationId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? instant(rs.getTimestamp(1)) : null;
            }
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
