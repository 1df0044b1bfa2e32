package com.helpdeskconnect.host.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.helpdeskconnect.host.config.HostConfig;
import com.helpdeskconnect.host.config.HostConfig.DatabaseSettings;
import com.helpdeskconnect.host.http.Json;
import com.helpdeskconnect.host.storage.StoreCopy.Store;
import com.helpdeskconnect.host.testing.HostFixture;
import com.helpdeskconnect.host.testing.SampleData;
import com.helpdeskconnect.host.testing.TestPostgres;
import com.helpdeskconnect.host.testing.TestStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link StoreCopy} between real stores: data written by a real host, copied, and a host on the copy
 * that reads it the same and carries on; and every refusal, with the target left as it was. The
 * PostgreSQL cases are skipped, saying why, where no PostgreSQL can be had ({@link TestPostgres}).
 */
class StoreCopyTest {
    private static final String ADMIN_TOKEN = "hca_store-copy-test-admin-token";
    private static final Duration LEASE = DatabaseSettings.DEFAULT_LEASE;
    /** Every table of the schema but Flyway's history. */
    private static final List<String> TABLES = List.of("api_keys", "audit_log", "callback_outbox", "connector_state",
            "conversations", "host_keys", "integrations", "outbox", "processed_events", "skipped_steps", "transcript", "webhook_inbox");

    @TempDir
    Path dir;

    static Stream<Arguments> moves() {
        return Stream.of(
                Arguments.of(TestStore.Kind.EMBEDDED, TestStore.Kind.SQLITE),
                Arguments.of(TestStore.Kind.EMBEDDED, TestStore.Kind.POSTGRES),
                Arguments.of(TestStore.Kind.SQLITE, TestStore.Kind.POSTGRES),
                Arguments.of(TestStore.Kind.POSTGRES, TestStore.Kind.SQLITE));
    }

    @ParameterizedTest(name = "{0} to {1}")
    @MethodSource("moves")
    void aHostOnTheCopyReadsTheSameDataAndCarriesOn(TestStore.Kind fromKind, TestStore.Kind toKind) throws Exception {
        TestPostgres.Database pg = fromKind == TestStore.Kind.POSTGRES || toKind == TestStore.Kind.POSTGRES ? TestPostgres.database() : null;
        try (pg) {
            Path dataA = dir.resolve("a").resolve("data");
            Path keyFile = dataA.resolve("secret.key");
            if (fromKind == TestStore.Kind.EMBEDDED) {
                // a data folder made before SQLite became the default
                Database.openH2(dataA, 2, LEASE).close();
            }
            SampleData.Written written;
            try (HostFixture a = HostFixture.start(dir.resolve("a"), on(fromKind, pg, keyFile))) {
                written = SampleData.write(a.api, a.port(), a.journal);
            }
            // more than a batch of rows, one of them large, and an id gap above the highest stored (a deleted row)
            long deletedAuditId;
            try (Database source = open(fromKind, dataA, pg)) {
                ConnectorStateStore states = new ConnectorStateStore(source);
                for (int i = 0; i < 1200; i++) {
                    states.forIntegration("acme").put("entry:" + i, "value " + i);
                }
                states.forIntegration("acme").put("big", "x".repeat(60_000));
                deletedAuditId = source.query(c -> {
                    long max = single(c, "SELECT MAX(id) FROM audit_log");
                    try (Statement s = c.createStatement()) {
                        s.executeUpdate("DELETE FROM audit_log WHERE id = " + max);
                    }
                    return max;
                });
            }
            Map<String, List<String>> sourceRows = dump(fromKind, dataA, pg);

            boolean sameFolder = toKind == TestStore.Kind.SQLITE && fromKind == TestStore.Kind.EMBEDDED;
            Path dataB = sameFolder ? dataA : dir.resolve("b").resolve("data");
            StoreCopy.Result result = StoreCopy.copy(store(fromKind, dataA, pg), store(toKind, dataB, pg));

            assertThat(result.verified()).isTrue();
            assertThat(result.schemaVersion()).isNotBlank();
            assertThat(result.tables()).extracting(StoreCopy.TableCount::table).containsExactlyInAnyOrderElementsOf(TABLES);
            assertThat(result.tables()).filteredOn(t -> t.table().equals("connector_state")).singleElement()
                    .satisfies(t -> assertThat(t.target()).isGreaterThan(1200));
            assertThat(dump(toKind, dataB, pg)).isEqualTo(sourceRows);
            if (sameFolder) {
                // serve on the folder now opens SQLite; the H2 file is kept beside it under another name
                assertThat(dataA.resolve(Database.H2_FILE)).doesNotExist();
                assertThat(result.movedAside()).hasValueSatisfying(p -> {
                    assertThat(p).exists().hasParent(dataA);
                    assertThat(p.getFileName().toString()).startsWith(Database.H2_FILE + ".copied-");
                });
            } else {
                assertThat(result.movedAside()).isEmpty();
            }

            Path hostB = sameFolder ? dir.resolve("a") : dir.resolve("b");
            try (HostFixture b = HostFixture.start(hostB, on(toKind, pg, keyFile))) {
                SampleData.readsTheSame(b.api, b.port(), dir.resolve("a").resolve("helpdesk-journal.txt"), written);
                b.api.createKey("after-the-move", List.of("acme"), List.of("conversations:read"));
            }
            try (Database target = open(toKind, dataB, pg)) {
                assertThat(target.sqlite()).isEqualTo(toKind == TestStore.Kind.SQLITE);
                // ids continue above the highest the source ever handed out, not only above the highest it still held
                assertThat(target.<Long>query(c -> single(c, "SELECT MAX(id) FROM audit_log"))).isGreaterThan(deletedAuditId);
            }
        }
    }

    @Test
    void aTargetThatHoldsDataIsRefusedAndKeepsIt() {
        Path source = dir.resolve("source");
        Path target = dir.resolve("target");
        saveIntegration(Database.open(source, 2), source, "acme");
        saveIntegration(Database.open(target, 2), target, "other");

        assertThatThrownBy(() -> StoreCopy.copy(Store.dataFolder(source, LEASE), Store.dataFolder(target, LEASE)))
                .isInstanceOf(StoreCopy.Refused.class)
                .hasMessageStartingWith("The target already holds data (integrations: 1 row): copy only into an empty database");
        try (Database db = Database.open(target, 2)) {
            assertThat(db.<Long>query(c -> single(c, "SELECT COUNT(*) FROM integrations WHERE id = 'other'"))).isEqualTo(1);
            assertThat(db.<Long>query(c -> single(c, "SELECT COUNT(*) FROM integrations"))).isEqualTo(1);
        }
    }

    @Test
    void aFailedCopyLeavesTheTargetEmptySoItCanRunAgain() throws Exception {
        Path source = dir.resolve("source");
        saveIntegration(Database.open(source, 2), source, "acme");
        try (Database db = Database.open(source, 2)) {
            db.query(c -> update(c, "INSERT INTO outbox (conversation_id, integration_id, event_id, operation, payload, state, "
                            + "attempts, next_attempt_at, accepted_at) VALUES ('c1', 'acme', 'e1', 'CREATE_CASE', '{}', 'PENDING', "
                            + "2, 0, 0)"));
        }
        Path target = dir.resolve("target");
        try (Database db = Database.open(target, 2)) {
            // the target refuses outbox rows, after integrations were already copied
            db.query(c -> update(c, "CREATE TRIGGER refuse BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"));
        }

        assertThatThrownBy(() -> StoreCopy.copy(Store.dataFolder(source, LEASE), Store.sqliteIn(target, LEASE)))
                .hasMessageContaining("Table outbox").hasMessageContaining("refused by the test");
        try (Database copy = Database.open(target, 2)) {
            assertThat(copy.<Long>query(c -> single(c, "SELECT COUNT(*) FROM integrations"))).isZero();
            assertThat(copy.<Long>query(c -> single(c, "SELECT COUNT(*) FROM outbox"))).isZero();
            copy.query(c -> update(c, "DROP TRIGGER refuse"));
        }

        StoreCopy.Result again = StoreCopy.copy(Store.dataFolder(source, LEASE), Store.sqliteIn(target, LEASE));
        assertThat(again.verified()).isTrue();
        assertThat(again.rows()).isGreaterThanOrEqualTo(2);
        try (Database copy = Database.open(target, 2)) {
            assertThat(copy.<Long>query(c -> single(c, "SELECT attempts FROM outbox"))).isEqualTo(2);
            // the id continues after the copied one
            long id = copy.query(c -> {
                update(c, "INSERT INTO outbox (conversation_id, integration_id, event_id, operation, payload, "
                        + "state, attempts, next_attempt_at, accepted_at) VALUES ('c1', 'acme', 'e2', 'CREATE_CASE', '{}', 'PENDING', "
                        + "0, 0, 0)");
                return single(c, "SELECT MAX(id) FROM outbox");
            });
            assertThat(id).isEqualTo(2);
        }
    }

    @Test
    void aSourceValueTheTargetCannotHoldFailsTheCopy() throws Exception {
        try (TestPostgres.Database pg = TestPostgres.database()) {
            Path source = dir.resolve("source");
            saveIntegration(Database.open(source, 2), source, "acme");
            try (Database db = Database.open(source, 2)) {
                // SQLite keeps text in an INTEGER column; PostgreSQL cannot take it
                db.query(c -> update(c, "INSERT INTO outbox (conversation_id, integration_id, event_id, operation, payload, state, "
                        + "attempts, next_attempt_at, accepted_at) VALUES ('c1', 'acme', 'e1', 'CREATE_CASE', '{}', 'PENDING', "
                        + "'many', 0, 0)"));
            }
            assertThatThrownBy(() -> StoreCopy.copy(Store.dataFolder(source, LEASE), Store.url(source, pg.settings())))
                    .hasMessageContaining("Table outbox").hasMessageContaining("non-numeric");
            try (Database copy = Database.open(source, pg.settings(), 2)) {
                assertThat(copy.<Long>query(c -> single(c, "SELECT COUNT(*) FROM integrations"))).isZero();
            }
        }
    }

    @Test
    void anH2TargetIsRefusedBeforeAnythingIsOpened() {
        Path source = dir.resolve("source");
        saveIntegration(Database.open(source, 2), source, "acme");
        Path target = dir.resolve("target");
        // H2 would commit mid-copy when its identity columns are moved on (DDL): an old folder only ever moves away from H2
        assertThatThrownBy(() -> StoreCopy.copy(Store.dataFolder(source, LEASE), Store.h2(target, LEASE)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("H2 is not a target of store copy (H2 file " + target.toAbsolutePath().resolve(Database.H2_FILE)
                        + "): copy into SQLite or PostgreSQL");
        assertThat(target).doesNotExist();
    }

    @Test
    void differentColumnsAreRefused() {
        Path source = dir.resolve("source");
        saveIntegration(Database.open(source, 2), source, "acme");
        Path target = dir.resolve("target");
        try (Database db = Database.open(target, 2)) {
            db.query(c -> update(c, "ALTER TABLE host_keys ADD COLUMN extra TEXT"));
        }
        assertThatThrownBy(() -> StoreCopy.copy(Store.dataFolder(source, LEASE), Store.dataFolder(target, LEASE)))
                .isInstanceOf(StoreCopy.Refused.class)
                .hasMessage("Table host_keys has different columns: only in the source [], only in the target [extra]");
    }

    @Test
    void theSameStoreOrNoSourceIsRefusedBeforeAnythingIsOpened() {
        Path data = dir.resolve("data");
        assertThatThrownBy(() -> StoreCopy.copy(Store.dataFolder(data, LEASE), Store.sqliteIn(data, LEASE)))
                .isInstanceOf(StoreCopy.Refused.class)
                .hasMessage("The source and the target are the same store (SQLite file " + data.toAbsolutePath().resolve("helpdesk-connect.db") + ")");
        assertThatThrownBy(() -> StoreCopy.copy(Store.dataFolder(data, LEASE), Store.sqliteIn(dir.resolve("elsewhere"), LEASE)))
                .isInstanceOf(StoreCopy.Refused.class)
                .hasMessageStartingWith("There is no database to copy from: " + data.toAbsolutePath().resolve("helpdesk-connect.db")
                        + " does not exist (nor helpdesk-connect.mv.db beside it)");
        assertThat(dir.resolve("elsewhere")).doesNotExist();
    }

    @Test
    void anSqliteFileBesideAnH2FileIsNotATargetOfAnotherSource() {
        Path source = dir.resolve("source");
        saveIntegration(Database.open(source, 2), source, "acme");
        Path old = dir.resolve("old");
        Database.openH2(old, 2, LEASE).close();
        assertThatThrownBy(() -> StoreCopy.copy(Store.dataFolder(source, LEASE), Store.sqliteIn(old, LEASE)))
                .isInstanceOf(StoreCopy.Refused.class)
                .hasMessageContaining("holds an H2 file (helpdesk-connect.mv.db), which serve opens instead of helpdesk-connect.db");
    }

    @Test
    void aPostgresTargetWithARunningHostIsRefused() {
        try (TestPostgres.Database pg = TestPostgres.database()) {
            Path source = dir.resolve("source");
            saveIntegration(Database.open(source, 2), source, "acme");
            try (HostFixture host = HostFixture.start(dir.resolve("host"), on(TestStore.Kind.POSTGRES, pg, dir.resolve("host.key")))) {
                assertThat(host.port()).isPositive();
                assertThatThrownBy(() -> StoreCopy.copy(Store.dataFolder(source, LEASE), Store.url(source, pg.settings())))
                        .isInstanceOf(StoreCopy.Refused.class)
                        .hasMessageStartingWith("The target, PostgreSQL " + pg.url().substring("jdbc:postgresql://".length())
                                + " as user '" + pg.user() + "', is in use: ")
                        .hasMessageEndingWith("connection(s) of a running Helpdesk Connect. Stop every host on it first");
            }
        }
    }

    @Test
    void aHostStartedOnAPostgresSourceDuringTheCopyUndoesIt() throws Exception {
        try (TestPostgres.Database pg = TestPostgres.database()) {
            saveIntegration(Database.open(dir, pg.settings(), 2), dir, "acme");
            Path target = dir.resolve("target");
            var copy = java.util.concurrent.Executors.newSingleThreadExecutor();
            try (Connection blocker = pg.connect(); Connection watcher = pg.connect()) {
                // holds the copy inside its snapshot, past the check at the start
                blocker.setAutoCommit(false);
                update(blocker, "LOCK TABLE integrations IN ACCESS EXCLUSIVE MODE");
                var running = copy.submit(() -> StoreCopy.copy(Store.url(dir, pg.settings()), Store.sqliteIn(target, LEASE)));
                // watched from an auto-commit session: inside a transaction PostgreSQL keeps its first view of pg_stat_activity
                org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> running.isDone() || single(watcher,
                        "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = 'helpdesk-connect store copy' "
                                + "AND wait_event_type = 'Lock'") > 0);
                assertThat(running.isDone()).as("the copy ended before it reached the locked table").isFalse();
                java.util.Properties host = new java.util.Properties();
                host.setProperty("user", pg.user());
                host.setProperty("password", pg.password());
                host.setProperty("ApplicationName", "helpdesk-connect");
                try (Connection started = java.sql.DriverManager.getConnection(pg.url(), host)) {
                    assertThat(started.isValid(5)).isTrue();
                    blocker.rollback();
                    assertThatThrownBy(() -> running.get(60, java.util.concurrent.TimeUnit.SECONDS))
                            .cause().isInstanceOf(StoreCopy.Refused.class)
                            .hasMessage("The source, PostgreSQL " + pg.url().substring("jdbc:postgresql://".length()) + " as user '"
                                    + pg.user() + "', was opened by a running Helpdesk Connect during the copy (1 connection(s)), "
                                    + "which may have written after the copy's snapshot: nothing was copied. Stop every host on it "
                                    + "and run the copy again");
                }
            } finally {
                copy.shutdownNow();
            }
            try (Database db = Database.open(target, 2)) {
                assertThat(db.<Long>query(c -> single(c, "SELECT COUNT(*) FROM integrations"))).isZero();
            }
            // with the host gone the same copy goes through
            StoreCopy.Result result = StoreCopy.copy(Store.url(dir, pg.settings()), Store.sqliteIn(target, LEASE));
            assertThat(result.verified()).isTrue();
            assertThat(result.tables()).filteredOn(t -> t.table().equals("integrations")).singleElement()
                    .satisfies(t -> assertThat(t.target()).isEqualTo(1));
        }
    }

    @Test
    void aPostgresSourceWithoutHostDataIsRefusedAndNotMigrated() throws Exception {
        try (TestPostgres.Database pg = TestPostgres.database()) {
            assertThatThrownBy(() -> StoreCopy.copy(Store.url(dir, pg.settings()), Store.sqliteIn(dir.resolve("target"), LEASE)))
                    .isInstanceOf(StoreCopy.Refused.class)
                    .hasMessageContaining("holds no Helpdesk Connect data (it has no flyway_schema_history table)");
            try (Connection c = pg.connect(); ResultSet rs = c.getMetaData().getTables(null, "public", "%", new String[] {"TABLE"})) {
                assertThat(rs.next()).isFalse();
            }
        }
    }

    // ---- helpers ----

    private static UnaryOperator<HostConfig> on(TestStore.Kind kind, TestPostgres.Database pg, Path keyFile) {
        return c -> {
            HostConfig config = c.withAdminToken(ADMIN_TOKEN).withKeyFile(keyFile);
            return kind == TestStore.Kind.POSTGRES ? config.withDatabase(pg.settings()) : config;
        };
    }

    private static Store store(TestStore.Kind kind, Path dataDir, TestPostgres.Database pg) {
        return switch (kind) {
            case EMBEDDED -> Store.h2(dataDir, LEASE);
            case SQLITE -> Store.sqliteIn(dataDir, LEASE);
            case POSTGRES -> Store.url(dataDir, pg.settings());
        };
    }

    private static Database open(TestStore.Kind kind, Path dataDir, TestPostgres.Database pg) {
        return switch (kind) {
            case EMBEDDED -> Database.openH2(dataDir, 2, LEASE);
            case SQLITE -> Database.open(dataDir, new DatabaseSettings(TestStore.sqliteUrl(dataDir), null, null, LEASE), 2);
            case POSTGRES -> Database.open(dataDir, pg.settings(), 2);
        };
    }

    private static void saveIntegration(Database db, Path dataDir, String id) {
        try (db) {
            new IntegrationStore(db, SecretBox.load(null, dataDir.resolve("secret.key")), Json.mapper())
                    .save(id, "fakedesk", Map.of("password", "good"), "w", null, "c", Map.of());
        }
    }

    /**
     * Every row of every table as text, sorted, with values as the host reads them: timestamps as
     * epoch milliseconds (SQLite's precision), numbers as numbers, so two kinds of store compare.
     */
    private static Map<String, List<String>> dump(TestStore.Kind kind, Path dataDir, TestPostgres.Database pg) {
        try (Database db = open(kind, dataDir, pg)) {
            return db.query(c -> {
                Map<String, List<String>> tables = new TreeMap<>();
                for (String table : TABLES) {
                    List<String> rows = new ArrayList<>();
                    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
                        ResultSetMetaData md = rs.getMetaData();
                        while (rs.next()) {
                            Map<String, Object> row = new TreeMap<>();
                            for (int i = 1; i <= md.getColumnCount(); i++) {
                                row.put(md.getColumnName(i).toLowerCase(java.util.Locale.ROOT), normalized(rs.getObject(i)));
                            }
                            rows.add(row.toString());
                        }
                    }
                    rows.sort(null);
                    tables.put(table, rows);
                }
                return tables;
            });
        }
    }

    private static Object normalized(Object value) {
        if (value instanceof OffsetDateTime t) {
            return t.toInstant().toEpochMilli();
        }
        if (value instanceof Timestamp t) {
            return t.getTime();
        }
        if (value instanceof Instant t) {
            return t.toEpochMilli();
        }
        if (value instanceof Number n) {
            return n.longValue();
        }
        return value;
    }

    private static int update(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            return s.executeUpdate(sql);
        }
    }

    private static long single(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
