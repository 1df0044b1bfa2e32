package com.helpdeskconnect.host.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.helpdeskconnect.api.webhook.WebhookRequest;
import com.helpdeskconnect.host.storage.queue.Claim;
import com.helpdeskconnect.host.storage.queue.QueueTable;
import com.helpdeskconnect.host.storage.queue.WorkQueue;
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
import java.util.Set;
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
    static final String UNREADABLE = "Stored webhook call cannot be read (sealed with another encryption key, or damaged); "
            + "ask the helpdesk to send it again";

    private final Database db;
    private final SecretBox box;
    private final ObjectMapper mapper;
    private final WorkQueue queue;

    public WebhookInbox(Database db, SecretBox box, ObjectMapper mapper) {
        this.db = db;
        this.queue = new WorkQueue(db, QueueTable.WEBHOOK_INBOX);
        this.box = box;
        this.mapper = mapper;
    }

    /**
     * A stored call, claimed and unsealed.
     *
     * @param request the call as it arrived, with its arrival time
     */
    public record Entry(Claim claim, WebhookRequest request) {
        public long id() {
            return claim.id();
        }

        public String integrationId() {
            return claim.integrationId();
        }

        @Override
        public String toString() {
            return "WebhookInbox.Entry[id=" + claim.id() + ", integration=" + claim.integrationId() + ", call=" + claim.call() + "]";
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
    public List<Entry> due(int limit, Set<String> busyKeys) {
        record Sealed(Claim claim, String sealed, Instant receivedAt) {}
        List<Sealed> rows = queue.claim(limit, busyKeys, "o.request_sealed, o.received_at",
                (claim, rs, i) -> new Sealed(claim, rs.getString(i), rs.getTimestamp(i + 1).toInstant()));
        List<Entry> entries = new ArrayList<>();
        for (Sealed row : rows) {
            // unsealed one by one: a row that cannot be read (another key, damaged) is parked with
            // the reason instead of failing the whole drain, and the calls after it go on
            Optional<WebhookRequest> request = unseal(row.claim().integrationId(), row.sealed(), row.receivedAt());
            if (request.isPresent()) {
                entries.add(new Entry(row.claim(), request.get()));
            } else {
                log.warn("Webhook call {} of integration {} cannot be read; parked", row.claim().id(), row.claim().integrationId());
                queue.park(row.claim(), UNREADABLE);
            }
        }
        return entries;
    }

    /** The queue the calls wait in. */
    public WorkQueue queue() {
        return queue;
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

    /** One stored call's state, for the API: no request content. */
    public record Status(long id, String state, int attempts, String note, Instant receivedAt) {}

    /** The latest calls of an integration, newest first. */
    public List<Status> recent(String integrationId, int limit) {
        return db.read(c -> {
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
