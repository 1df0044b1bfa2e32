package com.helpdeskconnect.host.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.helpdeskconnect.api.cases.CaseRef;
import com.helpdeskconnect.host.sync.ConversationEvent;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Conversations, their transcript, the processed event ids and the outbox. Accepting an event
 * writes all four in one transaction, so an event is either fully accepted or not at all.
 */
public final class ConversationStore implements AutoCloseable {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ConversationStore.class);
    private static final int MAX_ERROR = 4000;

    private final Database db;
    private final ObjectMapper mapper;
    private final EventWriter writer;
    /**
     * Held by every transaction that inserts transcript rows, from the first insert to the commit.
     * {@code seq} is an identity value drawn at insert; with two writers (the event writer's batches,
     * the webhook thread) a later seq could otherwise commit before an earlier one, and a stream
     * that asks "entries after the last seq I sent" (live or via Last-Event-ID) would skip the
     * earlier one for good. Serialised, entries become visible strictly in seq order, so the
     * highest seq sent is an exact resume point. Cheap: the event writer is one thread already and
     * the webhook processor another; they only wait for each other's commit.
     */
    private final ReentrantLock transcriptWrites = new ReentrantLock();
    /**
     * The same order across host processes on a shared database: an advisory lock of this key is
     * held from the transaction's first statement to its commit (see {@link Database#lockUntilCommit}).
     */
    private static final long TRANSCRIPT_LOCK = 0x48434f4e4e454354L; // "HCONNECT"
    private final ObjectMapper canonical;

    public ConversationStore(Database db, ObjectMapper mapper) {
        this.db = db;
        this.mapper = mapper;
        this.canonical = mapper.copy().enable(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
        this.writer = new EventWriter(this);
    }

    /** The database, for read-only views elsewhere (the admin console's queries). */
    public Database database() {
        return db;
    }

    /** An operation an admin discarded. */
    public record DiscardedOperation(long id, String operation, String eventId, String lastError, Instant discardedAt) {}

    /** The outcome of {@link #discard}. */
    public enum Discarded { DISCARDED, NOT_PARKED, NOT_FOUND }

    /** The outcome of {@link #accept}. */
    public enum Accepted { NEW, DUPLICATE }

    /** Thrown when an event names a conversation that belongs to another integration, or reuses an id. */
    public static final class ConflictingEventException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ConflictingEventException(String message) {
            super(message);
        }
    }

    /**
     * An outbox row claimed by a worker.
     *
     * @param attempts       failed attempts that count towards parking it
     * @param call           the number of this call: 1 for the first, higher for every later one (after a
     *                       failure, a rate limit or a crash): the connector's {@code OperationContext.attempt}
     * @param firstAttemptAt when the first call started
     */
    public record OutboxRow(long id, String conversationId, String integrationId, String eventId,
                            String operation, ConversationEvent event, int attempts, int call, Instant firstAttemptAt) {}

    /** A step not run because the connector lacks its capability, as the conversation shows it. */
    public record SkippedStep(long operationId, String eventId, String operation, String reason, Instant skippedAt) {}

    /**
     * How a finished operation ends, recorded in one transaction.
     *
     * @param status   the conversation status to record, or {@code null} to keep it
     * @param note     a problem the operator should see without the operation failing, or {@code null}
     * @param synced   transcript entries the helpdesk accepted (event id to when)
     * @param skipped  steps skipped for a missing capability ({@code skippedAt} is set on write)
     * @param alsoDone later rows of the conversation finished by the same call (messages sent together)
     */
    public record Completion(String status, String note, Map<String, Instant> synced, List<SkippedStep> skipped,
                             List<Long> alsoDone) {
        public Completion {
            synced = Map.copyOf(synced);
            skipped = List.copyOf(skipped);
            alsoDone = List.copyOf(alsoDone);
        }
    }

    /** The conversation's link to its helpdesk case and its sync status. */
    public record ConversationRow(String conversationId, String integrationId, CaseRef caseRef,
                                  String status, String lastError) {}

    /** A transcript entry. */
    public record TranscriptEntry(long seq, String eventId, String type, String author, String text,
                                  Instant occurredAt, Instant syncedAt) {}

    /** A not yet completed operation. */
    public record OperationRow(long id, String operation, String eventId, String state, int attempts,
                               Instant nextAttemptAt, String lastError) {}

    /**
     * Stores a new event (transcript + outbox), or recognises its id as already accepted. Returns
     * only after the commit: the caller may answer 202. Concurrent callers share one commit (see
     * {@link EventWriter}), because with {@code WRITE_DELAY=0} every H2 commit writes a chunk
     * under the store's single lock.
     */
    public Accepted accept(ConversationEvent event) {
        return writer.submit(new PendingEvent(event, write(event), contentHash(event)));
    }

    /**
     * An event on its way into the database, with its JSON already written by the request thread,
     * and the hash of its content that tells a repeated delivery from a reused id.
     */
    record PendingEvent(ConversationEvent event, String payload, String contentHash) {}

    /**
     * Writes one event inside the caller's transaction. All checks run before the first insert, so
     * a conflict leaves the transaction (and the rest of a batch) untouched. The writer thread is
     * the only inserter of API events, so a repeated id later in the same batch sees the earlier one.
     */
    static Accepted insertEvent(Connection c, PendingEvent pending, Timestamp now) throws SQLException {
        ConversationEvent event = pending.event();
        Optional<Seen> seen = seenEvent(c, event.integrationId(), event.eventId());
        if (seen.isPresent()) {
            if (!seen.get().conversationId().equals(event.conversationId())) {
                throw new ConflictingEventException("Event id '" + event.eventId()
                        + "' was already used in another conversation");
            }
            // rows from before hashes were kept have none: those repeats stay duplicates
            if (seen.get().contentHash() != null && pending.contentHash() != null
                    && !seen.get().contentHash().equals(pending.contentHash())) {
                throw new ConflictingEventException("Event id '" + event.eventId()
                        + "' was already accepted with other content; a new event needs a new id");
            }
            return Accepted.DUPLICATE;
        }
        boolean known = checkConversation(c, event);
        insertProcessed(c, event.integrationId(), event.eventId(), event.conversationId(), "api", now, pending.contentHash());
        if (!known) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO conversations (conversation_id, integration_id, status, created_at, updated_at) VALUES (?, ?, 'open', ?, ?)")) {
                ps.setString(1, event.conversationId());
                ps.setString(2, event.integrationId());
                ps.setTimestamp(3, now);
                ps.setTimestamp(4, now);
                ps.executeUpdate();
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO transcript (conversation_id, event_id, type, author, text, occurred_at, integration_id) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, event.conversationId());
            ps.setString(2, event.eventId());
            ps.setString(3, event.type().wire());
            ps.setString(4, event.customer() == null ? null : event.customer().name());
            ps.setString(5, event.transcriptText());
            ps.setTimestamp(6, Timestamp.from(event.occurredAt()));
            ps.setString(7, event.integrationId());
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO outbox (conversation_id, integration_id, event_id, operation, payload, state, attempts, next_attempt_at, accepted_at) VALUES (?, ?, ?, ?, ?, 'PENDING', 0, ?, ?)")) {
            ps.setString(1, event.conversationId());
            ps.setString(2, event.integrationId());
            ps.setString(3, event.eventId());
            ps.setString(4, event.type().wire());
            ps.setString(5, pending.payload());
            ps.setTimestamp(6, now);
            ps.setTimestamp(7, now);
            ps.executeUpdate();
        }
        return Accepted.NEW;
    }

    /** One event in its own transaction: the writer's fallback when a batch fails as a whole. */
    Accepted acceptAlone(PendingEvent pending) {
        Timestamp now = Timestamp.from(Instant.now());
        try {
            return transcriptTransaction(c -> insertEvent(c, pending, now));
        } catch (Database.StorageException e) {
            // a webhook event id collided with this one between check and insert
            if (e.getCause() instanceof SQLException sql && Database.isDuplicateKey(sql)) {
                return Accepted.DUPLICATE;
            }
            throw e;
        }
    }

    /** A transaction that may insert transcript rows: see {@link #transcriptWrites}. */
    <T> T transcriptTransaction(Database.SqlWork<T> work) {
        transcriptWrites.lock();
        try {
            return db.inTransaction(c -> {
                db.lockUntilCommit(c, TRANSCRIPT_LOCK);
                return work.run(c);
            });
        } finally {
            transcriptWrites.unlock();
        }
    }

    /** Stops the event writer after it has committed what was already submitted. */
    @Override
    public void close() {
        writer.close();
    }

    private record Seen(String conversationId, String contentHash) {}

    private static Optional<Seen> seenEvent(Connection c, String integrationId, String eventId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT conversation_id, content_hash FROM processed_events WHERE integration_id = ? AND event_id = ?")) {
            ps.setString(1, integrationId);
            ps.setString(2, eventId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Seen(rs.getString(1), rs.getString(2))) : Optional.empty();
            }
        }
    }

    private static Optional<String> eventConversation(Connection c, String integrationId, String eventId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT conversation_id FROM processed_events WHERE integration_id = ? AND event_id = ?")) {
            ps.setString(1, integrationId);
            ps.setString(2, eventId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    private static void insertProcessed(Connection c, String integrationId, String eventId, String conversationId, String source,
                                        Timestamp now) throws SQLException {
        insertProcessed(c, integrationId, eventId, conversationId, source, now, null);
    }

    private static void insertProcessed(Connection c, String integrationId, String eventId, String conversationId, String source,
                                        Timestamp now, String contentHash) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO processed_events (integration_id, event_id, conversation_id, source, received_at, content_hash) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, integrationId);
            ps.setString(2, eventId);
            ps.setString(3, conversationId);
            ps.setString(4, source);
            ps.setTimestamp(5, now);
            ps.setString(6, contentHash);
            ps.executeUpdate();
        }
    }

    /** Whether the integration has this conversation already (ids are unique per integration only). */
    private static boolean checkConversation(Connection c, ConversationEvent event) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM conversations WHERE integration_id = ? AND conversation_id = ?")) {
            ps.setString(1, event.integrationId());
            ps.setString(2, event.conversationId());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Records a webhook event id; false if it was seen before. */
    public boolean markWebhookEvent(String eventId, String integrationId) {
        try {
            return db.inTransaction(c -> {
                if (eventConversation(c, integrationId, eventId).isPresent()) {
                    return false;
                }
                insertProcessed(c, integrationId, eventId, "webhook:" + integrationId, "webhook", Timestamp.from(Instant.now()));
                return true;
            });
        } catch (Database.StorageException e) {
            if (e.getCause() instanceof SQLException sql && Database.isDuplicateKey(sql)) {
                return false;
            }
            throw e;
        }
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
            return transcriptTransaction(c -> {
                if (eventConversation(c, integrationId, eventId).isPresent()) {
                    return Applied.DUPLICATE;
                }
                Optional<ConversationRow> found = findByCase(c, integrationId, caseId);
                if (found.isEmpty()) {
                    // id not recorded: the case may be linked later (a webhook faster than linkCase, or a
                    // crash between creating the case and linking it), and the retry must then apply it
                    return Applied.NO_CONVERSATION;
                }
                ConversationRow row = found.get();
                insertProcessed(c, integrationId, eventId, row.conversationId(), "webhook", now);
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

    /** The conversation linked to a helpdesk case of an integration. */
    public Optional<ConversationRow> conversationByCase(String integrationId, String caseId) {
        return db.query(c -> findByCase(c, integrationId, caseId));
    }

    private static Optional<ConversationRow> findByCase(Connection c, String integrationId, String caseId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT conversation_id, case_number, case_link, status, last_error FROM conversations WHERE integration_id = ? AND LOWER(case_id) = LOWER(?)")) {
            ps.setString(1, integrationId);
            ps.setString(2, caseId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                CaseRef ref = new CaseRef(caseId, rs.getString(2), rs.getString(3) == null ? null : URI.create(rs.getString(3)));
                return Optional.of(new ConversationRow(rs.getString(1), integrationId, ref, rs.getString(4), rs.getString(5)));
            }
        }
    }

    /** Transcript entries after {@code seq}, oldest first: what a live stream has not sent yet. */
    public List<TranscriptEntry> transcriptAfter(String integrationId, String conversationId, long seq) {
        return db.query(c -> {
            List<TranscriptEntry> entries = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT seq, event_id, type, author, text, occurred_at, synced_at FROM transcript WHERE integration_id = ? AND conversation_id = ? AND seq > ? ORDER BY seq")) {
                ps.setString(1, integrationId);
                ps.setString(2, conversationId);
                ps.setLong(3, seq);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Timestamp synced = rs.getTimestamp(7);
                        entries.add(new TranscriptEntry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getString(5), rs.getTimestamp(6).toInstant(), synced == null ? null : synced.toInstant()));
                    }
                }
            }
            return entries;
        });
    }

    /** A conversation with transcript entries after some seq, and the highest such seq. */
    public record Changed(String integrationId, String conversationId, long maxSeq) {}

    /**
     * Conversations with transcript entries after {@code seq}: how a host sees entries that another
     * host on the same database wrote (exact for the same reason as {@link #transcriptAfter}).
     */
    public List<Changed> changedSince(long seq) {
        return db.query(c -> {
            List<Changed> changed = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT integration_id, conversation_id, MAX(seq) FROM transcript WHERE seq > ? GROUP BY integration_id, conversation_id")) {
                ps.setLong(1, seq);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        changed.add(new Changed(rs.getString(1), rs.getString(2), rs.getLong(3)));
                    }
                }
            }
            return changed;
        });
    }

    /** The highest transcript seq committed so far (0 when empty). */
    public long lastSeq() {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(seq), 0) FROM transcript");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** Whether other host processes share this store (their changes are seen by polling). */
    public boolean shared() {
        return db.shared();
    }

    private String writeJson(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Value cannot be stored as JSON", e);
        }
    }

    /**
     * After a restart nobody holds a lease: the embedded database belongs to this process alone. On a
     * shared database the leases belong to the other hosts (or to a dead one, and end on their own).
     */
    public void releaseAllLeases() {
        if (db.shared()) {
            return;
        }
        for (String table : Leases.TABLES) {
            db.query(c -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET lease_owner = NULL, lease_until = NULL WHERE state = 'PENDING' AND lease_owner IS NOT NULL")) {
                    return ps.executeUpdate();
                }
            });
        }
    }

    /** The name this process's claims carry. */
    public String leaseOwner() {
        return db.owner();
    }

    /** How long a claim holds a row without renewal (renewed while the operation runs). */
    public Duration lease() {
        return db.leases().duration();
    }

    /**
     * Claims up to {@code limit} runnable rows: due, unleased, and the oldest unfinished row of their
     * conversation (a parked row blocks the rows behind it, which keeps the order).
     */
    public List<OutboxRow> claim(String owner, Duration lease, int limit, Set<String> busyConversations) {
        Instant now = Instant.now();
        // one transaction: on PostgreSQL the candidates stay locked until their leases commit, and rows
        // another host is claiming right now are skipped instead of waited for (its commit leases them)
        List<OutboxRow> leased = db.inTransaction(c -> {
            List<OutboxRow> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT o.id, o.conversation_id, o.integration_id, o.event_id, o.operation, o.payload, o.attempts, o.calls, o.first_attempt_at FROM outbox o "
                    + "WHERE o.state = 'PENDING' AND o.next_attempt_at <= ? AND (o.lease_until IS NULL OR o.lease_until < ?) "
                    + RUNNABLE
                    + "AND NOT EXISTS (SELECT 1 FROM integrations i WHERE i.id = o.integration_id AND i.rate_limited_until > ?) "
                    + "ORDER BY o.next_attempt_at, o.id LIMIT ?" + (db.shared() ? " FOR UPDATE OF o SKIP LOCKED" : ""))) {
                ps.setTimestamp(1, Timestamp.from(now));
                ps.setTimestamp(2, Timestamp.from(now));
                ps.setTimestamp(3, Timestamp.from(now));
                ps.setInt(4, limit + busyConversations.size());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (busyConversations.contains(rs.getString(2))) {
                            continue;
                        }
                        rows.add(outboxRow(rs));
                    }
                }
            }
            if (rows.isEmpty()) {
                return List.of();
            }
            List<OutboxRow> wanted = rows.size() > limit ? rows.subList(0, limit) : rows;
            // all leases in one transaction: one H2 commit per dispatcher pass instead of one per row
            List<OutboxRow> claimed = new ArrayList<>();
            // each claim is a call: counted now, so a crash mid-call still makes the next one a higher attempt
            try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET lease_owner = ?, lease_until = ?, calls = calls + 1, first_attempt_at = ? WHERE id = ? AND state = 'PENDING' AND calls = ? AND (lease_until IS NULL OR lease_until < ?)")) {
                for (OutboxRow row : wanted) {
                    Instant first = row.firstAttemptAt() == null ? now : row.firstAttemptAt();
                    ps.setString(1, owner);
                    ps.setTimestamp(2, Timestamp.from(now.plus(lease)));
                    ps.setTimestamp(3, Timestamp.from(first));
                    ps.setLong(4, row.id());
                    ps.setInt(5, row.call() - 1);
                    ps.setTimestamp(6, Timestamp.from(now));
                    if (ps.executeUpdate() == 1) {
                        claimed.add(new OutboxRow(row.id(), row.conversationId(), row.integrationId(), row.eventId(),
                                row.operation(), row.event(), row.attempts(), row.call(), first));
                    }
                }
            }
            return claimed;
        });
        leased.forEach(row -> db.leases().hold("outbox", row.id()));
        return leased;
    }

    /**
     * The next time, after now, at which a row becomes claimable (unleased, the oldest unfinished row
     * of its conversation, due when both its retry time and its integration's rate-limit pause have
     * passed) or a lease ends (a dead host's row to take over), if any. Rows behind a running or
     * waiting row do not count, so the dispatcher sleeps while they wait; a finished row wakes it, and
     * a row finished by another host is seen at the next poll.
     */
    public Optional<Instant> nextDue() {
        Timestamp now = Timestamp.from(Instant.now());
        return db.query(c -> {
            String due = "CASE WHEN i.rate_limited_until > o.next_attempt_at THEN i.rate_limited_until ELSE o.next_attempt_at END";
            try (PreparedStatement ps = c.prepareStatement("SELECT MIN(t) FROM ("
                    + "SELECT MIN(" + due + ") AS t FROM outbox o LEFT JOIN integrations i ON i.id = o.integration_id "
                    + "WHERE o.state = 'PENDING' AND (o.lease_until IS NULL OR o.lease_until < ?) " + RUNNABLE + "AND " + due + " > ? "
                    + "UNION ALL SELECT MIN(lease_until) AS t FROM outbox WHERE state = 'PENDING' AND lease_until > ?) due")) {
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

    /** A row runs only as the oldest unfinished row of its conversation, which keeps the order. */
    private static final String RUNNABLE = "AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.integration_id = o.integration_id "
            + "AND p.conversation_id = o.conversation_id AND p.id < o.id AND p.state IN ('PENDING', 'PARKED')) ";

    private OutboxRow outboxRow(ResultSet rs) throws SQLException {
        Timestamp first = rs.getTimestamp(9);
        return new OutboxRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                read(rs.getString(6)), rs.getInt(7), rs.getInt(8) + 1, first == null ? null : first.toInstant());
    }

    /**
     * The pending rows right behind {@code head} in its conversation that are messages too (customer or
     * AI), oldest first, up to {@code limit}: due together, they go to the helpdesk in one call. With
     * {@code thenHandoff}, a pending handoff right behind those messages comes last (it goes in the same
     * call). Safe to read while {@code head} is claimed: no one claims a row behind an unfinished one.
     */
    public List<OutboxRow> followingMessages(OutboxRow head, int limit, boolean thenHandoff) {
        return db.query(c -> {
            List<OutboxRow> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT o.id, o.conversation_id, o.integration_id, o.event_id, o.operation, o.payload, o.attempts, o.calls, o.first_attempt_at, o.state "
                    + "FROM outbox o WHERE o.integration_id = ? AND o.conversation_id = ? AND o.id > ? AND o.state IN ('PENDING', 'PARKED') ORDER BY o.id LIMIT ?")) {
                ps.setString(1, head.integrationId());
                ps.setString(2, head.conversationId());
                ps.setLong(3, head.id());
                ps.setInt(4, limit + 1);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String operation = rs.getString(5);
                        if (!rs.getString(10).equals("PENDING")) {
                            break;
                        }
                        if (thenHandoff && operation.equals("handoff")) {
                            rows.add(outboxRow(rs));
                            break;
                        }
                        if (rows.size() == limit || !(operation.equals("customer_message") || operation.equals("ai_reply"))) {
                            break;
                        }
                        rows.add(outboxRow(rs));
                    }
                }
            }
            return rows;
        });
    }

    /** Marks an operation done and records the conversation's status and last error (the note, or none). */
    public void complete(OutboxRow row, String status, String note) {
        complete(row, new Completion(status, note, Map.of(), List.of(), List.of()));
    }

    /**
     * Marks an operation (and the rows finished with it) done, and records in the same transaction
     * which transcript entries reached the helpdesk, the skipped steps and the conversation's status
     * and last error: one commit per operation, not one per entry.
     */
    public void complete(OutboxRow row, Completion done) {
        Timestamp now = Timestamp.from(Instant.now());
        db.inTransaction(c -> {
            setSynced(c, row.integrationId(), row.conversationId(), done.synced());
            try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET state = 'DONE', attempts = attempts + 1, completed_at = ?, lease_owner = NULL, lease_until = NULL, last_error = NULL WHERE id = ? AND lease_owner = ?")) {
                ps.setTimestamp(1, now);
                ps.setLong(2, row.id());
                ps.setString(3, db.owner());
                leaseKept(row, ps.executeUpdate());
            }
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
                ps.setString(1, done.note() == null ? null : truncate(done.note()));
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
        return db.query(c -> {
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
     * a helpdesk's rate limit never parks a row.
     */
    public void rateLimited(OutboxRow row, Instant until, String error, Map<String, Instant> synced) {
        String message = truncate(error);
        Timestamp now = Timestamp.from(Instant.now());
        db.inTransaction(c -> {
            setSynced(c, row.integrationId(), row.conversationId(), synced);
            try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET next_attempt_at = ?, lease_owner = NULL, lease_until = NULL, last_error = ? WHERE id = ? AND lease_owner = ?")) {
                ps.setTimestamp(1, Timestamp.from(until));
                ps.setString(2, message);
                ps.setLong(3, row.id());
                ps.setString(4, db.owner());
                leaseKept(row, ps.executeUpdate());
            }
            setLastError(c, row.integrationId(), row.conversationId(), message, now);
            return null;
        });
    }

    public void retryLater(OutboxRow row, Instant at, String error) {
        retryLater(row, at, error, Map.of());
    }

    /** A retry that keeps what the failed attempt already wrote to the helpdesk ({@code synced}). */
    public void retryLater(OutboxRow row, Instant at, String error, Map<String, Instant> synced) {
        fail(row, "PENDING", at, error, synced);
    }

    public void park(OutboxRow row, String error) {
        park(row, error, Map.of());
    }

    public void park(OutboxRow row, String error, Map<String, Instant> synced) {
        fail(row, "PARKED", Instant.now(), error, synced);
    }

    private void fail(OutboxRow row, String state, Instant next, String error, Map<String, Instant> synced) {
        String message = truncate(error);
        Timestamp now = Timestamp.from(Instant.now());
        db.inTransaction(c -> {
            setSynced(c, row.integrationId(), row.conversationId(), synced);
            try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET state = ?, attempts = attempts + 1, next_attempt_at = ?, lease_owner = NULL, lease_until = NULL, last_error = ? WHERE id = ? AND lease_owner = ?")) {
                ps.setString(1, state);
                ps.setTimestamp(2, Timestamp.from(next));
                ps.setString(3, message);
                ps.setLong(4, row.id());
                ps.setString(5, db.owner());
                leaseKept(row, ps.executeUpdate());
            }
            setLastError(c, row.integrationId(), row.conversationId(), message, now);
            return null;
        });
    }

    /**
     * The row's outcome is recorded only while this process still holds its lease; a host that lost
     * it (frozen longer than the lease) leaves the row to the host that took it over.
     */
    private void leaseKept(OutboxRow row, int updated) {
        db.leases().release("outbox", row.id());
        if (updated == 0) {
            log.warn("Operation {} of conversation {} was taken over by another host (lease ended); its outcome here is dropped",
                    row.id(), row.conversationId());
        }
    }

    private static String truncate(String message) {
        return message.length() > MAX_ERROR ? message.substring(0, MAX_ERROR) : message;
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
        return db.query(c -> {
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

    public void linkCase(String integrationId, String conversationId, CaseRef ref) {
        db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE conversations SET case_id = ?, case_number = ?, case_link = ?, updated_at = ? WHERE integration_id = ? AND conversation_id = ?")) {
                ps.setString(1, ref.id());
                ps.setString(2, ref.number());
                ps.setString(3, ref.link() == null ? null : ref.link().toString());
                ps.setTimestamp(4, Timestamp.from(Instant.now()));
                ps.setString(5, integrationId);
                ps.setString(6, conversationId);
                return ps.executeUpdate();
            }
        });
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

    public void markSynced(String integrationId, String conversationId, String eventId) {
        db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE transcript SET synced_at = ? WHERE integration_id = ? AND conversation_id = ? AND event_id = ? AND synced_at IS NULL")) {
                ps.setTimestamp(1, Timestamp.from(Instant.now()));
                ps.setString(2, integrationId);
                ps.setString(3, conversationId);
                ps.setString(4, eventId);
                return ps.executeUpdate();
            }
        });
    }

    /** The integration's conversation; another integration's conversation of the same id is not seen. */
    public Optional<ConversationRow> conversation(String integrationId, String conversationId) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT integration_id, case_id, case_number, case_link, status, last_error FROM conversations WHERE integration_id = ? AND conversation_id = ?")) {
                ps.setString(1, integrationId);
                ps.setString(2, conversationId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    CaseRef ref = rs.getString(2) == null ? null
                            : new CaseRef(rs.getString(2), rs.getString(3), rs.getString(4) == null ? null : URI.create(rs.getString(4)));
                    return Optional.of(new ConversationRow(conversationId, rs.getString(1), ref, rs.getString(5), rs.getString(6)));
                }
            }
        });
    }

    public List<TranscriptEntry> transcript(String integrationId, String conversationId) {
        return transcriptAfter(integrationId, conversationId, Long.MIN_VALUE);
    }

    /** Unfinished operations (pending and parked), oldest first. */
    public List<OperationRow> openOperations(String integrationId, String conversationId) {
        return db.query(c -> {
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
        return db.query(c -> {
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
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM outbox WHERE state = ?")) {
                ps.setString(1, state);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /** SHA-256 of the event as JSON with map keys sorted: the same content always hashes the same. */
    private String contentHash(ConversationEvent event) {
        try {
            byte[] json = canonical.writeValueAsBytes(event);
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(json));
        } catch (JsonProcessingException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalArgumentException("Event cannot be hashed", e);
        }
    }

    private String write(ConversationEvent event) {
        try {
            return mapper.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Event cannot be stored as JSON", e);
        }
    }

    private ConversationEvent read(String payload) {
        try {
            return mapper.readValue(payload, ConversationEvent.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored event is not readable", e);
        }
    }
}
