package com.helpdeskconnect.host.storage;

import com.helpdeskconnect.api.errors.TransientException;
import com.helpdeskconnect.api.state.ConnectorState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The connectors' durable state ({@link ConnectorState}), one map per integration in the
 * {@code connector_state} table. Every call is its own auto-committed statement, so it is durable
 * and visible to every host process on the database when it returns. A database failure reaches the
 * connector as a {@link TransientException}: its operation is retried like any outage.
 */
public final class ConnectorStateStore {
    private final Database db;

    public ConnectorStateStore(Database db) {
        this.db = db;
    }

    /** The state of one integration. */
    public ConnectorState forIntegration(String integrationId) {
        return new IntegrationState(Objects.requireNonNull(integrationId, "integrationId"));
    }

    /** Removes an integration's state inside the caller's transaction (the integration is deleted). */
    static void deleteAll(Connection c, String integrationId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM connector_state WHERE integration_id = ?")) {
            ps.setString(1, integrationId);
            ps.executeUpdate();
        }
    }

    private final class IntegrationState implements ConnectorState {
        private final String integrationId;

        IntegrationState(String integrationId) {
            this.integrationId = integrationId;
        }

        @Override
        public Optional<String> get(String key) {
            ConnectorState.check(key, null);
            return call(c -> read(c, key));
        }

        @Override
        public void put(String key, String value) {
            Objects.requireNonNull(value, "value");
            ConnectorState.check(key, value);
            // update, else insert; a concurrent insert of the same key makes ours a duplicate: update again
            for (int tries = 0; ; tries++) {
                if (call(c -> update(c, key, value)) > 0) {
                    return;
                }
                try {
                    call(c -> insert(c, key, value));
                    return;
                } catch (DuplicateKey e) {
                    if (tries >= 3) {
                        throw new TransientException("State key '" + key + "' is being written concurrently; try again");
                    }
                }
            }
        }

        @Override
        public String putIfAbsent(String key, String value) {
            Objects.requireNonNull(value, "value");
            ConnectorState.check(key, value);
            // the insert is the atomic step: of two processes racing, one inserts and the other sees its value
            for (int tries = 0; ; tries++) {
                try {
                    call(c -> insert(c, key, value));
                    return value;
                } catch (DuplicateKey e) {
                    Optional<String> present = call(c -> read(c, key));
                    if (present.isPresent()) {
                        return present.get();
                    }
                    if (tries >= 3) {
                        throw new TransientException("State key '" + key + "' is being written concurrently; try again");
                    }
                    // removed between our insert and read: insert again
                }
            }
        }

        @Override
        public boolean remove(String key) {
            ConnectorState.check(key, null);
            return call(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "DELETE FROM connector_state WHERE integration_id = ? AND state_key = ?")) {
                    ps.setString(1, integrationId);
                    ps.setString(2, key);
                    return ps.executeUpdate() > 0;
                }
            });
        }

        private Optional<String> read(Connection c, String key) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT state_value FROM connector_state WHERE integration_id = ? AND state_key = ?")) {
                ps.setString(1, integrationId);
                ps.setString(2, key);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
        }

        private int update(Connection c, String key, String value) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE connector_state SET state_value = ?, updated_at = ? WHERE integration_id = ? AND state_key = ?")) {
                ps.setString(1, value);
                ps.setTimestamp(2, Timestamp.from(Instant.now()));
                ps.setString(3, integrationId);
                ps.setString(4, key);
                return ps.executeUpdate();
            }
        }

        private Void insert(Connection c, String key, String value) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO connector_state (integration_id, state_key, state_value, updated_at) VALUES (?, ?, ?, ?)")) {
                ps.setString(1, integrationId);
                ps.setString(2, key);
                ps.setString(3, value);
                ps.setTimestamp(4, Timestamp.from(Instant.now()));
                ps.executeUpdate();
                return null;
            } catch (SQLException e) {
                if (Database.isDuplicateKey(e)) {
                    throw new DuplicateKey();
                }
                throw e;
            }
        }

        /** One auto-committed statement; a database failure is an outage to the connector. */
        private <T> T call(Database.SqlWork<T> work) {
            try {
                return db.query(work);
            } catch (Database.StorageException e) {
                throw new TransientException("The host's state store is unavailable; try again", e);
            }
        }
    }

    /** The key exists already (another writer was first). */
    private static final class DuplicateKey extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DuplicateKey() {
            super(null, null, false, false);
        }
    }
}
