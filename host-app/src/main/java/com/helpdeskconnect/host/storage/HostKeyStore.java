package com.helpdeskconnect.host.storage;

import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Random keys the host makes for itself (the chat-link signing key), kept in the database sealed by
 * {@link SecretBox}, so every host process on one database uses the same key.
 */
public final class HostKeyStore {
    private static final Logger log = LoggerFactory.getLogger(HostKeyStore.class);
    private static final int KEY_BYTES = 32;

    private final Database db;
    private final SecretBox box;
    private final SecureRandom random = new SecureRandom();

    public HostKeyStore(Database db, SecretBox box) {
        this.db = db;
        this.box = box;
    }

    /**
     * The named key, created on first use. A key that no longer opens (the encryption key was
     * replaced) is replaced too: it only signs short-lived links, so losing it costs a new link.
     * Not on a shared database: there it means this host's encryption key or keyset differs from the
     * other hosts', which would also leave it unable to read their integrations, so it refuses.
     */
    public byte[] key(String name) {
        Optional<String> sealed = read(name);
        if (sealed.isPresent()) {
            try {
                return Base64.getDecoder().decode(box.open(sealed.get(), context(name)));
            } catch (IllegalStateException | IllegalArgumentException e) {
                if (db.shared()) {
                    throw new IllegalStateException("This host cannot open the secrets in the shared database: its encryption key "
                            + "or keyset differs from the one the other hosts use. Give every host the same key file and the "
                            + "keyset beside it (secret.key and secret.keyset.json), or the same HELPDESK_CONNECT_ENCRYPTION_KEY "
                            + "and keyset file; see docs/deployment.md");
                }
                log.warn("Host key '{}' cannot be opened with the current encryption key; making a new one", name);
                byte[] fresh = fresh();
                db.query(c -> {
                    try (PreparedStatement ps = c.prepareStatement("UPDATE host_keys SET value_sealed = ?, created_at = ? WHERE name = ?")) {
                        ps.setString(1, box.seal(Base64.getEncoder().encodeToString(fresh), context(name)));
                        ps.setTimestamp(2, Timestamp.from(Instant.now()));
                        ps.setString(3, name);
                        return ps.executeUpdate();
                    }
                });
                return fresh;
            }
        }
        byte[] fresh = fresh();
        try {
            db.query(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO host_keys (name, value_sealed, created_at) VALUES (?, ?, ?)")) {
                    ps.setString(1, name);
                    ps.setString(2, box.seal(Base64.getEncoder().encodeToString(fresh), context(name)));
                    ps.setTimestamp(3, Timestamp.from(Instant.now()));
                    return ps.executeUpdate();
                }
            });
            return fresh;
        } catch (Database.StorageException e) {
            if (e.getCause() instanceof SQLException sql && Database.isDuplicateKey(sql)) {
                return key(name); // another host process created it first
            }
            throw e;
        }
    }

    private Optional<String> read(String name) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT value_sealed FROM host_keys WHERE name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    private byte[] fresh() {
        byte[] key = new byte[KEY_BYTES];
        random.nextBytes(key);
        return key;
    }

    private static String context(String name) {
        return "host-key:" + name;
    }
}
