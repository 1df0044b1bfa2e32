package com.helpdeskconnect.host.storage;

import com.helpdeskconnect.api.cases.CaseRef;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Conversations (their link to a helpdesk case and their status) and their transcript, the one
 * ordered record of what was said, which live streams read. Events come in through
 * {@link EventIntake} and {@link HelpdeskChanges}; the outbox is {@link OutboxStore}.
 */
public final class ConversationStore {
    private final Database db;
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

    public ConversationStore(Database db) {
        this.db = db;
    }

    /** The database, for read-only views elsewhere (the admin console's queries). */
    public Database database() {
        return db;
    }

    /** The conversation's link to its helpdesk case and its sync status. */
    public record ConversationRow(String conversationId, String integrationId, CaseRef caseRef,
                                  String status, String lastError) {}

    /** A transcript entry. */
    public record TranscriptEntry(long seq, String eventId, String type, String author, String text,
                                  Instant occurredAt, Instant syncedAt) {}

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

    /** The conversation linked to a helpdesk case of an integration. */
    public Optional<ConversationRow> conversationByCase(String integrationId, String caseId) {
        return db.read(c -> findByCase(c, integrationId, caseId));
    }

    static Optional<ConversationRow> findByCase(Connection c, String integrationId, String caseId) throws SQLException {
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
        return db.read(c -> {
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
        return db.read(c -> {
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
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(seq), 0) FROM transcript");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    public void linkCase(String integrationId, String conversationId, CaseRef ref) {
        db.query(c -> linkCase(c, integrationId, conversationId, ref));
    }

    /** Links the conversation to its helpdesk case inside the caller's transaction. */
    static int linkCase(Connection c, String integrationId, String conversationId, CaseRef ref) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE conversations SET case_id = ?, case_number = ?, case_link = ?, updated_at = ? WHERE integration_id = ? AND conversation_id = ?")) {
            ps.setString(1, ref.id());
            ps.setString(2, ref.number());
            ps.setString(3, ref.link() == null ? null : ref.link().toString());
            ps.setTimestamp(4, Timestamp.from(Instant.now()));
            ps.setString(5, integrationId);
            ps.setString(6, conversationId);
            return ps.executeUpdate();
        }
    }

    /** The integration's conversation; another integration's conversation of the same id is not seen. */
    public Optional<ConversationRow> conversation(String integrationId, String conversationId) {
        return db.read(c -> {
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

}
