package com.helpdeskconnect.host.storage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** API keys by id and by the SHA-256 of the key; the key itself is never stored. */
public final class ApiKeyStore {
    private final Database db;

    public ApiKeyStore(Database db) {
        this.db = db;
    }

    /** A stored key (no key material). Scopes and integrations as their wire names. */
    public record KeyRow(String id, String name, Set<String> integrations, Set<String> scopes, String createdBy,
                         Instant createdAt, Instant revokedAt) {
        public boolean revoked() {
            return revokedAt != null;
        }
    }

    public void insert(KeyRow row, String keyHash) {
        db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO api_keys (id, name, key_hash, integrations, scopes, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, row.id());
                ps.setString(2, row.name());
                ps.setString(3, keyHash);
                ps.setString(4, String.join(",", row.integrations()));
                ps.setString(5, String.join(",", row.scopes()));
                ps.setString(6, row.createdBy());
                ps.setTimestamp(7, Timestamp.from(row.createdAt()));
                return ps.executeUpdate();
            }
        });
    }

    public Optional<KeyRow> findByHash(String keyHash) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE key_hash = ?")) {
                ps.setString(1, keyHash);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(row(rs)) : Optional.empty();
                }
            }
        });
    }

    public Optional<KeyRow> find(String id) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(row(rs)) : Optional.empty();
                }
            }
        });
    }

    /** Every key, newest first, revoked ones included. */
    public List<KeyRow> list() {
        return db.read(c -> {
            List<KeyRow> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(SELECT + " ORDER BY created_at DESC, id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(row(rs));
                }
            }
            return rows;
        });
    }

    /** Marks the key revoked; false when there is no such key. Revoking twice keeps the first time. */
    public boolean revoke(String id) {
        return db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?")) {
                ps.setTimestamp(1, Timestamp.from(Instant.now()));
                ps.setString(2, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    private static final String SELECT = "SELECT id, name, integrations, scopes, created_by, created_at, revoked_at FROM api_keys";

    private static KeyRow row(ResultSet rs) throws SQLException {
        Timestamp revoked = rs.getTimestamp(7);
        return new KeyRow(rs.getString(1), rs.getString(2), split(rs.getString(3)), split(rs.getString(4)), rs.getString(5),
                rs.getTimestamp(6).toInstant(), revoked == null ? null : revoked.toInstant());
    }

    private static Set<String> split(String list) {
        Set<String> values = new LinkedHashSet<>();
        Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(values::add);
        return values;
    }
}
