package com.helpdeskconnect.host.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.helpdeskconnect.api.cases.CaseRef;
import com.helpdeskconnect.host.events.ConversationEvent;
import com.helpdeskconnect.host.storage.queue.Claim;
import com.helpdeskconnect.host.storage.queue.QueueTable;
import com.helpdeskconnect.host.storage.queue.WorkQueue;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The outbox to the helpdesk: one row per accepted event (written by {@link EventIntake} with the
 * event), claimed through its {@link WorkQueue}, in order per conversation. A row's outcome is
 * recorded in one transaction with what it changed: which transcript entries reached the helpdesk,
 * the case it linked, steps skipped for a missing capability, and the conversation's status and last
 * error. Outcomes are group-committed ({@link GroupCommit}): the worker gets its answer after the commit.
 */
public final class OutboxStore implements AutoCloseable {
    /** Outcomes in one transaction at most. */
    private static final int MAX_BATCH = 128;

    private final Database db;
    private final ObjectMapper mapper;
    private final WorkQueue queue;
    private final GroupCommit writer;

    public OutboxStore(Database db, ObjectMapper mapper) {
        this.db = db;
        this.mapper = mapper;
        this.queue = new WorkQueue(db, QueueTable.OUTBOX);
        // workers finishing rows together share one commit (one H2 chunk write per batch, not per row)
        this.writer = new GroupCommit("outbox-writer", MAX_BATCH, db::inTransaction);
    }

    /** Commits the outcomes already recorded, then stops the outbox writer. */
    @Override
    public void close() {
        writer.close();
    }

    /** An operation an admin discarded. */
    public record DiscardedOperation(long id, String operation, String eventId, String lastError, Instant discardedAt) {}

    /** The outcome of {@link #discard}. */
    public enum Discarded { DISCARDED, NOT_PARKED, NOT_FOUND }

    /** An outbox row claimed by a worker: the queue's {@link Claim} and the event it carries. */
    public record OutboxRow(Claim claim, String eventId, String operation, ConversationEvent event) {
        public long id() {
            return claim.id();
        }

        public String integrationId() {
            return claim.integrationId();
        }

        public String conversationId() {
            return claim.conversationId();
        }

        public int attempts() {
            return claim.attempts();
        }

        /** The number of this call (the connector's {@code OperationContext.attempt}). */
        public int call() {
            return claim.call();
        }

        public Instant firstAttemptAt() {
            return claim.firstAttemptAt();
        }
    }

    /** A step not run because the connector lacks its capability, as the conversation shows it. */
    public record SkippedStep(long operationId, String eventId, String operation, String reason, Instant skippedAt) {}

    /**
     * What an attempt got the helpdesk to accept, recorded with whatever ends the attempt (done, retry
     * or park), in the same transaction.
     *
     * @param synced transcript entries the helpdesk accepted (event id to when)
     * @param linked the case the conversation is linked to from now on (a new or a follow-up case), or {@code null}
     */
    public record Progress(Map<String, Instant> synced, CaseRef linked) {
        public static final Progress NONE = new Progress(Map.of(), null);

        public Progress {
            synced = Map.copyOf(synced);
        }
    }

    /**
     * How a finished operation ends, recorded in one transaction.
     *
     * @param status   the conversation status to record, or {@code null} to keep it
     * @param note     a problem the operator should see without the operation failing, or {@code null}
     * @param progress what reached the helpdesk
     * @param skipped  steps skipped for a missing capability ({@code skippedAt} is set on write)
     * @param alsoDone later rows of the conversation finished by the same call (messages sent together)
     */
    public record Completion(String status, String note, Progress progress, List<SkippedStep> skipped,
                             List<Long> alsoDone) {
        public Completion {
            skipped = List.copyOf(skipped);
            alsoDone = List.copyOf(alsoDone);
        }
    }

    /** A not yet completed operation. */
    public record OperationRow(long id, String operation, String eventId, String state, int attempts,
                               Instant nextAttemptAt, String lastError) {}

    /** The queue the operations wait in. */
    public WorkQueue queue() {
        return queue;
    }

    /**
     * Claims up to {@code limit} runnable rows: due, unleased, and the oldest unfinished row of their
     * conversation (a parked row blocks the rows behind it, which keeps the order), skipping
     * conversations in {@code busyKeys} (see {@link Claim#key()}).
     */
    public List<OutboxRow> claim(int limit, Set<String> busyKeys) {
        return queue.claim(limit, busyKeys, COLUMNS, this::outboxRow);
    }

    private static final String COLUMNS = "o.event_id, o.operation, o.payload";

    private OutboxRow outboxRow(Claim claim, ResultSet rs, int i) throws SQLException {
        return new OutboxRow(claim, rs.getString(i), rs.getString(i + 1), read(rs.getString(i + 2)));
    }

    /**
     * The pending rows right behind {@code head} in its conversation that are messages too (customer or
     * AI), oldest first, up to {@code limit}: due together, they go to the helpdesk in one call. With
     * {@code thenHandoff}, a pending handoff right behind those messages comes last (it goes in the same
     * call). Safe to read while {@code head} is claimed: no one claims a row behind an unfinished one.
     */
    public List<OutboxRow> followingMessages(OutboxRow head, int limit, boolean thenHandoff) {
        return db.read(c -> {
            List<OutboxRow> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT o.id, o.attempts, o.calls, o.first_attempt_at, o.state, " + COLUMNS + " "
                    + "FROM outbox o WHERE o.integration_id = ? AND o.conversation_id = ? AND o.id > ? AND o.state IN ('PENDING', 'PARKED') ORDER BY o.id LIMIT ?")) {
                ps.setString(1, head.integrationId());
                ps.setString(2, head.conversationId());
                ps.setLong(3, head.id());
                ps.setInt(4, limit + 1);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String operation = rs.getString(7);
                        if (!rs.getString(5).equals("PENDING")) {
                            break;
                        }
                        boolean handoff = thenHandoff && operation.equals("handoff");
                        if (!handoff && (rows.size() == limit || !(operation.equals("customer_message") || operation.equals("ai_reply")))) {
                            break;
                        }
                        // sent in the head's call: that call is theirs too
                        Timestamp first = rs.getTimestamp(4);
                        Claim claim = new Claim(rs.getLong(1), head.integrationId(), head.conversationId(), rs.getInt(2),
                                rs.getInt(3) + 1, first == null ? head.firstAttemptAt() : first.toInstant());
                        rows.add(outboxRow(claim, rs, 6));
                        if (handoff) {
                            break;
                        }
                    }
                }
            }
            return rows;
        });
    }

    /** Marks an operation done and records the conversation's status and last error (the note, or none). */
    public void complete(OutboxRow row, String status, String note) {
        complete(row, new Completion(status, note, Progress.NONE, List.of(), List.of()));
    }

    /**
     * Marks an operation (and the rows finished with it) done, and records in the same transaction
     * which transcript entries reached the helpdesk, the skipped steps and the conversation's status
     * and last error: one commit per operation, not one per entry.
     */
    public void complete(OutboxRow row, Completion done) {
        Timestamp now = Timestamp.from(Instant.now());
        writer.submit(c -> {
            recordProgress(c, row, done.progress());
            queue.done(c, row.claim(), null);
            if (!done.alsoDone().isEmpty()) {
                // they were sent in this row's call: that call is theirs too
                try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET state = 'DONE', attempts = attempts + 1, calls = calls + 1, first_attempt_at = COALESCE(first_attempt_at, ?), completed_at = ?, last_error = NULL WHERE id = ? AND state = 'PENDING'")) {
                    for (long id : done.alsoDone()) {
                        ps.setTimestamp(1, now);
                        ps.setTimestamp(2, now);
                        ps.setLong(3, id);
                        ps.executeUpdate();
                    }
                }
            }
            if (!done.skipped().isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO skipped_steps (integration_id, conversation_id, operation_id, event_id, operation, reason, skipped_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                    for (SkippedStep step : done.skipped()) {
                        ps.setString(1, row.integrationId());
                        ps.setString(2, row.conversationId());
                        ps.setLong(3, step.operationId());
                        ps.setString(4, step.eventId());
                        ps.setString(5, step.operation());
                        ps.setString(6, step.reason().length() > 1000 ? step.reason().substring(0, 1000) : step.reason());
                        ps.setTimestamp(7, now);
                        ps.executeUpdate();
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE conversations SET last_error = ?, status = COALESCE(?, status), updated_at = ? WHERE integration_id = ? AND conversation_id = ?")) {
                ps.setString(1, WorkQueue.truncate(done.note()));
                ps.setString(2, done.status());
                ps.setTimestamp(3, now);
                ps.setString(4, row.integrationId());
                ps.setString(5, row.conversationId());
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Steps skipped for a missing capability, oldest first. */
    public List<SkippedStep> skippedSteps(String integrationId, String conversationId) {
        return db.read(c -> {
            List<SkippedStep> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT operation_id, event_id, operation, reason, skipped_at FROM skipped_steps WHERE integration_id = ? AND conversation_id = ? ORDER BY id")) {
                ps.setString(1, integrationId);
                ps.setString(2, conversationId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new SkippedStep(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getTimestamp(5).toInstant()));
                    }
                }
            }
            return rows;
        });
    }

    /**
     * Puts a rate-limited row back to wait until {@code until} without counting the attempt: waiting on
     * a helpdesk's rate limit never parks a row. {@code synced}: what the attempt already wrote to the helpdesk.
     */
    public void rateLimited(OutboxRow row, Instant until, String error, Progress progress) {
        failed(row, progress, error, c -> queue.retry(c, row.claim(), until, error, false));
    }

    public void retryLater(OutboxRow row, Instant at, String error) {
        retryLater(row, at, error, Progress.NONE);
    }

    /** A retry that keeps what the failed attempt already wrote to the helpdesk. */
    public void retryLater(OutboxRow row, Instant at, String error, Progress progress) {
        failed(row, progress, error, c -> queue.retry(c, row.claim(), at, error, true));
    }

    public void park(OutboxRow row, String error) {
        park(row, error, Progress.NONE);
    }

    public void park(OutboxRow row, String error, Progress progress) {
        failed(row, progress, error, c -> queue.park(c, row.claim(), error));
    }

    /** One transaction: what reached the helpdesk, the row's outcome, and the error on the conversation. */
    private void failed(OutboxRow row, Progress progress, String error, Database.SqlWork<Boolean> outcome) {
        Timestamp now = Timestamp.from(Instant.now());
        writer.submit(c -> {
            recordProgress(c, row, progress);
            outcome.run(c);
            setLastError(c, row.integrationId(), row.conversationId(), WorkQueue.truncate(error), now);
            return null;
        });
    }

    private static void setLastError(Connection c, String integrationId, String conversationId, String message, Timestamp now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE conversations SET last_error = ?, updated_at = ? WHERE integration_id = ? AND conversation_id = ?")) {
            ps.setString(1, message);
            ps.setTimestamp(2, now);
            ps.setString(3, integrationId);
            ps.setString(4, conversationId);
            ps.executeUpdate();
        }
    }

    /**
     * Gives up on one parked operation: it leaves the queue for good (the helpdesk never sees it) and
     * no longer holds back the conversation's later operations. Kept, with when, for the record.
     */
    public Discarded discard(String integrationId, String conversationId, long operationId) {
        return db.inTransaction(c -> {
            String state;
            try (PreparedStatement ps = c.prepareStatement("SELECT state FROM outbox WHERE id = ? AND integration_id = ? AND conversation_id = ?")) {
                ps.setLong(1, operationId);
                ps.setString(2, integrationId);
                ps.setString(3, conversationId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Discarded.NOT_FOUND;
                    }
                    state = rs.getString(1);
                }
            }
            if (!state.equals("PARKED")) {
                return Discarded.NOT_PARKED;
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET state = 'DISCARDED', completed_at = ? WHERE id = ? AND state = 'PARKED'")) {
                ps.setTimestamp(1, Timestamp.from(Instant.now()));
                ps.setLong(2, operationId);
                return ps.executeUpdate() == 1 ? Discarded.DISCARDED : Discarded.NOT_PARKED;
            }
        });
    }

    /** Operations an admin discarded, oldest first. */
    public List<DiscardedOperation> discardedOperations(String integrationId, String conversationId) {
        return db.read(c -> {
            List<DiscardedOperation> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, operation, event_id, last_error, completed_at FROM outbox WHERE integration_id = ? AND conversation_id = ? AND state = 'DISCARDED' ORDER BY id")) {
                ps.setString(1, integrationId);
                ps.setString(2, conversationId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new DiscardedOperation(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getTimestamp(5).toInstant()));
                    }
                }
            }
            return rows;
        });
    }

    /** Moves a conversation's parked rows back to pending with fresh attempts. */
    public int unpark(String integrationId, String conversationId) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET state = 'PENDING', attempts = 0, next_attempt_at = ? WHERE integration_id = ? AND conversation_id = ? AND state = 'PARKED'")) {
                ps.setTimestamp(1, Timestamp.from(Instant.now()));
                ps.setString(2, integrationId);
                ps.setString(3, conversationId);
                return ps.executeUpdate();
            }
        });
    }

    private static void recordProgress(Connection c, OutboxRow row, Progress progress) throws SQLException {
        setSynced(c, row.integrationId(), row.conversationId(), progress.synced());
        if (progress.linked() != null) {
            ConversationStore.linkCase(c, row.integrationId(), row.conversationId(), progress.linked());
        }
    }

    private static void setSynced(Connection c, String integrationId, String conversationId, Map<String, Instant> synced)
            throws SQLException {
        if (synced.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE transcript SET synced_at = ? WHERE integration_id = ? AND conversation_id = ? AND event_id = ? AND synced_at IS NULL")) {
            for (Map.Entry<String, Instant> e : synced.entrySet()) {
                ps.setTimestamp(1, Timestamp.from(e.getValue()));
                ps.setString(2, integrationId);
                ps.setString(3, conversationId);
                ps.setString(4, e.getKey());
                ps.executeUpdate();
            }
        }
    }

    /** Unfinished operations (pending and parked), oldest first. */
    public List<OperationRow> openOperations(String integrationId, String conversationId) {
        return db.read(c -> {
            List<OperationRow> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, operation, event_id, state, attempts, next_attempt_at, last_error FROM outbox WHERE integration_id = ? AND conversation_id = ? AND state IN ('PENDING', 'PARKED') ORDER BY id")) {
                ps.setString(1, integrationId);
                ps.setString(2, conversationId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new OperationRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5),
                                rs.getTimestamp(6).toInstant(), rs.getString(7)));
                    }
                }
            }
            return rows;
        });
    }

    /** The first customer message's payload: who the customer is when the case opens at handoff. */
    public Optional<ConversationEvent> firstCustomerMessage(String integrationId, String conversationId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT payload FROM outbox WHERE integration_id = ? AND conversation_id = ? AND operation = 'customer_message' ORDER BY id LIMIT 1")) {
                ps.setString(1, integrationId);
                ps.setString(2, conversationId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(read(rs.getString(1))) : Optional.empty();
                }
            }
        });
    }

    /** Count of rows by state, for metrics. */
    public long count(String state) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM outbox WHERE state = ?")) {
                ps.setString(1, state);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }


    private ConversationEvent read(String payload) {
        try {
            return mapper.readValue(payload, ConversationEvent.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored event is not readable", e);
        }
    }
}
