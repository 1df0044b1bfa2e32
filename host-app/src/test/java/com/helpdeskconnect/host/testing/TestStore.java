package com.helpdeskconnect.host.testing;

import com.helpdeskconnect.host.config.HostConfig.DatabaseSettings;
import com.helpdeskconnect.host.storage.Database;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One store for a storage test, of any kind: storage tests take a {@link Kind} parameter and run
 * against each ({@code @EnumSource(TestStore.Kind.class)}); the PostgreSQL run is skipped, saying
 * why, where no PostgreSQL can be had (see {@link TestPostgres}).
 */
public final class TestStore implements AutoCloseable {
    /** Which database: EMBEDDED is the H2 file (data folders made before SQLite became the default), SQLITE the default of a new one. */
    public enum Kind { EMBEDDED, SQLITE, POSTGRES }

    private final Path dataDir;
    private final TestPostgres.Database postgres;
    private final boolean sqlite;

    private TestStore(Path dataDir, TestPostgres.Database postgres, boolean sqlite) {
        this.dataDir = dataDir;
        this.postgres = postgres;
        this.sqlite = sqlite;
    }

    /** An empty store: an H2 file in {@code dir}, an SQLite file in {@code dir}, or a fresh PostgreSQL database. */
    public static TestStore of(Kind kind, Path dir) {
        return new TestStore(dir.resolve("data"), kind == Kind.POSTGRES ? TestPostgres.database() : null, kind == Kind.SQLITE);
    }

    /** Settings that name this store. */
    public DatabaseSettings settings() {
        if (sqlite) {
            return new DatabaseSettings(sqliteUrl(dataDir), null, null, DatabaseSettings.DEFAULT_LEASE);
        }
        return postgres == null ? DatabaseSettings.EMBEDDED : postgres.settings();
    }

    /** The URL of an SQLite store in {@code dataDir}. */
    public static String sqliteUrl(Path dataDir) {
        return "jdbc:sqlite:" + dataDir.toAbsolutePath().resolve("helpdesk-connect.db");
    }

    /** Opens (and migrates) the store; may be called again, e.g. to see what survives a reopen. */
    public Database open(int poolSize) {
        return open(poolSize, DatabaseSettings.DEFAULT_LEASE);
    }

    /** Like {@link #open(int)} with another lease time. */
    public Database open(int poolSize, Duration lease) {
        // EMBEDDED is H2 even in a new folder, where the host's default would be SQLite
        return postgres == null && !sqlite ? Database.openH2(dataDir, poolSize, lease)
                : Database.open(dataDir, settings().withLease(lease), poolSize);
    }

    /** The PostgreSQL database, or {@code null} for the embedded store. */
    public TestPostgres.Database postgres() {
        return postgres;
    }

    @Override
    public void close() {
        if (postgres != null) {
            postgres.close();
        }
    }
}
