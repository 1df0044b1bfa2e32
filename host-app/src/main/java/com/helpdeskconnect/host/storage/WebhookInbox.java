package com.helpdeskconnect.host.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.helpdeskconnect.api.webhook.WebhookRequest;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticated webhook calls waiting to be read by their connector. A call is stored before the
 * helpdesk gets its 202, so a crash after the answer loses nothing; the request (headers carry the
 * shared secret or signature) is sealed by {@link SecretBox} with the integration id bound in, with
 * the time it arrived, which later reads get back unchanged (replay windows are checked against it).
 */
public final class WebhookInbox {
    private static final Logger log = LoggerFactory.getLogger(WebhookInbox.class);
    private static final int MAX_ERROR = 4000;
    static final String UNREADABLE = "Stored webhook call cannot be read (sealed with another encryption key, or damaged); "
            + "ask the helpdesk to send it again";

    private final Database db;
    private final SecretBox box;
    private final ObjectMapper mapper;

    public WebhookInbox(Database db, SecretBox box, ObjectMapper mapper) {
        this.db = db;
        this.box = box;
        this.mapper = mapper;
    }

    /**
     * A stored call, unsealed.
     *
     * @param request        the call as it arrived, with its arrival time
     * @param attempts       reads so far
     * @param firstAttemptAt when the first read started; null before the first
     */
    public record Entry(long id, String integrationId, WebhookRequest request, int attempts, Instant firstAttemptAt) {
        @Override
        public String toString() {
            return "WebhookInbox.Entry[id=" + id + ", integration=" + integrationId + ", attempts=" + attempts + "]";
        }
    }

    /** Commits the call; returns its inbox id. */
    public long store(String integrationId, WebhookRequest request) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("headers", request.headers());
        json.put("query", request.query());
        json.put("body", Base64.getEncoder().encodeToString(request.body()));
        json.put("receivedAt", request.receivedAt().toString());
        String sealed;
        try {
            sealed = box.seal(mapper.writeValueAsString(json), "webhook-inbox:" + integrationId);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Webhook call cannot be stored", e);
        }
        Timestamp now = Timestamp.from(Instant.now());
        Timestamp received = Timestamp.from(request.receivedAt());
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO webhook_inbox (integration_id, request_sealed, state, attempts, next_attempt_at, received_at) VALUES (?, ?, 'PENDING', 0, ?, ?)",
                    new String[] {"id"})) {
                ps.setString(1, integrationId);
                ps.setString(2, sealed);
                ps.setTimestamp(3, now);
                ps.setTimestamp(4, received);
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1);
                }
            }
        });
    }

    /**
     * Claims the due calls, oldest first, leased to this process until they are completed; a call
     * waits while an older one of its integration is pending (waiting for a retry, or being read by
     * any host), so an agent's reply is never overtaken by the case's closing. Nothing of an
     * integration the helpdesk rate-limited is due before its pause ends.
     */
    public List<Entry> due(int limit) {
        Instant now = Instant.now();
        List<Object[]> rows = db.inTransaction(c -> {
            List<Object[]> found = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT w.id, w.integration_id, w.request_sealed, w.attempts, w.received_at, w.first_attempt_at FROM webhook_inbox w "
                    + "WHERE w.state = 'PENDING' AND w.next_attempt_at <= ? AND (w.lease_until IS NULL OR w.lease_until < ?) "
                    + "AND NOT EXISTS (SELECT 1 FROM webhook_inbox p WHERE p.integration_id = w.integration_id AND p.id < w.id AND p.state = 'PENDING') "
                    + "AND NOT EXISTS (SELECT 1 FROM integrations i WHERE i.id = w.integration_id AND i.rate_limited_until > ?) "
                    + "ORDER BY w.id LIMIT ?" + (db.shared() ? " FOR UPDATE OF w SKIP LOCKED" : ""))) {
                ps.setTimestamp(1, Timestamp.from(now));
                ps.setTimestamp(2, Timestamp.from(now));
                ps.setTimestamp(3, Timestamp.from(now));
                ps.setInt(4, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Timestamp first = rs.getTimestamp(6);
                        found.add(new Object[] {rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4),
                                rs.getTimestamp(5).toInstant(), first == null ? null : first.toInstant()});
                    }
                }
            }
            List<Object[]> claimed = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("UPDATE webhook_inbox SET lease_owner = ?, lease_until = ? WHERE id = ? AND state = 'PENDING' AND (lease_until IS NULL OR lease_until < ?)")) {
                for (Object[] r : found) {
                    ps.setString(1, db.owner());
                    ps.setTimestamp(2, db.leases().until(now));
                    ps.setLong(3, (Long) r[0]);
                    ps.setTimestamp(4, Timestamp.from(now));
                    if (ps.executeUpdate() == 1) {
                        claimed.add(r);
                    }
                }
            }
            return claimed;
        });
        rows.forEach(r -> db.leases().hold("webhook_inbox", (Long) r[0]));
        List<Entry> entries = new ArrayList<>();
        for (Object[] r : rows) {
            long id = (Long) r[0];
            String integrationId = (String) r[1];
            // unsealed one by one: a row that cannot be read (another key, damaged) is parked with
            // the reason instead of failing the whole drain, and the calls after it go on
            Optional<WebhookRequest> request = unseal(integrationId, (String) r[2], (Instant) r[4]);
            if (request.isPresent()) {
                entries.add(new Entry(id, integrationId, request.get(), (Integer) r[3], (Instant) r[5]));
            } else {
                log.warn("Webhook call {} of integration {} cannot be read; parked", id, integrationId);
                park(id, UNREADABLE);
            }
        }
        return entries;
    }

    /** Empty when the stored call cannot be decrypted or parsed; no detail, it could echo content. */
    @SuppressWarnings("unchecked")
    private Optional<WebhookRequest> unseal(String integrationId, String sealed, Instant receivedColumn) {
        try {
            Map<String, Object> json = mapper.readValue(box.open(sealed, "webhook-inbox:" + integrationId), Map.class);
            // the sealed time is exact to the nanosecond; calls stored before it was sealed have the column's
            Instant receivedAt = json.get("receivedAt") instanceof String at ? Instant.parse(at) : receivedColumn;
            return Optional.of(new WebhookRequest((Map<String, List<String>>) json.get("headers"),
                    (Map<String, List<String>>) json.get("query"), Base64.getDecoder().decode((String) json.get("body")),
                    receivedAt));
        } catch (JsonProcessingException | RuntimeException e) {
            return Optional.empty();
        }
    }

    public void complete(long id, String note) {
        update(id, "DONE", Instant.now(), note, null, 1);
    }

    public void retryLater(long id, Instant at, String error) {
        retryLater(id, at, error, null);
    }

    /** A failed read to try again at {@code at}; {@code startedAt} is the read's start (kept if it was the first). */
    public void retryLater(long id, Instant at, String error, Instant startedAt) {
        update(id, "PENDING", at, error, startedAt, 1);
    }

    /** A read the helpdesk rate-limited: tried again at {@code at}, and the wait is not counted as an attempt. */
    public void rateLimited(long id, Instant at, String error, Instant startedAt) {
        update(id, "PENDING", at, error, startedAt, 0);
    }

    public void park(long id, String error) {
        update(id, "PARKED", Instant.now(), error, null, 1);
    }

    /** Records a claimed call's outcome, while this process still holds its lease. */
    private void update(long id, String state, Instant next, String note, Instant startedAt, int counted) {
        String message = note == null || note.length() <= MAX_ERROR ? note : note.substring(0, MAX_ERROR);
        db.leases().release("webhook_inbox", id);
        int updated = db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE webhook_inbox SET state = ?, attempts = attempts + ?, next_attempt_at = ?, last_error = ?, completed_at = ?, first_attempt_at = COALESCE(first_attempt_at, ?), lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?")) {
                ps.setString(1, state);
                ps.setInt(2, counted);
                ps.setTimestamp(3, Timestamp.from(next));
                ps.setString(4, message);
                ps.setTimestamp(5, state.equals("PENDING") ? null : Timestamp.from(Instant.now()));
                ps.setTimestamp(6, startedAt == null ? null : Timestamp.from(startedAt));
                ps.setLong(7, id);
                ps.setString(8, db.owner());
                return ps.executeUpdate();
            }
        });
        if (updated == 0) {
            log.warn("Webhook call {} was taken over by another host (lease ended); its outcome here is dropped", id);
        }
    }

    /** One stored call's state, for the API: no request content. */
    public record Status(long id, String state, int attempts, String note, Instant receivedAt) {}

    /** The latest calls of an integration, newest first. */
    public List<Status> recent(String integrationId, int limit) {
        return db.query(c -> {
            List<Status> found = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, state, attempts, last_error, received_at FROM webhook_inbox WHERE integration_id = ? ORDER BY id DESC LIMIT ?")) {
                ps.setString(1, integrationId);
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.add(new Status(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getString(4), rs.getTimestamp(5).toInstant()));
                    }
                }
            }
            return found;
        });
    }
}
