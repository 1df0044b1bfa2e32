package com.helpdeskconnect.host.storage;

import com.helpdeskconnect.host.config.HostConfig.DatabaseSettings;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The host's database, migrated by Flyway on start: by default an embedded file under the data
 * folder, which one process owns (SQLite in WAL mode for a new folder, H2 where the folder has one);
 * an SQLite file named by {@code --database-url jdbc:sqlite:..}, also one process; or a PostgreSQL database that several host processes share ({@link #shared()}).
 * H2 and PostgreSQL run the same migrations; SQLite its twin of each ({@code db/migration-sqlite}).
 *
 * <p>Rows a worker claims carry this process's {@link #owner()} and a lease that {@link #leases()}
 * renews while the work runs, so a host that dies loses its rows to the others once the lease ends.
 */
public final class Database implements AutoCloseable {
    private final HikariDataSource dataSource;
    private final boolean shared;
    private final String owner;
    private final Leases leases;
    /** SQLite only: one writer at a time, queued here rather than in SQLite's sleeping busy handler. */
    private final ReentrantLock writes;
    /** SQLite only: the lock file of this process's claim on the database file. */
    private Path sqliteLock;

    /** SQLite files this process has open: one claim and one write lock per file, shared by its Databases. */
    private static final Map<Path, SqliteOwner> SQLITE_OWNERS = new HashMap<>();

    private static final class SqliteOwner {
        final FileChannel channel;
        final ReentrantLock writes = new ReentrantLock();
        int users;

        SqliteOwner(FileChannel channel) {
            this.channel = channel;
        }
    }

    private Database(HikariDataSource dataSource, boolean shared, ReentrantLock writes, Duration lease) {
        this.dataSource = dataSource;
        this.shared = shared;
        this.writes = writes;
        this.owner = newOwner();
        this.leases = new Leases(this, lease);
    }

    /** The embedded H2 file of installations made before SQLite became the default, in the data folder. */
    public static final String H2_FILE = "helpdesk-connect.mv.db";
    /** The embedded SQLite file of a new data folder. */
    public static final String SQLITE_FILE = "helpdesk-connect.db";

    /**
     * Opens the database {@code settings} name: an SQLite file it names, a shared PostgreSQL one, or
     * the embedded one in {@code dataDir}: H2 where the folder already has {@link #H2_FILE} (its data
     * stays where it is; nothing copies it), else SQLite in {@link #SQLITE_FILE} (BENCHMARKS.md:
     * less CPU per event and a file that does not grow with every commit).
     */
    public static Database open(Path dataDir, DatabaseSettings settings, int poolSize) {
        if (settings.sqlite()) {
            return openSqlite(settings.url(), poolSize, settings.lease());
        }
        if (!settings.shared()) {
            if (Files.exists(dataDir.resolve(H2_FILE))) {
                return openH2(dataDir, poolSize, settings.lease());
            }
            try {
                PrivateFiles.createDirectories(dataDir);
                PrivateFiles.narrowExisting(dataDir);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create data folder " + dataDir, e);
            }
            return openSqlite("jdbc:sqlite:" + dataDir.toAbsolutePath().resolve(SQLITE_FILE), poolSize, settings.lease());
        }
        Postgres pg = Postgres.parse(settings);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(pg.url());
        // given apart from the URL, which Flyway and error messages may show
        config.setUsername(pg.user());
        config.setPassword(pg.password());
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(Math.min(2, poolSize));
        config.setPoolName("helpdesk-connect-db");
        config.addDataSourceProperty("ApplicationName", "helpdesk-connect");
        config.addDataSourceProperty("tcpKeepAlive", "true");
        // the server's error detail and a failed batch entry quote the row's values (a customer's text):
        // errors name the statement and the constraint, never the data
        config.addDataSourceProperty("logServerErrorDetail", "false");
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new IllegalStateException("Cannot connect to the database " + pg.describe() + ": " + rootMessage(e), e);
        }
        return migrate(ds, true, null, settings.lease());
    }

    /** Opens the embedded database of {@code dataDir} as {@link #open(Path, DatabaseSettings, int)} chooses it. */
    public static Database open(Path dataDir, int poolSize) {
        return open(dataDir, DatabaseSettings.EMBEDDED, poolSize);
    }

    /**
     * Opens (creating if needed) {@code dataDir/helpdesk-connect.mv.db} and migrates it, whatever else
     * the folder holds. The folder is created 0700 and the database file 0600 before H2 first writes
     * it (H2 itself would create it with the process umask); H2 keeps no trace file (it would log
     * statements with their values).
     */
    public static Database openH2(Path dataDir, int poolSize, Duration lease) {
        try {
            PrivateFiles.createDirectories(dataDir);
            PrivateFiles.narrowExisting(dataDir);
            PrivateFiles.createFile(dataDir.resolve(H2_FILE));
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
        return migrate(new HikariDataSource(config), false, null, lease);
    }

    /**
     * Opens (creating if needed) the SQLite file {@code url} names, in WAL mode: a commit is appended
     * to the write-ahead log before we answer, so a killed process loses nothing accepted
     * ({@code synchronous=NORMAL} does not fsync each commit: like H2 here, safe against a killed
     * process, not a power cut). Every transaction begins {@code IMMEDIATE} (a deferred one that read
     * first would fail at once with SQLITE_BUSY if another connection had written meanwhile). The file
     * is created 0600 before SQLite first writes it; SQLite gives its -wal and -shm files the same mode.
     */
    private static Database openSqlite(String url, int poolSize, Duration lease) {
        Path file = sqliteFile(url);
        int question = url.indexOf('?');
        try {
            Path folder = file.getParent();
            if (folder != null && !Files.isDirectory(folder)) {
                PrivateFiles.createDirectories(folder);
            }
            PrivateFiles.createFile(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the SQLite file " + file, e);
        }
        Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
        SqliteOwner owner = acquire(lockFile);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:sqlite:" + file + (question < 0 ? "" : url.substring(question)));
        config.addDataSourceProperty("journal_mode", "WAL");
        config.addDataSourceProperty("synchronous", "NORMAL");
        config.addDataSourceProperty("busy_timeout", "30000");
        config.addDataSourceProperty("transaction_mode", "IMMEDIATE");
        // the schema declares no foreign keys; on, so a future one is enforced as H2 and PostgreSQL do
        config.addDataSourceProperty("foreign_keys", "true");
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(Math.min(2, poolSize));
        config.setPoolName("helpdesk-connect-db");
        try {
            Database db = migrate(new HikariDataSource(config), false, owner.writes, lease);
            db.sqliteLock = lockFile;
            return db;
        } catch (RuntimeException e) {
            release(lockFile);
            throw e;
        }
    }

    /** This process's claim on an SQLite file: taken by the first of its Databases, shared by the others (as H2 shares a file in one JVM). */
    private static synchronized SqliteOwner acquire(Path lockFile) {
        SqliteOwner owner = SQLITE_OWNERS.get(lockFile);
        if (owner == null) {
            owner = new SqliteOwner(lockOwner(lockFile));
            SQLITE_OWNERS.put(lockFile, owner);
        }
        owner.users++;
        return owner;
    }

    private static synchronized void release(Path lockFile) {
        SqliteOwner owner = SQLITE_OWNERS.get(lockFile);
        if (owner != null && --owner.users == 0) {
            SQLITE_OWNERS.remove(lockFile);
            closeQuietly(owner.channel);
        }
    }

    /**
     * One process per SQLite file, as H2 enforces for its own: both would release each other's leases
     * on start, and {@code keys rotate} must not run beside a host. A lock file beside the database,
     * not the database itself: a POSIX lock taken on SQLite's own file would be dropped with any of its
     * descriptors in this process. The kernel releases it when the process dies, kill -9 included.
     */
    private static FileChannel lockOwner(Path lockFile) {
        FileChannel channel = null;
        try {
            PrivateFiles.createFile(lockFile);
            channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new IllegalStateException("Database may be already in use: " + lockFile.getFileName()
                        + " is locked by another process");
            }
            return channel;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("Cannot lock " + lockFile, e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // releasing the lock is all that was wanted
            }
        }
    }

    /** Several hosts starting at once on a fresh database: Flyway's lock lets one migrate, the others wait. */
    private static Database migrate(HikariDataSource ds, boolean shared, ReentrantLock sqliteWrites, Duration lease) {
        boolean sqlite = sqliteWrites != null;
        try {
            // SQLite lacks identity columns, ALTER COLUMN and SUBSTRING .. FROM: its own twin of every version
            Flyway.configure().dataSource(ds).locations(sqlite ? "classpath:db/migration-sqlite" : "classpath:db/migration")
                    .load().migrate();
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        return new Database(ds, shared, sqliteWrites, lease);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Whether other host processes may use this database at the same time (PostgreSQL). */
    public boolean shared() {
        return shared;
    }

    /** This process's name on the rows it claims: host name, process id and a random part. */
    public String owner() {
        return owner;
    }

    /** The leases this process holds, renewed while their work runs. */
    public Leases leases() {
        return leases;
    }

    /**
     * Takes a lock that every host process's transaction with the same {@code key} waits for, held
     * until this transaction ends; nothing to do on the embedded database, which one process owns
     * (its callers hold a lock of their own in the JVM).
     */
    public void lockUntilCommit(Connection c, long key) throws SQLException {
        if (!shared) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            ps.setLong(1, key);
            ps.execute();
        }
    }

    private static String newOwner() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException | RuntimeException e) {
            host = "host";
        }
        byte[] random = new byte[4];
        new SecureRandom().nextBytes(random);
        String id = host + "-" + ProcessHandle.current().pid() + "-" + HexFormat.of().formatHex(random);
        // lease_owner is VARCHAR(100)
        return id.length() <= 100 ? id : id.substring(id.length() - 100);
    }

    /** The file a {@code jdbc:sqlite:FILE[?parameters]} URL names, absolute. */
    static Path sqliteFile(String url) {
        String rest = url.substring("jdbc:sqlite:".length());
        int question = rest.indexOf('?');
        return Path.of(question < 0 ? rest : rest.substring(0, question)).toAbsolutePath().normalize();
    }

    /**
     * For one-line errors: the message of {@code e}, followed by its root cause's where that adds
     * something (a driver's reason under a pool's or a wrapper's message).
     */
    public static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return root != e && root.getMessage() != null && !message.contains(root.getMessage())
                ? message + " (" + root.getMessage() + ")" : message;
    }

    /**
     * A PostgreSQL URL split into the URL without credentials and the credentials: the user and
     * password may be in the URL ({@code ?user=..&password=..}, or {@code user:password@} before the
     * host, which the driver itself does not read), else they come from the settings (environment).
     */
    record Postgres(String url, String user, String password, String target) {
        static Postgres parse(DatabaseSettings settings) {
            String rest = settings.url().substring("jdbc:postgresql://".length());
            String user = null;
            String password = null;
            int end = rest.length();
            for (char c : new char[] {'/', '?'}) {
                int at = rest.indexOf(c);
                end = at >= 0 ? Math.min(end, at) : end;
            }
            String authority = rest.substring(0, end);
            String tail = rest.substring(end);
            int at = authority.lastIndexOf('@');
            if (at >= 0) {
                String userInfo = authority.substring(0, at);
                authority = authority.substring(at + 1);
                int colon = userInfo.indexOf(':');
                user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
                password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
            }
            int question = tail.indexOf('?');
            String path = question < 0 ? tail : tail.substring(0, question);
            List<String> kept = new ArrayList<>();
            if (question >= 0) {
                for (String param : tail.substring(question + 1).split("&")) {
                    int eq = param.indexOf('=');
                    String name = eq < 0 ? param : param.substring(0, eq);
                    String value = eq < 0 ? "" : decode(param.substring(eq + 1));
                    if (name.equals("user")) {
                        user = value;
                    } else if (name.equals("password")) {
                        password = value;
                    } else if (!param.isEmpty()) {
                        kept.add(param);
                    }
                }
            }
            user = user == null || user.isEmpty() ? settings.user() : user;
            password = password == null ? settings.password() : password;
            String url = "jdbc:postgresql://" + authority + path + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
            return new Postgres(url, user, password, authority + path);
        }

        private static String decode(String value) {
            try {
                return URLDecoder.decode(value, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return value;
            }
        }

        /** Where and as whom, for messages: never the password. */
        String describe() {
            return target + (user == null ? "" : " as user '" + user + "'");
        }

        @Override
        public String toString() {
            return "Postgres[" + describe() + "]";
        }
    }

    /** Whether this is an SQLite file (one process, one writer at a time); else H2 or PostgreSQL ({@link #shared()}). */
    public boolean sqlite() {
        return writes != null;
    }

    /**
     * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws.
     * On SQLite the JVM write lock is held until the connection is back in the pool: sqlite-jdbc
     * begins the next (IMMEDIATE) transaction inside {@code commit()}, and only Hikari's reset of
     * auto-commit on close ends it.
     */
    public <T> T inTransaction(SqlWork<T> work) {
        lockWrites();
        try {
            return transaction(work);
        } finally {
            unlockWrites();
        }
    }

    private <T> T transaction(SqlWork<T> work) {
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

    /**
     * Reads with auto-commit, {@code work} must not write. On SQLite it does not wait for the write
     * lock: in WAL mode a reader sees the last commit while a writer goes on.
     */
    public <T> T read(SqlWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StorageException(e);
        }
    }

    /** Writes (or reads and writes) with auto-commit; on SQLite under the write lock. */
    public <T> T query(SqlWork<T> work) {
        lockWrites();
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StorageException(e);
        } finally {
            unlockWrites();
        }
    }

    private void lockWrites() {
        if (writes != null) {
            writes.lock();
        }
    }

    private void unlockWrites() {
        if (writes != null) {
            writes.unlock();
        }
    }

    public boolean isHealthy() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    /** Hands this process's unfinished rows to the other hosts at once, then closes the pool. */
    @Override
    public void close() {
        leases.close();
        dataSource.close();
        if (sqliteLock != null) {
            release(sqliteLock);
        }
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

    /** H2 and PostgreSQL: SQLState 23505; sqlite-jdbc gives no SQLState, only its result code. */
    static boolean isDuplicateKey(SQLException e) {
        if (e instanceof SQLiteException sqlite) {
            SQLiteErrorCode code = sqlite.getResultCode();
            return code == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY || code == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE;
        }
        return "23505".equals(e.getSQLState());
    }
}
