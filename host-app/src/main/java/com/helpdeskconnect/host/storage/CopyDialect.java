package com.helpdeskconnect.host.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@link StoreCopy} must ask each store in its own words: its tables, the highest id each id
 * column has ever handed out (which may be above the highest id still stored: rows get deleted), and,
 * of a target, which columns hand out ids (PostgreSQL identity columns, SQLite {@code AUTOINCREMENT})
 * and how to make them hand out only higher ones. H2 is only a source (see {@link StoreCopy}).
 */
enum CopyDialect {
    H2, POSTGRES, SQLITE;

    static CopyDialect of(Connection c) throws SQLException {
        String product = c.getMetaData().getDatabaseProductName();
        return switch (product) {
            case "H2" -> H2;
            case "PostgreSQL" -> POSTGRES;
            case "SQLite" -> SQLITE;
            default -> throw new IllegalStateException("Not a store of the host: " + product);
        };
    }

    /** For messages: "H2", "PostgreSQL", "SQLite". */
    String display() {
        return switch (this) {
            case H2 -> "H2";
            case POSTGRES -> "PostgreSQL";
            case SQLITE -> "SQLite";
        };
    }

    /** The schema the host's tables are in (H2, PostgreSQL), or {@code null} (SQLite has one). */
    String schema(Connection c) throws SQLException {
        return this == SQLITE ? null : c.getSchema();
    }

    /** The names of the ordinary tables, as the store spells them (H2: upper case), Flyway's and SQLite's own included. */
    List<String> tables(Connection c) throws SQLException {
        List<String> names = new ArrayList<>();
        if (this == SQLITE) {
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            return names;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT table_name FROM information_schema.tables "
                + "WHERE table_schema = ? AND table_type = 'BASE TABLE' ORDER BY table_name")) {
            ps.setString(1, schema(c));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        }
        return names;
    }

    /** Whether a table is the store's own bookkeeping rather than the host's (SQLite's sqlite_sequence). */
    boolean internal(String table) {
        return this == SQLITE && table.toLowerCase(Locale.ROOT).startsWith("sqlite_");
    }

    /** The columns of target {@code table} (its name as {@link #tables} gave it) that hand out ids, lower case. */
    List<String> idColumns(Connection c, String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        switch (this) {
            case POSTGRES -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT column_name FROM information_schema.columns "
                        + "WHERE table_schema = ? AND table_name = ? AND (is_identity = 'YES' OR column_default LIKE 'nextval(%')")) {
                    ps.setString(1, schema(c));
                    ps.setString(2, table);
                    addLower(ps, columns);
                }
            }
            case SQLITE -> {
                // AUTOINCREMENT is only in the table's SQL; its column is the INTEGER PRIMARY KEY
                String sql;
                try (PreparedStatement ps = c.prepareStatement("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?")) {
                    ps.setString(1, table);
                    try (ResultSet rs = ps.executeQuery()) {
                        sql = rs.next() ? rs.getString(1) : null;
                    }
                }
                if (sql != null && sql.toUpperCase(Locale.ROOT).contains("AUTOINCREMENT")) {
                    try (ResultSet rs = c.getMetaData().getPrimaryKeys(null, null, table)) {
                        while (rs.next()) {
                            columns.add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                        }
                    }
                }
            }
            default -> throw new IllegalArgumentException(display() + " is not a target of store copy");
        }
        return columns;
    }

    /**
     * The highest id {@code column} has handed out, or 0 where it has handed out none (or the store
     * cannot tell; the caller also takes the highest id stored).
     */
    long highestIssued(Connection c, String table, String column) throws SQLException {
        switch (this) {
            case H2 -> {
                // IDENTITY_BASE is the next value the column hands out
                try (PreparedStatement ps = c.prepareStatement("SELECT identity_base FROM information_schema.columns "
                        + "WHERE table_schema = ? AND table_name = ? AND UPPER(column_name) = ?")) {
                    ps.setString(1, schema(c));
                    ps.setString(2, table);
                    ps.setString(3, column.toUpperCase(Locale.ROOT));
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() && rs.getObject(1) != null ? rs.getLong(1) - 1 : 0;
                    }
                }
            }
            case POSTGRES -> {
                String sequence = sequence(c, table, column);
                if (sequence == null) {
                    return 0;
                }
                // the name comes from pg_get_serial_sequence, quoted where it needs to be
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM " + sequence)) {
                    return rs.next() ? rs.getLong(1) : 0;
                }
            }
            case SQLITE -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT seq FROM sqlite_sequence WHERE name = ?")) {
                    ps.setString(1, table);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? rs.getLong(1) : 0;
                    }
                } catch (SQLException e) {
                    // no sqlite_sequence: no AUTOINCREMENT table has had a row yet
                    return 0;
                }
            }
            default -> throw new IllegalStateException(name());
        }
    }

    /** Makes target {@code column} hand out only ids above {@code issued} from now on, in the open transaction. */
    void continueAfter(Connection c, String table, String column, long issued) throws SQLException {
        switch (this) {
            case POSTGRES -> {
                String sequence = sequence(c, table, column);
                if (sequence != null) {
                    try (PreparedStatement ps = c.prepareStatement("SELECT setval(?::regclass, ?, true)")) {
                        ps.setString(1, sequence);
                        ps.setLong(2, issued);
                        ps.execute();
                    }
                }
            }
            case SQLITE -> {
                // inserting explicit ids has already raised sqlite_sequence to the highest one stored
                try (PreparedStatement ps = c.prepareStatement("UPDATE sqlite_sequence SET seq = ? WHERE name = ? AND seq < ?")) {
                    ps.setLong(1, issued);
                    ps.setString(2, table);
                    ps.setLong(3, issued);
                    if (ps.executeUpdate() > 0) {
                        return;
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO sqlite_sequence (name, seq) "
                        + "SELECT ?, ? WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ?)")) {
                    ps.setString(1, table);
                    ps.setLong(2, issued);
                    ps.setString(3, table);
                    ps.executeUpdate();
                }
            }
            default -> throw new IllegalArgumentException(display() + " is not a target of store copy");
        }
    }

    private static String sequence(Connection c, String table, String column) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_get_serial_sequence(?, ?)")) {
            ps.setString(1, table);
            ps.setString(2, column);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static void addLower(PreparedStatement ps, List<String> into) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                into.add(rs.getString(1).toLowerCase(Locale.ROOT));
            }
        }
    }
}
