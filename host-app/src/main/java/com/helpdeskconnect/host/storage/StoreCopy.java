package com.helpdeskconnect.host.storage;

import com.helpdeskconnect.host.config.HostConfig.DatabaseSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.sqlite.SQLiteConfig;

/**
 * Copies a host's data from one of its stores to another, for {@code helpdesk-connect store copy}: an
 * H2 data folder moving to SQLite, one host moving to PostgreSQL, or back. H2 is only ever a source
 * (moving its identity columns on is DDL, which H2 commits at once: the copy would no longer be one
 * transaction).
 *
 * <p>Both ends are opened as {@code serve} opens them, so Flyway brings both to this version's schema
 * first; they must then have the same tables and columns. Every table but Flyway's history is copied
 * (found in the schema, in foreign-key order), all columns by name, ids kept, in batches, into an empty
 * target in <b>one transaction</b>: a copy that fails or whose row counts differ leaves the target
 * empty, so it can simply be run again. Id columns then continue after the highest id the source ever
 * handed out. Values are copied as stored: sealed secrets stay sealed under the same key, so the target's
 * host needs the source's key and keyset. Timestamps become SQLite's epoch milliseconds (the host's own
 * precision there) and PostgreSQL {@code TIMESTAMP WITH TIME ZONE} the other way.
 *
 * <p>It refuses, before writing anything: a store in use (H2's file lock, the SQLite claim
 * {@link Database} holds, other host sessions on PostgreSQL), a target that holds data, a source that
 * holds no host data, the same store at both ends. Host sessions on a PostgreSQL end are looked for again just before
 * the commit (the copy's own are named apart): one that appeared meanwhile rolls the target back.
 */
public final class StoreCopy {
    private static final String HISTORY = "flyway_schema_history";
    /** The application name {@link Database} gives its PostgreSQL sessions; this tool's own are named apart. */
    private static final String HOST_SESSIONS = "helpdesk-connect";
    private static final String COPY_SESSIONS = "helpdesk-connect store copy";
    private static final Pattern PLAIN_NAME = Pattern.compile("[a-z_][a-z0-9_]*");
    private static final int POOL = 2;
    private static final int BATCH_ROWS = 500;
    /** Also flush a batch at about this many characters: transcript texts may each be up to a megabyte. */
    private static final long BATCH_CHARS = 4_000_000;
    private static final int FETCH_ROWS = 100;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private StoreCopy() {
    }

    /** One end of a copy: an H2 file, an SQLite file or a PostgreSQL database. */
    public static final class Store {
        /** What kind of store. */
        public enum Kind { H2, SQLITE, POSTGRES }

        private final Kind kind;
        private final Path dataDir;
        private final Path file;
        private final DatabaseSettings settings;

        private Store(Kind kind, Path dataDir, Path file, DatabaseSettings settings) {
            this.kind = kind;
            this.dataDir = dataDir.toAbsolutePath().normalize();
            this.file = file == null ? null : file.toAbsolutePath().normalize();
            this.settings = settings;
        }

        /**
         * The data folder's own store, as {@code serve} without a database URL opens it: H2 where the
         * folder has {@link Database#H2_FILE}, else SQLite in {@link Database#SQLITE_FILE}.
         */
        public static Store dataFolder(Path dataDir, Duration lease) {
            return Files.exists(dataDir.resolve(Database.H2_FILE)) ? h2(dataDir, lease) : sqliteIn(dataDir, lease);
        }

        /** The data folder's H2 file. */
        public static Store h2(Path dataDir, Duration lease) {
            return new Store(Kind.H2, dataDir, dataDir.resolve(Database.H2_FILE), DatabaseSettings.EMBEDDED.withLease(lease));
        }

        /** The SQLite file {@code serve} opens in a data folder without an H2 file. */
        public static Store sqliteIn(Path dataDir, Duration lease) {
            Path file = dataDir.toAbsolutePath().normalize().resolve(Database.SQLITE_FILE);
            return new Store(Kind.SQLITE, dataDir, file, new DatabaseSettings("jdbc:sqlite:" + file, null, null, lease));
        }

        /** The store a database URL names ({@code jdbc:sqlite:FILE} or {@code jdbc:postgresql://..}), credentials as {@code settings} give them. */
        public static Store url(Path dataDir, DatabaseSettings settings) {
            if (settings.url() == null) {
                return dataFolder(dataDir, settings.lease());
            }
            if (settings.sqlite()) {
                return new Store(Kind.SQLITE, dataDir, Database.sqliteFile(settings.url()), settings);
            }
            return new Store(Kind.POSTGRES, dataDir, null, settings);
        }

        public Kind kind() {
            return kind;
        }

        /** The file of an H2 or SQLite store, else {@code null}. */
        public Path file() {
            return file;
        }

        /** Where it is, for messages: never a password. */
        public String describe() {
            return switch (kind) {
                case H2 -> "H2 file " + file;
                case SQLITE -> "SQLite file " + file;
                case POSTGRES -> "PostgreSQL " + Database.Postgres.parse(settings).describe();
            };
        }

        /** The password this store's URL or settings carry, so that output can be scrubbed of it. */
        public Optional<String> password() {
            return kind == Kind.POSTGRES ? Optional.ofNullable(Database.Postgres.parse(settings).password()).filter(p -> !p.isEmpty())
                    : Optional.empty();
        }

        boolean sameAs(Store other) {
            if (kind != other.kind) {
                return false;
            }
            if (kind == Kind.POSTGRES) {
                return Database.Postgres.parse(settings).target().equalsIgnoreCase(Database.Postgres.parse(other.settings).target());
            }
            return real(file).equals(real(other.file));
        }

        private static Path real(Path p) {
            try {
                return Files.exists(p) ? p.toRealPath() : p;
            } catch (IOException e) {
                return p;
            }
        }

        Database open() {
            return switch (kind) {
                case H2 -> Database.openH2(dataDir, POOL, settings.lease());
                case SQLITE -> Database.open(dataDir, settings, POOL);
                // the pool's sessions named apart from a host's, which the copy watches for; a URL parameter wins over the pool's
                case POSTGRES -> Database.open(dataDir, new DatabaseSettings(settings.url() + (settings.url().contains("?") ? "&" : "?")
                        + "ApplicationName=" + COPY_SESSIONS.replace(" ", "%20"), settings.user(), settings.password(), settings.lease()), POOL);
            };
        }

        @Override
        public String toString() {
            return describe();
        }
    }

    /** Rows per table at both ends after the copy. */
    public record TableCount(String table, long source, long target) {
        public boolean matches() {
            return source == target;
        }
    }

    /**
     * What a copy did.
     *
     * @param schemaVersion the Flyway version both ends have
     * @param tables        every table copied, in copy order, with its rows at both ends
     * @param took          from opening the stores to the last count
     * @param movedAside    where the source's H2 file was moved (see {@link #copy}), if it was
     */
    public record Result(String schemaVersion, List<TableCount> tables, Duration took, Optional<Path> movedAside) {
        public boolean verified() {
            return tables.stream().allMatch(TableCount::matches);
        }

        public long rows() {
            return tables.stream().mapToLong(TableCount::target).sum();
        }
    }

    /** The copy was not started, or was undone, for a reason the operator can act on; the target holds nothing new. */
    public static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Refused(String message) {
            super(message);
        }
    }

    /**
     * Copies {@code from} into {@code to}. Where the target is a data folder's {@link Database#SQLITE_FILE}
     * and the source that folder's {@link Database#H2_FILE}, the H2 file is then renamed (never deleted)
     * to {@code helpdesk-connect.mv.db.copied-<UTC time>}, so that {@code serve} on the folder opens
     * SQLite; that happens only once every row count matched.
     *
     * @throws Refused a reason not to copy, or counts that differ (the target was rolled back)
     * @throws IllegalArgumentException {@code to} is an H2 file (see the class comment)
     * @throws RuntimeException a store could not be read or written (the target was rolled back)
     */
    public static Result copy(Store from, Store to) {
        long started = System.nanoTime();
        if (to.kind == Store.Kind.H2) {
            throw new IllegalArgumentException("H2 is not a target of store copy (" + to.describe() + "): copy into SQLite or PostgreSQL");
        }
        if (from.sameAs(to)) {
            throw new Refused("The source and the target are the same store (" + to.describe() + ")");
        }
        checkSource(from);
        boolean moveAside = checkTarget(from, to);
        Result result;
        try (Database source = open(from, "source"); Database target = open(to, "target")) {
            List<TableCount> counts = new ArrayList<>();
            String version = copy(from, source, to, target, counts);
            result = new Result(version, counts, Duration.ofNanos(System.nanoTime() - started), Optional.empty());
        }
        if (moveAside && result.verified()) {
            result = new Result(result.schemaVersion(), result.tables(), result.took(), Optional.of(moveAside(from.file)));
        }
        return result;
    }

    /** The source must hold host data: a file that exists and, for SQLite and PostgreSQL, Flyway's history. */
    private static void checkSource(Store from) {
        switch (from.kind) {
            case H2 -> {
                if (!Files.isRegularFile(from.file)) {
                    throw new Refused("There is no H2 file " + from.file + " to copy from");
                }
            }
            case SQLITE -> {
                if (!Files.isRegularFile(from.file)) {
                    throw new Refused("There is no database to copy from: " + from.file + " does not exist"
                            + (from.file.getFileName().toString().equals(Database.SQLITE_FILE)
                            ? " (nor " + Database.H2_FILE + " beside it)" : ""));
                }
                SQLiteConfig config = new SQLiteConfig();
                config.setReadOnly(true);
                try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + from.file, config.toProperties())) {
                    requireHistory(from, c, CopyDialect.SQLITE);
                } catch (SQLException e) {
                    throw new Refused("Cannot read the source, " + from.describe() + ": " + e.getMessage());
                }
            }
            case POSTGRES -> {
                try (Connection c = connect(from, "source")) {
                    requireHistory(from, c, CopyDialect.POSTGRES);
                    requireNoHosts(from, c, "source");
                } catch (SQLException e) {
                    throw new Refused("Cannot read the source, " + from.describe() + ": " + e.getMessage());
                }
            }
            default -> throw new IllegalStateException(from.kind.name());
        }
    }

    /** Returns whether the source's H2 file is to be moved aside once the copy is verified. */
    private static boolean checkTarget(Store from, Store to) {
        if (to.kind == Store.Kind.POSTGRES) {
            try (Connection c = connect(to, "target")) {
                requireNoHosts(to, c, "target");
            } catch (SQLException e) {
                throw new Refused("Cannot reach the target, " + to.describe() + ": " + e.getMessage());
            }
            return false;
        }
        if (to.kind == Store.Kind.SQLITE && to.file.getFileName().toString().equals(Database.SQLITE_FILE)) {
            Path h2 = to.file.resolveSibling(Database.H2_FILE);
            if (Files.exists(h2)) {
                if (from.kind == Store.Kind.H2 && Store.real(from.file).equals(Store.real(h2))) {
                    return true;
                }
                // serve would go on opening the H2 file and never see the copy
                throw new Refused("The folder " + to.file.getParent() + " holds an H2 file (" + Database.H2_FILE
                        + "), which serve opens instead of " + Database.SQLITE_FILE + ": copy from that file, or move it away first");
            }
        }
        return false;
    }

    private static Connection connect(Store store, String role) throws SQLException {
        Database.Postgres pg = Database.Postgres.parse(store.settings);
        Properties props = new Properties();
        if (pg.user() != null) {
            props.setProperty("user", pg.user());
        }
        if (pg.password() != null) {
            props.setProperty("password", pg.password());
        }
        props.setProperty("ApplicationName", COPY_SESSIONS);
        props.setProperty("connectTimeout", "10");
        try {
            return DriverManager.getConnection(pg.url(), props);
        } catch (SQLException e) {
            throw new Refused("Cannot connect to the " + role + ", " + store.describe() + ": " + e.getMessage());
        }
    }

    private static void requireHistory(Store store, Connection c, CopyDialect dialect) throws SQLException {
        boolean found = false;
        for (String table : dialect.tables(c)) {
            found |= table.equalsIgnoreCase(HISTORY);
        }
        if (!found) {
            throw new Refused("The source, " + store.describe() + ", holds no Helpdesk Connect data (it has no "
                    + HISTORY + " table)");
        }
    }

    /**
     * Host processes on a PostgreSQL store would write while the copy reads, or into the copy. A host
     * stopped a moment ago may still be listed while its server processes end: it gets a few seconds.
     */
    private static void requireNoHosts(Store store, Connection c, String role) throws SQLException {
        long sessions = hostSessions(c);
        for (int i = 0; i < 15 && sessions > 0; i++) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            sessions = hostSessions(c);
        }
        if (sessions > 0) {
            throw new Refused("The " + role + ", " + store.describe() + ", is in use: " + sessions
                    + " connection(s) of a running Helpdesk Connect. Stop every host on it first");
        }
    }

    /** Just before the commit: no grace for a host stopping, as none was there at the start. */
    private static void requireNoNewHosts(Store store, Connection c, String role) throws SQLException {
        // pg_stat_activity is read once per transaction and then kept: read it afresh
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_stat_clear_snapshot()");
        }
        long sessions = hostSessions(c);
        if (sessions > 0) {
            throw new Refused("The " + role + ", " + store.describe() + ", was opened by a running Helpdesk Connect during the copy ("
                    + sessions + " connection(s)), which may have written " + (role.equals("source") ? "after the copy's snapshot" : "into it")
                    + ": nothing was copied. "
                    + "Stop every host on it and run the copy again");
        }
    }

    private static long hostSessions(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM pg_stat_activity "
                + "WHERE datname = current_database() AND application_name = ? AND pid <> pg_backend_pid()")) {
            ps.setString(1, HOST_SESSIONS);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static Database open(Store store, String role) {
        try {
            return store.open();
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                String message = String.valueOf(t.getMessage());
                if (message.contains("Database may be already in use") || message.contains("file is locked")) {
                    throw new Refused("The " + role + ", " + store.describe() + ", is in use by a running host (or another "
                            + "helpdesk-connect command): stop it first; the copy needs the store to itself");
                }
            }
            if (e instanceof Refused) {
                throw e;
            }
            throw new IllegalStateException("Cannot open the " + role + ", " + store.describe() + ": " + Database.rootMessage(e), e);
        }
    }

    /** Renames the H2 file aside; never overwrites. */
    private static Path moveAside(Path h2) {
        String base = h2.getFileName() + ".copied-" + STAMP.format(Instant.now());
        for (int n = 0; ; n++) {
            Path aside = h2.resolveSibling(n == 0 ? base : base + "-" + n);
            try {
                // Files.move without REPLACE_EXISTING refuses an existing name: an earlier copy's file stays
                if (Files.exists(aside)) {
                    continue;
                }
                return Files.move(h2, aside);
            } catch (FileAlreadyExistsException e) {
                // taken meanwhile: the next name
            } catch (IOException e) {
                throw new UncheckedIOException("The copy is complete and verified, but " + h2 + " could not be renamed: "
                        + "serve would still open it. Rename or move it yourself", e);
            }
        }
    }

    // ---- the copy itself, on two open, migrated stores ----

    /** How a column's values are read and written between stores that spell them differently. */
    private enum Kind { TIMESTAMP, INT, LONG, TEXT, AS_IS }

    private record Column(String name, Kind kind, int targetType) {}

    private record Table(String name, String sourceName, String targetName, List<Column> columns, List<String> key,
                         List<String> ids) {}

    /** Copies every table in one target transaction; fills {@code counts}; returns the schema version. */
    private static String copy(Store fromStore, Database source, Store toStore, Database target, List<TableCount> counts) {
        Map<String, Long> sourceRows = new LinkedHashMap<>();
        List<Table> tables = new ArrayList<>();
        String[] version = new String[1];
        try (Connection in = source.dataSource().getConnection()) {
            CopyDialect from = CopyDialect.of(in);
            in.setAutoCommit(false);
            if (from == CopyDialect.POSTGRES) {
                // one snapshot of every table
                in.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                in.setReadOnly(true);
            }
            try {
                target.inTransaction(out -> {
                    CopyDialect to = CopyDialect.of(out);
                    if (to == CopyDialect.H2) {
                        throw new IllegalArgumentException("H2 is not a target of store copy");
                    }
                    version[0] = plan(in, from, out, to, tables);
                    for (Table table : tables) {
                        long expected = count(in, table.sourceName);
                        long copied = copyRows(in, from, out, to, table);
                        if (copied != expected) {
                            throw new Refused("Table " + table.name + ": read " + copied + " rows of " + expected + "; nothing was copied");
                        }
                        sourceRows.put(table.name, expected);
                    }
                    List<TableCount> before = new ArrayList<>();
                    for (Table table : tables) {
                        before.add(new TableCount(table.name, sourceRows.get(table.name), count(out, table.targetName)));
                    }
                    if (!before.stream().allMatch(TableCount::matches)) {
                        throw new Refused("Row counts differ, nothing was copied: " + mismatches(before));
                    }
                    // ids last: the counts above are the rows' own
                    for (Table table : tables) {
                        for (String id : table.ids) {
                            long issued = Math.max(from.highestIssued(in, table.sourceName, id), max(out, table.targetName, id));
                            if (issued > 0) {
                                to.continueAfter(out, table.targetName, id, issued);
                            }
                        }
                    }
                    // checked at the start, but a host started since on the source wrote after the snapshot (or into the target)
                    if (from == CopyDialect.POSTGRES) {
                        requireNoNewHosts(fromStore, in, "source");
                    }
                    if (to == CopyDialect.POSTGRES) {
                        requireNoNewHosts(toStore, out, "target");
                    }
                    return null;
                });
            } finally {
                in.rollback();
            }
        } catch (SQLException e) {
            throw new Database.StorageException(e);
        }
        // counted again once committed, as any later reader sees it
        target.read(out -> {
            for (Table table : tables) {
                counts.add(new TableCount(table.name, sourceRows.get(table.name), count(out, table.targetName)));
            }
            return null;
        });
        return version[0];
    }

    /**
     * Checks that both ends have the same schema and the target is empty, and lists the tables in an
     * order that puts every table after those its foreign keys point to.
     */
    private static String plan(Connection in, CopyDialect from, Connection out, CopyDialect to, List<Table> tables) throws SQLException {
        String sourceVersion = version(in);
        String targetVersion = version(out);
        if (!sourceVersion.equals(targetVersion)) {
            throw new Refused("The source is at schema version " + sourceVersion + " and the target at " + targetVersion
                    + ": both must be at this version's (start a host of this version on each, or use the matching version of this tool)");
        }
        Map<String, String> sourceTables = hostTables(in, from);
        Map<String, String> targetTables = hostTables(out, to);
        if (!sourceTables.keySet().equals(targetTables.keySet())) {
            throw new Refused("The source and the target have different tables: only in the source "
                    + minus(sourceTables.keySet(), targetTables.keySet()) + ", only in the target "
                    + minus(targetTables.keySet(), sourceTables.keySet()));
        }
        Map<String, Long> notEmpty = new TreeMap<>();
        for (Map.Entry<String, String> t : targetTables.entrySet()) {
            long rows = count(out, t.getValue());
            if (rows > 0) {
                notEmpty.put(t.getKey(), rows);
            }
        }
        if (!notEmpty.isEmpty()) {
            throw new Refused("The target already holds data (" + notEmpty.entrySet().stream()
                    .map(e -> e.getKey() + ": " + e.getValue() + (e.getValue() == 1 ? " row" : " rows")).reduce((a, b) -> a + ", " + b).orElse("")
                    + "): copy only into an empty database (a new PostgreSQL database, or an SQLite file that does not exist yet)");
        }
        Map<String, Table> byName = new TreeMap<>();
        for (String name : targetTables.keySet()) {
            String sourceName = sourceTables.get(name);
            String targetName = targetTables.get(name);
            Map<String, Integer> sourceColumns = columns(in, sourceName);
            Map<String, Integer> targetColumns = columns(out, targetName);
            if (!sourceColumns.keySet().equals(targetColumns.keySet())) {
                throw new Refused("Table " + name + " has different columns: only in the source "
                        + minus(sourceColumns.keySet(), targetColumns.keySet()) + ", only in the target "
                        + minus(targetColumns.keySet(), sourceColumns.keySet()));
            }
            List<Column> columns = new ArrayList<>();
            for (Map.Entry<String, Integer> c : targetColumns.entrySet()) {
                // SQLite declares timestamps INTEGER: the other end says what a column holds
                Integer type = to != CopyDialect.SQLITE ? c.getValue() : from != CopyDialect.SQLITE ? sourceColumns.get(c.getKey()) : null;
                columns.add(new Column(c.getKey(), kind(type), c.getValue()));
            }
            byName.put(name, new Table(name, sourceName, targetName, columns, primaryKey(out, to, targetName),
                    to.idColumns(out, targetName)));
        }
        tables.addAll(inDependencyOrder(out, to, byName));
        return sourceVersion;
    }

    /** Lower-case name to the name as the store spells it, Flyway's and the store's own tables left out. */
    private static Map<String, String> hostTables(Connection c, CopyDialect dialect) throws SQLException {
        Map<String, String> tables = new TreeMap<>();
        for (String table : dialect.tables(c)) {
            String name = table.toLowerCase(Locale.ROOT);
            if (name.equals(HISTORY) || dialect.internal(table)) {
                continue;
            }
            if (!PLAIN_NAME.matcher(name).matches()) {
                throw new Refused("Unexpected table " + table + " in the " + dialect.display() + " store");
            }
            tables.put(name, table);
        }
        return tables;
    }

    /** Column (lower case) to its JDBC type, in the table's order. */
    private static Map<String, Integer> columns(Connection c, String table) throws SQLException {
        Map<String, Integer> columns = new LinkedHashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + table + " WHERE 1 = 0")) {
            ResultSetMetaData md = rs.getMetaData();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                String name = md.getColumnName(i).toLowerCase(Locale.ROOT);
                if (!PLAIN_NAME.matcher(name).matches()) {
                    throw new Refused("Unexpected column " + md.getColumnName(i) + " in table " + table);
                }
                columns.put(name, md.getColumnType(i));
            }
        }
        return columns;
    }

    private static Kind kind(Integer type) {
        if (type == null) {
            return Kind.AS_IS;
        }
        return switch (type) {
            case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE -> Kind.TIMESTAMP;
            case Types.INTEGER, Types.SMALLINT, Types.TINYINT -> Kind.INT;
            case Types.BIGINT -> Kind.LONG;
            case Types.VARCHAR, Types.CHAR, Types.LONGVARCHAR, Types.CLOB, Types.NVARCHAR -> Kind.TEXT;
            default -> Kind.AS_IS;
        };
    }

    private static List<String> primaryKey(Connection c, CopyDialect dialect, String table) throws SQLException {
        Map<Short, String> key = new TreeMap<>();
        try (ResultSet rs = c.getMetaData().getPrimaryKeys(null, dialect.schema(c), table)) {
            while (rs.next()) {
                key.put(rs.getShort("KEY_SEQ"), rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
            }
        }
        return new ArrayList<>(key.values());
    }

    /** Kahn's algorithm over the target's foreign keys; ties by name, so the order is the same every time. */
    private static List<Table> inDependencyOrder(Connection c, CopyDialect dialect, Map<String, Table> tables) throws SQLException {
        DatabaseMetaData md = c.getMetaData();
        Map<String, Set<String>> needs = new TreeMap<>();
        for (Table table : tables.values()) {
            Set<String> parents = new TreeSet<>();
            try (ResultSet rs = md.getImportedKeys(null, dialect.schema(c), table.targetName)) {
                while (rs.next()) {
                    String parent = rs.getString("PKTABLE_NAME").toLowerCase(Locale.ROOT);
                    if (!parent.equals(table.name) && tables.containsKey(parent)) {
                        parents.add(parent);
                    }
                }
            }
            needs.put(table.name, parents);
        }
        List<Table> ordered = new ArrayList<>();
        while (!needs.isEmpty()) {
            String next = needs.entrySet().stream().filter(e -> e.getValue().isEmpty()).map(Map.Entry::getKey).findFirst()
                    .orElseThrow(() -> new Refused("The foreign keys between " + needs.keySet() + " form a cycle: no order to copy them in"));
            needs.remove(next);
            needs.values().forEach(parents -> parents.remove(next));
            ordered.add(tables.get(next));
        }
        return ordered;
    }

    private static long copyRows(Connection in, CopyDialect from, Connection out, CopyDialect to, Table table) throws SQLException {
        String names = String.join(", ", table.columns.stream().map(Column::name).toList());
        String select = "SELECT " + names + " FROM " + table.sourceName
                + (table.key.isEmpty() ? "" : " ORDER BY " + String.join(", ", table.key));
        String insert = "INSERT INTO " + table.targetName + " (" + names + ") VALUES ("
                + String.join(", ", Collections.nCopies(table.columns.size(), "?")) + ")";
        long rows = 0;
        long written = 0;
        try (PreparedStatement read = in.prepareStatement(select, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
             PreparedStatement write = out.prepareStatement(insert)) {
            read.setFetchSize(FETCH_ROWS);
            try (ResultSet rs = read.executeQuery()) {
                long chars = 0;
                while (rs.next()) {
                    for (int i = 0; i < table.columns.size(); i++) {
                        chars += transfer(rs, from, write, to, i + 1, table.columns.get(i));
                    }
                    write.addBatch();
                    rows++;
                    if (rows - written >= BATCH_ROWS || chars >= BATCH_CHARS) {
                        write.executeBatch();
                        written = rows;
                        chars = 0;
                    }
                }
                if (rows > written) {
                    write.executeBatch();
                    written = rows;
                }
            }
        } catch (SQLException e) {
            // which table and about where; never the values (sealed secrets, customers' messages)
            SQLException next = e.getNextException();
            throw new SQLException("Table " + table.name + " (after " + written + " rows): " + e.getMessage()
                    + (next != null && next.getMessage() != null && !String.valueOf(e.getMessage()).contains(next.getMessage())
                    ? " (" + next.getMessage() + ")" : ""), e.getSQLState(), e);
        }
        return rows;
    }

    /** Reads column {@code i} and binds it; returns about how many characters it holds. */
    private static long transfer(ResultSet rs, CopyDialect from, PreparedStatement ps, CopyDialect to, int i, Column column)
            throws SQLException {
        switch (column.kind) {
            case TIMESTAMP -> {
                Instant at = readInstant(rs, from, i);
                if (at == null) {
                    ps.setNull(i, column.targetType);
                } else if (to == CopyDialect.SQLITE) {
                    // as the host writes it there: sqlite-jdbc stores epoch milliseconds
                    ps.setTimestamp(i, Timestamp.from(at));
                } else {
                    ps.setObject(i, at.atOffset(ZoneOffset.UTC));
                }
                return 8;
            }
            case INT, LONG -> {
                Long value = readLong(rs, from, i);
                if (value == null) {
                    ps.setNull(i, column.targetType);
                } else if (column.kind == Kind.INT && to != CopyDialect.SQLITE) {
                    ps.setInt(i, Math.toIntExact(value));
                } else {
                    ps.setLong(i, value);
                }
                return 8;
            }
            case TEXT -> {
                String value = rs.getString(i);
                if (value == null) {
                    ps.setNull(i, column.targetType);
                    return 0;
                }
                ps.setString(i, value);
                return value.length();
            }
            default -> {
                Object value = rs.getObject(i);
                if (value == null) {
                    ps.setNull(i, column.targetType);
                    return 0;
                }
                ps.setObject(i, value);
                return value instanceof String s ? s.length() : 8;
            }
        }
    }

    private static Instant readInstant(ResultSet rs, CopyDialect from, int i) throws SQLException {
        if (from != CopyDialect.SQLITE) {
            OffsetDateTime at = rs.getObject(i, OffsetDateTime.class);
            return at == null ? null : at.toInstant();
        }
        Object raw = rs.getObject(i);
        if (raw == null) {
            return null;
        }
        if (raw instanceof Number n) {
            return Instant.ofEpochMilli(n.longValue());
        }
        // a timestamp stored as text: sqlite-jdbc parses its own formats
        Timestamp at = rs.getTimestamp(i);
        return at == null ? null : at.toInstant();
    }

    private static Long readLong(ResultSet rs, CopyDialect from, int i) throws SQLException {
        if (from != CopyDialect.SQLITE) {
            long value = rs.getLong(i);
            return rs.wasNull() ? null : value;
        }
        // SQLite keeps any value in any column: refuse what is not a whole number rather than read it as 0
        Object raw = rs.getObject(i);
        if (raw == null) {
            return null;
        }
        if (raw instanceof Number n) {
            return n.longValue();
        }
        try {
            return Long.parseLong(raw.toString().trim());
        } catch (NumberFormatException e) {
            throw new SQLException("A non-numeric value in the numeric column " + rs.getMetaData().getColumnName(i));
        }
    }

    private static String version(Connection c) throws SQLException {
        String version = null;
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT \"version\", \"success\" FROM \"" + HISTORY + "\" ORDER BY \"installed_rank\"")) {
            while (rs.next()) {
                if (rs.getString(1) != null && rs.getBoolean(2)) {
                    version = rs.getString(1);
                }
            }
        }
        if (version == null) {
            throw new Refused("A store without a migrated schema");
        }
        return version;
    }

    private static long count(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long max(Connection c, String table, String column) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT MAX(" + column + ") FROM " + table)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private static Set<String> minus(Set<String> a, Set<String> b) {
        Set<String> rest = new TreeSet<>(a);
        rest.removeAll(b);
        return rest;
    }

    private static String mismatches(List<TableCount> counts) {
        return String.join(", ", counts.stream().filter(c -> !c.matches())
                .map(c -> c.table() + " " + c.source() + " in the source, " + c.target() + " in the target").toList());
    }
}
