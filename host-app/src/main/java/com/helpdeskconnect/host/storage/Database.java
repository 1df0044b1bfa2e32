package com.helpdeskconnect.host.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The host's database: an embedded H2 file under the data folder, migrated by Flyway on start.
 * Migrations are plain SQL that PostgreSQL also accepts, so a server database only needs another
 * JDBC URL (and driver) here.
 */
public final class Database implements AutoCloseable {
    private final HikariDataSource dataSource;

    private Database(HikariDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Opens (creating if needed) {@code dataDir/helpdesk-connect.mv.db} and migrates it. The folder
     * is created 0700 and the database file 0600 before H2 first writes it (H2 itself would create
     * it with the process umask); H2 keeps no trace file (it would log statements with their values).
     */
    public static Database open(Path dataDir, int poolSize) {
        try {
            PrivateFiles.createDirectories(dataDir);
            PrivateFiles.narrowExisting(dataDir);
            PrivateFiles.createFile(dataDir.resolve("helpdesk-connect.mv.db"));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create data folder " + dataDir, e);
        }
        // WRITE_DELAY=0: a commit reaches the file before we answer, so a killed process loses nothing accepted
        // (H2's default, 500 ms, writes committed changes in the background: a kill -9 would lose up to
        // half a second of accepted events). H2 hands the chunk to the OS without fsync, which survives a
        // killed process, not a power cut. QUERY_CACHE_SIZE: the accept and sync paths use more distinct
        // statements per connection than H2's default cache of 8 holds, so they would be parsed again.
        String url = "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("helpdesk-connect")
                + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE;QUERY_CACHE_SIZE=64;TRACE_LEVEL_FILE=0";
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername("sa");
        config.setPassword("");
        config.setMaximumPoolSize(poolSize);
        // connections open on demand: a few H2 sessions serve the usual load, and start-up opens only these
        config.setMinimumIdle(Math.min(2, poolSize));
        config.setPoolName("helpdesk-connect-db");
        HikariDataSource ds = new HikariDataSource(config);
        try {
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        return new Database(ds);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    public <T> T inTransaction(SqlWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StorageException(e);
        }
    }

    /** Reads or writes with auto-commit. */
    public <T> T query(SqlWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StorageException(e);
        }
    }

    public boolean isHealthy() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }

    /** A unit of JDBC work. */
    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /** A database failure; the host answers 500 / retries, never exposing SQL to clients. */
    public static final class StorageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StorageException(SQLException cause) {
            super("Database error: " + cause.getMessage(), cause);
        }
    }

    static boolean isDuplicateKey(SQLException e) {
        return "23505".equals(e.getSQLState());
    }
}
