package com.helpdeskconnect.host.storage.queue;

import com.helpdeskconnect.host.storage.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One durable work queue over one {@link QueueTable}: the outbox to the helpdesk, the webhook inbox
 * and the callback outbox all claim, lease and settle their rows here.
 *
 * <p>A claim takes due rows that no live lease holds and that are the oldest unfinished row of their
 * key (conversation or integration), so each key runs one row at a time and in order while different
 * keys run in parallel, on one host or several. On PostgreSQL the candidates are locked with
 * {@code FOR UPDATE SKIP LOCKED} until their leases commit, so two hosts never claim the same row.
 * Each claim counts a call. The outcome of a row (done, retry, park) is recorded only while this
 * process still holds its lease: a host that lost it leaves the row to the host that took it over.
 */
public final class WorkQueue {
    private static final Logger log = LoggerFactory.getLogger(WorkQueue.class);
    private static final int MAX_ERROR = 4000;

    private final Database db;
    private final QueueTable queue;
    private final String table;
    private final String runnable;
    private final String notPaused;

    public WorkQueue(Database db, QueueTable queue) {
        this.db = db;
        this.queue = queue;
        this.table = queue.table();
        this.runnable = "AND NOT EXISTS (SELECT 1 FROM " + table + " p WHERE p.integration_id = o.integration_id "
                + (queue.perConversation() ? "AND p.conversation_id = o.conversation_id " : "")
                + "AND p.id < o.id AND p.state IN (" + queue.blockingStates() + ")) ";
        this.notPaused = queue.pausedWithIntegration()
                ? "AND NOT EXISTS (SELECT 1 FROM integrations i WHERE i.id = o.integration_id AND i.rate_limited_until > ?) " : "";
    }

    public QueueTable table() {
        return queue;
    }

    /** Reads a claimed row's own columns (those named in {@code columns}, from index {@code first} on). */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(Claim claim, ResultSet rs, int first) throws SQLException;
    }

    /**
     * Claims up to {@code limit} runnable rows, oldest due first, skipping rows whose key is in
     * {@code busyKeys} (this process is still working on that key). {@code columns} are the table's
     * own columns to read with each row, prefixed {@code o.}.
     */
    public <T> List<T> claim(int limit, Set<String> busyKeys, String columns, RowMapper<T> mapper) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Timestamp at = Timestamp.from(now);
        // a first call's time must read the same on every later call: SQLite keeps milliseconds (H2 and
        // PostgreSQL microseconds); the comparisons keep the full time, so a row stored this millisecond is due
        Instant firstCall = now.truncatedTo(ChronoUnit.MILLIS);
        List<Claimed<T>> claimed = db.inTransaction(c -> {
            List<Claimed<T>> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT o.id, o.integration_id, "
                    + (queue.perConversation() ? "o.conversation_id" : "NULL") + ", o.attempts, o.calls, o.first_attempt_at"
                    + (columns.isEmpty() ? "" : ", " + columns) + " FROM " + table + " o "
                    + "WHERE o.state = 'PENDING' AND o.next_attempt_at <= ? AND (o.lease_until IS NULL OR o.lease_until < ?) "
                    + runnable + notPaused
                    // state first (always PENDING here, so the same order): H2 then reads the (state, next_attempt_at)
                    // index in order instead of sorting every pending row on every pass (BENCHMARKS.md, embedded store)
                    + "ORDER BY o.state, o.next_attempt_at, o.id LIMIT ?" + (db.shared() ? " FOR UPDATE OF o SKIP LOCKED" : ""))) {
                int i = 1;
                ps.setTimestamp(i++, at);
                ps.setTimestamp(i++, at);
                if (!notPaused.isEmpty()) {
                    ps.setTimestamp(i++, at);
                }
                ps.setInt(i, limit + busyKeys.size());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next() && rows.size() < limit) {
                        Timestamp first = rs.getTimestamp(6);
                        Claim claim = new Claim(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getInt(5) + 1,
                                first == null ? firstCall : first.toInstant());
                        if (!busyKeys.contains(claim.key())) {
                            rows.add(new Claimed<>(claim, mapper.map(claim, rs, 7)));
                        }
                    }
                }
            }
            if (rows.isEmpty()) {
                return List.of();
            }
            // all leases in one transaction: one commit per pass, not one per row; the call is counted
            // now, so a crash in the middle of it still makes the next call a higher attempt
            List<Claimed<T>> leased = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET lease_owner = ?, lease_until = ?, "
                    + "calls = calls + 1, first_attempt_at = ? WHERE id = ? AND state = 'PENDING' AND calls = ? "
                    + "AND (lease_until IS NULL OR lease_until < ?)")) {
                for (Claimed<T> row : rows) {
                    ps.setString(1, db.owner());
                    ps.setTimestamp(2, db.leases().until(now));
                    ps.setTimestamp(3, Timestamp.from(row.claim().firstAttemptAt()));
                    ps.setLong(4, row.claim().id());
                    ps.setInt(5, row.claim().call() - 1);
                    ps.setTimestamp(6, at);
                    if (ps.executeUpdate() == 1) {
                        leased.add(row);
                    }
                }
            }
            return leased;
        });
        List<T> items = new ArrayList<>(claimed.size());
        for (Claimed<T> row : claimed) {
            db.leases().hold(table, row.claim().id());
            items.add(row.item());
        }
        return items;
    }

    private record Claimed<T>(Claim claim, T item) {}

    /**
     * The next time, after now, at which a row becomes claimable (unleased, the oldest unfinished row
     * of its key, due when both its retry time and its integration's rate-limit pause have passed) or
     * a lease ends (a dead host's row to take over), if any. Rows behind a running or waiting row do
     * not count: a finished row wakes the worker, and one finished by another host is seen at the next poll.
     */
    public Optional<Instant> nextDue() {
        Timestamp now = Timestamp.from(Instant.now());
        String due = queue.pausedWithIntegration()
                ? "CASE WHEN i.rate_limited_until > o.next_attempt_at THEN i.rate_limited_until ELSE o.next_attempt_at END"
                : "o.next_attempt_at";
        String join = queue.pausedWithIntegration() ? " LEFT JOIN integrations i ON i.id = o.integration_id" : "";
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT MIN(t) FROM ("
                    + "SELECT MIN(" + due + ") AS t FROM " + table + " o" + join
                    + " WHERE o.state = 'PENDING' AND (o.lease_until IS NULL OR o.lease_until < ?) " + runnable + "AND " + due + " > ? "
                    + "UNION ALL SELECT MIN(lease_until) AS t FROM " + table + " WHERE state = 'PENDING' AND lease_until > ?) due")) {
                ps.setTimestamp(1, now);
                ps.setTimestamp(2, now);
                ps.setTimestamp(3, now);
                try (ResultSet rs = ps.executeQuery()) {
                    Timestamp t = rs.next() ? rs.getTimestamp(1) : null;
                    return Optional.ofNullable(t).map(Timestamp::toInstant);
                }
            }
        });
    }

    /** The row is finished; {@code note} stays as its last message (or none). In the caller's transaction. */
    public boolean done(Connection c, Claim row, String note) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET state = 'DONE', attempts = attempts + 1, "
                + queue.doneAt() + " = ?, last_error = ?, lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?")) {
            ps.setTimestamp(1, Timestamp.from(Instant.now()));
            ps.setString(2, truncate(note));
            ps.setLong(3, row.id());
            ps.setString(4, db.owner());
            return settled(row, ps.executeUpdate());
        }
    }

    /**
     * The row is tried again at {@code at}; {@code counted} false for a wait the helpdesk asked for
     * (a rate limit), which never brings a row closer to parking. In the caller's transaction.
     */
    public boolean retry(Connection c, Claim row, Instant at, String error, boolean counted) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET state = 'PENDING', attempts = attempts + ?, "
                + "next_attempt_at = ?, last_error = ?, lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?")) {
            ps.setInt(1, counted ? 1 : 0);
            ps.setTimestamp(2, Timestamp.from(at));
            ps.setString(3, truncate(error));
            ps.setLong(4, row.id());
            ps.setString(5, db.owner());
            return settled(row, ps.executeUpdate());
        }
    }

    /** The row waits for an operator with its reason. In the caller's transaction. */
    public boolean park(Connection c, Claim row, String reason) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET state = 'PARKED', attempts = attempts + 1, "
                + "next_attempt_at = ?, last_error = ?, lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?")) {
            ps.setTimestamp(1, Timestamp.from(Instant.now()));
            ps.setString(2, truncate(reason));
            ps.setLong(3, row.id());
            ps.setString(4, db.owner());
            return settled(row, ps.executeUpdate());
        }
    }

    /** {@link #done(Connection, Claim, String)} in its own transaction. */
    public void done(Claim row, String note) {
        db.inTransaction(c -> done(c, row, note));
    }

    /** {@link #retry(Connection, Claim, Instant, String, boolean)} in its own transaction. */
    public void retry(Claim row, Instant at, String error, boolean counted) {
        db.inTransaction(c -> retry(c, row, at, error, counted));
    }

    /** {@link #park(Connection, Claim, String)} in its own transaction. */
    public void park(Claim row, String reason) {
        db.inTransaction(c -> park(c, row, reason));
    }

    private boolean settled(Claim row, int updated) {
        db.leases().release(table, row.id());
        if (updated == 0) {
            log.warn("{} row {} was taken over by another host (lease ended); its outcome here is dropped", table, row.id());
        }
        return updated == 1;
    }

    /**
     * After a restart nobody holds a lease on the embedded database: it belongs to this process
     * alone. On a shared database the leases belong to the other hosts (or to a dead one, and end on their own).
     */
    public void releaseAbandonedLeases() {
        if (db.shared()) {
            return;
        }
        db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET lease_owner = NULL, lease_until = NULL "
                    + "WHERE state = 'PENDING' AND lease_owner IS NOT NULL")) {
                return ps.executeUpdate();
            }
        });
    }

    /** A row's or conversation's last error, cut to what its column holds (null stays null). */
    public static String truncate(String message) {
        return message == null || message.length() <= MAX_ERROR ? message : message.substring(0, MAX_ERROR);
    }
}
