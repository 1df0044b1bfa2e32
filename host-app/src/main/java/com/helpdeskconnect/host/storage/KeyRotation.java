package com.helpdeskconnect.host.storage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code helpdesk-connect keys rotate}: a new primary key in the keyset, then every sealed value
 * in the database opened and sealed again under it, in one transaction. Values of the first release
 * (AES-GCM under the master key) are migrated the same way. Run it with the host stopped: the
 * embedded database admits one process.
 */
public final class KeyRotation {
    /** What a rotation did. */
    public record Result(int primaryKeyId, int keys, int resealed, int migratedFromV1) {}

    /** A sealed column and the context its rows are bound to. */
    private record Column(String table, String idColumn, String column, String contextPrefix, String contextColumn) {}

    private static final List<Column> COLUMNS = List.of(
            new Column("integrations", "id", "settings_sealed", "settings:", "id"),
            new Column("integrations", "id", "webhook_secret_sealed", "webhook:", "id"),
            new Column("integrations", "id", "callback_secret_sealed", "callback:", "id"),
            new Column("webhook_inbox", "id", "request_sealed", "webhook-inbox:", "integration_id"));

    private KeyRotation() {}

    public static Result rotate(Database db, SecretBox box) {
        int primary = box.rotate();
        int[] counts = db.inTransaction(c -> {
            int resealed = 0;
            int legacy = 0;
            for (Column col : COLUMNS) {
                List<Object[]> rows = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT " + col.idColumn() + ", " + col.column() + ", "
                        + col.contextColumn() + " FROM " + col.table() + " WHERE " + col.column() + " IS NOT NULL");
                     ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new Object[] {rs.getObject(1), rs.getString(2), rs.getString(3)});
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("UPDATE " + col.table() + " SET " + col.column()
                        + " = ? WHERE " + col.idColumn() + " = ?")) {
                    for (Object[] row : rows) {
                        String sealed = (String) row[1];
                        String context = col.contextPrefix() + row[2];
                        if (sealed.startsWith("v1:")) {
                            legacy++;
                        }
                        ps.setString(1, box.seal(box.open(sealed, context), context));
                        ps.setObject(2, row[0]);
                        ps.executeUpdate();
                        resealed++;
                    }
                }
            }
            return new int[] {resealed, legacy};
        });
        return new Result(primary, box.keyCount(), counts[0], counts[1]);
    }
}
