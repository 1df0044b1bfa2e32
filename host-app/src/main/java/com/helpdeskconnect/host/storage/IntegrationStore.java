package com.helpdeskconnect.host.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** Integrations at rest: settings as JSON sealed by {@link SecretBox}, bound to the integration id. */
public final class IntegrationStore {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final Database db;
    private final SecretBox box;
    private final ObjectMapper mapper;

    public IntegrationStore(Database db, SecretBox box, ObjectMapper mapper) {
        this.db = db;
        this.box = box;
        this.mapper = mapper;
    }

    /**
     * One stored integration, decrypted.
     *
     * @param webhookSecret    the secret the first release generated for every integration; a connector's
     *                         generated secret setting left empty by an older save takes it
     * @param callbackUrl      where agent replies and status changes are POSTed; null if none
     * @param callbackSecret   the HMAC-SHA256 key that signs those POSTs
     * @param options          the host-owned options as stored; null for an integration saved before
     *                         options existed
     * @param rateLimitedUntil while in the future, the helpdesk rate-limited the integration: its work waits
     */
    public record StoredIntegration(String id, String connectorId, Map<String, Object> settings,
                                    String webhookSecret, Instant createdAt, Instant updatedAt,
                                    String callbackUrl, String callbackSecret, Map<String, Object> options,
                                    Instant rateLimitedUntil) {
        @Override
        public String toString() {
            return "StoredIntegration[id=" + id + ", connector=" + connectorId + "]";
        }
    }

    /** Whether the integration exists, without unsealing its settings (checked on every accepted event). */
    public boolean exists(String id) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM integrations WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    public Optional<StoredIntegration> find(String id) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT connector_id, settings_sealed, webhook_secret_sealed, created_at, updated_at, callback_url, callback_secret_sealed, options_json, rate_limited_until FROM integrations WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    Map<String, Object> settings = parse(box.open(rs.getString(2), "settings:" + id));
                    String secret = box.open(rs.getString(3), "webhook:" + id);
                    String callbackSecret = rs.getString(7) == null ? null : box.open(rs.getString(7), "callback:" + id);
                    Map<String, Object> options = rs.getString(8) == null ? null : parse(rs.getString(8));
                    Timestamp paused = rs.getTimestamp(9);
                    return Optional.of(new StoredIntegration(id, rs.getString(1), settings, secret,
                            rs.getTimestamp(4).toInstant(), rs.getTimestamp(5).toInstant(), rs.getString(6), callbackSecret,
                            options, paused == null ? null : paused.toInstant()));
                }
            }
        });
    }

    /** Inserts or replaces; keeps the original creation time (and a running rate-limit pause). */
    public void save(String id, String connectorId, Map<String, Object> settings, String webhookSecret,
                     String callbackUrl, String callbackSecret, Map<String, Object> options) {
        String optionsJson = write(options);
        String sealedSettings = box.seal(write(settings), "settings:" + id);
        String sealedSecret = box.seal(webhookSecret, "webhook:" + id);
        String sealedCallback = box.seal(callbackSecret, "callback:" + id);
        Timestamp now = Timestamp.from(Instant.now());
        db.inTransaction(c -> {
            int updated;
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE integrations SET connector_id = ?, settings_sealed = ?, webhook_secret_sealed = ?, updated_at = ?, callback_url = ?, callback_secret_sealed = ?, options_json = ? WHERE id = ?")) {
                ps.setString(1, connectorId);
                ps.setString(2, sealedSettings);
                ps.setString(3, sealedSecret);
                ps.setTimestamp(4, now);
                ps.setString(5, callbackUrl);
                ps.setString(6, sealedCallback);
                ps.setString(7, optionsJson);
                ps.setString(8, id);
                updated = ps.executeUpdate();
            }
            if (updated == 0) {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO integrations (id, connector_id, settings_sealed, webhook_secret_sealed, created_at, updated_at, callback_url, callback_secret_sealed, options_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, id);
                    ps.setString(2, connectorId);
                    ps.setString(3, sealedSettings);
                    ps.setString(4, sealedSecret);
                    ps.setTimestamp(5, now);
                    ps.setTimestamp(6, now);
                    ps.setString(7, callbackUrl);
                    ps.setString(8, sealedCallback);
                    ps.setString(9, optionsJson);
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    /** Deletes the integration and its connector state, in one transaction. */
    public boolean delete(String id) {
        return db.inTransaction(c -> {
            ConnectorStateStore.deleteAll(c, id);
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM integrations WHERE id = ?")) {
                ps.setString(1, id);
                return ps.executeUpdate() > 0;
            }
        });
    }

    /**
     * Pauses the integration's work until {@code until} (a helpdesk's rate limit); a later pause that
     * ends sooner does not shorten a running one.
     */
    public void pauseUntil(String id, Instant until) {
        db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE integrations SET rate_limited_until = ? WHERE id = ? AND (rate_limited_until IS NULL OR rate_limited_until < ?)")) {
                ps.setTimestamp(1, Timestamp.from(until));
                ps.setString(2, id);
                ps.setTimestamp(3, Timestamp.from(until));
                return ps.executeUpdate();
            }
        });
    }

    private Map<String, Object> parse(String json) {
        try {
            return mapper.readValue(json, MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored settings are not valid JSON");
        }
    }

    private String write(Map<String, Object> settings) {
        if (settings == null) {
            return null;
        }
        try {
            return mapper.writeValueAsString(settings);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Settings cannot be stored as JSON");
        }
    }
}
