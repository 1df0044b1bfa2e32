package com.helpdeskconnect.host.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.helpdeskconnect.host.events.ConversationEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Accepting conversation events: an event's id (the dedupe record), its conversation, its
 * transcript entry and its outbox row are written in one transaction, so an event is either fully
 * accepted or not at all. Concurrent requests share one commit ({@link GroupCommit}).
 */
public final class EventIntake implements AutoCloseable {
    /** Bounds one transaction's size in events (and the time the first request in it waits); a batch request counts its events. */
    private static final int MAX_BATCH = 256;

    private final Database db;
    private final ConversationStore conversations;
    private final ObjectMapper canonical;
    private final GroupCommit writer;
    /** The current transaction's new rows, written just before it commits (the writer thread's only). */
    private final HeldEventRows held = new HeldEventRows();

    public EventIntake(ConversationStore conversations, ObjectMapper mapper) {
        this.db = conversations.database();
        this.conversations = conversations;
        this.canonical = mapper.copy().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
        this.writer = new GroupCommit("event-writer", MAX_BATCH, this::writeTransaction);
    }

    /**
     * One event-writer transaction: its units decide, then their held rows are written in one batch
     * per table. It holds the transcript's write order until it commits (transcript inserts).
     */
    private <T> T writeTransaction(Database.SqlWork<T> work) {
        try {
            return conversations.transcriptTransaction(c -> {
                T result = work.run(c);
                held.write(c);
                return result;
            });
        } finally {
            held.clear();
        }
    }

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
     * Stores a new event (transcript + outbox), or recognises its id as already accepted. Returns
     * only after the commit: the caller may answer 202. Concurrent callers share one commit
     * ({@link GroupCommit}), because with {@code WRITE_DELAY=0} every H2 commit writes a chunk
     * under the store's single lock. Events are written in the order they arrive, so a client that
     * waits for its 202 before sending the conversation's next event keeps the conversation's order;
     * the writer thread is the only inserter of API events, so a repeated id later in the same batch
     * sees the earlier one.
     */
    public Accepted accept(ConversationEvent event) {
        Outcome outcome = acceptAll(List.of(event)).get(0);
        if (outcome.conflict() != null) {
            // thrown again here, so its stack is the caller's, not the writer thread's
            throw new ConflictingEventException(outcome.conflict().getMessage());
        }
        return outcome.accepted();
    }

    /**
     * What became of one event of {@link #acceptAll}: {@code accepted} (NEW or DUPLICATE), the
     * {@code conflict} that refused it, or {@code heldBack}: an earlier event of its conversation in
     * the same list was refused, so this one was not written either (it would have overtaken that
     * one once corrected). Exactly one is set; nothing was written for a refused or held-back event.
     */
    public record Outcome(Accepted accepted, ConflictingEventException conflict, boolean heldBack) {
        static final Outcome HELD_BACK = new Outcome(null, null, true);
        static final Outcome NEW = new Outcome(Accepted.NEW, null, false);
        static final Outcome DUPLICATE = new Outcome(Accepted.DUPLICATE, null, false);
    }

    /**
     * Stores several events in one transaction, in list order (so a conversation's events keep
     * their order), as one {@link GroupCommit} unit; returns each event's outcome, in list order,
     * only after the commit. A conflict is that event's outcome; a repeated id later in the list
     * sees the earlier one. A storage failure throws and writes none of them, so the caller may
     * send them all again (their ids dedupe).
     */
    public List<Outcome> acceptAll(List<ConversationEvent> events) {
        if (events.isEmpty()) {
            return List.of();
        }
        List<PendingEvent> pending = new ArrayList<>(events.size());
        for (ConversationEvent event : events) {
            String json = write(event);
            pending.add(new PendingEvent(event, json, hash(json)));
        }
        Database.SqlWork<List<Outcome>> unit = c -> {
            Timestamp now = Timestamp.from(Instant.now());
            List<Outcome> outcomes = new ArrayList<>(pending.size());
            Set<String> refused = new HashSet<>();
            for (PendingEvent p : pending) {
                String conversation = p.event().integrationId() + '\n' + p.event().conversationId();
                if (refused.contains(conversation)) {
                    outcomes.add(Outcome.HELD_BACK);
                    continue;
                }
                try {
                    outcomes.add(insertEvent(c, p, now) == Accepted.NEW ? Outcome.NEW : Outcome.DUPLICATE);
                } catch (ConflictingEventException e) {
                    // this event's answer, not the unit's failure: nothing was written for it
                    refused.add(conversation);
                    outcomes.add(new Outcome(null, e, false));
                }
            }
            return outcomes;
        };
        try {
            return writer.submit(unit, pending.size());
        } catch (Database.StorageException e) {
            if (!(e.getCause() instanceof SQLException sql && Database.isDuplicateKey(sql))) {
                throw e;
            }
            // a webhook event id collided with one of these between check and insert: rolled back,
            // and the next run sees that id (as a duplicate or a conflict of that event alone)
            return writer.submit(unit, pending.size());
        }
    }

    /**
     * An event on its way into the database, with its JSON already written by the request thread,
     * and the hash of its content that tells a repeated delivery from a reused id.
     */
    record PendingEvent(ConversationEvent event, String payload, String contentHash) {}

    /**
     * Decides one event inside the writer's transaction and holds its rows (see {@link HeldEventRows}).
     * All checks run before anything is held, so a conflict leaves the transaction (and the rest of a
     * batch) untouched. The writer thread is the only inserter of API events, so a repeated id later
     * in the same transaction sees the earlier one.
     */
    private Accepted insertEvent(Connection c, PendingEvent pending, Timestamp now) throws SQLException {
        ConversationEvent event = pending.event();
        HeldEventRows.Lookup found = held.lookup(c, event);
        HeldEventRows.Seen seen = found.seen();
        if (seen != null) {
            if (!seen.conversationId().equals(event.conversationId())) {
                throw new ConflictingEventException("Event id '" + event.eventId()
                        + "' was already used in another conversation");
            }
            // rows from before hashes were kept have none: those repeats stay duplicates
            if (seen.contentHash() != null && pending.contentHash() != null && !seen.contentHash().equals(pending.contentHash())) {
                throw new ConflictingEventException("Event id '" + event.eventId()
                        + "' was already accepted with other content; a new event needs a new id");
            }
            return Accepted.DUPLICATE;
        }
        held.hold(pending, !found.conversationExists(), now);
        return Accepted.NEW;
    }

    /** Stops the event writer after it has committed what was already submitted. */
    @Override
    public void close() {
        writer.close();
    }

    static Optional<String> eventConversation(Connection c, String integrationId, String eventId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT conversation_id FROM processed_events WHERE integration_id = ? AND event_id = ?")) {
            ps.setString(1, integrationId);
            ps.setString(2, eventId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** An event id from elsewhere than the API (a webhook's): no content hash, its content is not ours to compare. */
    static void insertProcessed(Connection c, String integrationId, String eventId, String conversationId, String source,
                                Timestamp now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO processed_events (integration_id, event_id, conversation_id, source, received_at) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, integrationId);
            ps.setString(2, eventId);
            ps.setString(3, conversationId);
            ps.setString(4, source);
            ps.setTimestamp(5, now);
            ps.executeUpdate();
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

    /** SHA-256 of the event as JSON with map keys sorted: the same content always hashes the same. */
    private static String hash(String canonicalJson) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonicalJson.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The event as JSON with map keys sorted (what {@link #hash} covers; also what is stored). */
    private String write(ConversationEvent event) {
        try {
            return canonical.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Event cannot be stored as JSON", e);
        }
    }

}
