package com.helpdeskconnect.host.storage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The audit log of admin actions: append and read, newest first. Callers never pass secrets. */
public final class AuditStore {
    private static final int MAX_DETAIL = 2000;

    private final Database db;

    public AuditStore(Database db) {
        this.db = db;
    }

    /** One admin action. */
    public record Entry(long id, Instant at, String actorId, String actorName, String action, String target, String detail) {}

    public void append(String actorId, String actorName, String action, String target, String detail) {
        db.query(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_log (acted_at, actor_id, actor_name, action, target, detail) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setTimestamp(1, Timestamp.from(Instant.now()));
                ps.setString(2, actorId);
                ps.setString(3, actorName);
                ps.setString(4, action);
                ps.setString(5, target);
                ps.setString(6, detail == null || detail.length() <= MAX_DETAIL ? detail : detail.substring(0, MAX_DETAIL));
                return ps.executeUpdate();
            }
        });
    }

    /** Up to {@code limit} entries with an id below {@code before} (0: from the newest), newest first. */
    public List<Entry> recent(int limit, long before) {
        return db.read(c -> {
            List<Entry> entries = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, acted_at, actor_id, actor_name, action, target, detail FROM audit_log WHERE (? = 0 OR id < ?) ORDER BY id DESC LIMIT ?")) {
                ps.setLong(1, before);
                ps.setLong(2, before);
                ps.setInt(3, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        entries.add(new Entry(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4),
                                rs.getString(5), rs.getString(6), rs.getString(7)));
                    }
                }
            }
            return entries;
        });
    }
}
