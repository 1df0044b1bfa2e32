package com.helpdeskconnect.host.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything the host needs to start, resolved once by {@link ConfigResolver}.
 *
 * @param bindHost        interface the HTTP server listens on
 * @param port            HTTP port; 0 picks a free one
 * @param dataDir         holds the database file and the generated key file
 * @param pluginsDir      plugin jars, one connector plugin per jar
 * @param encryptionKey   base64 AES key from the environment, or {@code null} to use {@link #keyFile}
 * @param keyFile         where the key lives when not given by the environment; generated on first run
 * @param publicUrl       base URL the helpdesk calls back on, or {@code null} for http://bindHost:port
 * @param workerThreads   how many conversations sync at the same time
 * @param retryBaseDelay  first retry delay; doubles per attempt, with jitter
 * @param retryMaxDelay   ceiling for one retry delay
 * @param maxAttempts     attempts before a retryable failure parks the operation
 * @param maxRequestBytes largest request body accepted
 * @param adminToken      the bootstrap admin token ({@code HELPDESK_CONNECT_ADMIN_TOKEN}, environment
 *                        only); {@code null} uses {@code dataDir/admin.token}, generated on first start
 * @param limits          per-credential rate limit and stream caps
 * @param outboundAllow   comma-separated address ranges the host and plugins may call although the
 *                        outbound policy denies them (loopback, private, link-local...), e.g.
 *                        {@code 10.1.2.0/24} for an on-premise helpdesk; {@code null} for none
 * @param database        the embedded H2 file in {@link #dataDir} (the default), or a PostgreSQL
 *                        database shared by several host processes
 */
public record HostConfig(
        String bindHost,
        int port,
        Path dataDir,
        Path pluginsDir,
        String encryptionKey,
        Path keyFile,
        String publicUrl,
        int workerThreads,
        Duration retryBaseDelay,
        Duration retryMaxDelay,
        int maxAttempts,
        long maxRequestBytes,
        String adminToken,
        Limits limits,
        String outboundAllow,
        DatabaseSettings database) {

    /**
     * Where the host keeps its state. {@code url} {@code null}: the embedded H2 file in the data folder,
     * one process; a {@code jdbc:sqlite:} file URL: an SQLite file (WAL), one process. Otherwise a
     * {@code jdbc:postgresql://} URL that several host processes share; the
     * user and password come from the URL or from {@code user}/{@code password} (the environment).
     * {@code lease} is how long a host holds a claimed row without renewing it: after a host dies, the
     * others take its rows over within this time.
     */
    public record DatabaseSettings(String url, String user, String password, Duration lease) {
        public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
        public static final DatabaseSettings EMBEDDED = new DatabaseSettings(null, null, null, DEFAULT_LEASE);

        public DatabaseSettings {
            lease = lease == null ? DEFAULT_LEASE : lease;
            if (lease.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("lease-seconds must be at least 1, was " + lease.toSeconds());
            }
            if (url != null && !url.startsWith("jdbc:postgresql://") && !isSqlite(url)) {
                // no echo of the value: it may hold a password
                throw new IllegalArgumentException("database-url must be a PostgreSQL JDBC URL (jdbc:postgresql://host:5432/db) "
                        + "or an SQLite file (jdbc:sqlite:/path/helpdesk-connect.db); "
                        + "leave it out for the embedded database in the data folder");
            }
        }

        public static DatabaseSettings postgres(String url, String user, String password) {
            return new DatabaseSettings(url, user, password, DEFAULT_LEASE);
        }

        /** Whether several host processes may share this database (PostgreSQL). */
        public boolean shared() {
            return url != null && !isSqlite(url);
        }

        /** Whether this names an SQLite file, which one host process owns like the embedded H2 file. */
        public boolean sqlite() {
            return url != null && isSqlite(url);
        }

        private static boolean isSqlite(String url) {
            // a file path, not ":memory:" (a store that vanishes with the process cannot answer 202)
            return url.startsWith("jdbc:sqlite:") && url.length() > "jdbc:sqlite:".length()
                    && !url.startsWith("jdbc:sqlite::memory:") && !url.contains("mode=memory");
        }

        public DatabaseSettings withLease(Duration newLease) {
            return new DatabaseSettings(url, user, password, newLease);
        }

        @Override
        public String toString() {
            // neither the password nor a URL that may carry one
            return url == null ? "embedded" : sqlite() ? "sqlite" : "postgresql (lease " + lease.toSeconds() + " s)";
        }
    }

    /**
     * Abuse limits. {@code ratePerSecond} and {@code rateBurst} make each API key's token bucket
     * (0 turns it off); chat links have a fixed, smaller bucket. Streams are capped per credential
     * and in total.
     */
    public record Limits(double ratePerSecond, int rateBurst, int maxStreamsPerCredential, int maxStreams) {
        public static final Limits DEFAULTS = new Limits(500, 1000, 10, 1000);

        public Limits {
            if (ratePerSecond < 0 || rateBurst < 1 || maxStreamsPerCredential < 1 || maxStreams < 1) {
                throw new IllegalArgumentException("rate-limit must be >= 0; rate-limit-burst, max-streams-per-credential"
                        + " and max-streams must be at least 1");
            }
        }
    }

    public HostConfig {
        Objects.requireNonNull(bindHost, "bindHost");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
        }
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(pluginsDir, "pluginsDir");
        keyFile = keyFile == null ? dataDir.resolve("secret.key") : keyFile;
        limits = limits == null ? Limits.DEFAULTS : limits;
        if (workerThreads < 1) {
            throw new IllegalArgumentException("worker-threads must be at least 1, was " + workerThreads);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("max-attempts must be at least 1, was " + maxAttempts);
        }
        database = database == null ? DatabaseSettings.EMBEDDED : database;
    }

    /**
     * Conversations synced at once. With a slow helpdesk (100 ms per call) throughput grows with this
     * number, and an idle pool thread costs little, so it is sized for concurrency, not for cores.
     */
    public static final int DEFAULT_WORKER_THREADS = 64;

    /** Defaults for tests and embedding: a random port and the given folders. */
    public static HostConfig defaults(Path dataDir, Path pluginsDir) {
        return new HostConfig("127.0.0.1", 0, dataDir, pluginsDir, null, null, null, DEFAULT_WORKER_THREADS,
                Duration.ofMillis(500), Duration.ofMinutes(5), 12, 1_000_000L, null, Limits.DEFAULTS, null, DatabaseSettings.EMBEDDED);
    }

    public HostConfig withPort(int newPort) {
        return new HostConfig(bindHost, newPort, dataDir, pluginsDir, encryptionKey, keyFile, publicUrl,
                workerThreads, retryBaseDelay, retryMaxDelay, maxAttempts, maxRequestBytes, adminToken, limits, outboundAllow, database);
    }

    public HostConfig withRetry(Duration base, Duration max, int attempts) {
        return new HostConfig(bindHost, port, dataDir, pluginsDir, encryptionKey, keyFile, publicUrl,
                workerThreads, base, max, attempts, maxRequestBytes, adminToken, limits, outboundAllow, database);
    }

    public HostConfig withMaxRequestBytes(long bytes) {
        return new HostConfig(bindHost, port, dataDir, pluginsDir, encryptionKey, keyFile, publicUrl,
                workerThreads, retryBaseDelay, retryMaxDelay, maxAttempts, bytes, adminToken, limits, outboundAllow, database);
    }

    /** A key given directly (as the environment would): no key file is read or generated. */
    public HostConfig withEncryptionKey(String base64Key) {
        return new HostConfig(bindHost, port, dataDir, pluginsDir, base64Key, keyFile, publicUrl,
                workerThreads, retryBaseDelay, retryMaxDelay, maxAttempts, maxRequestBytes, adminToken, limits, outboundAllow, database);
    }

    public HostConfig withAdminToken(String token) {
        return new HostConfig(bindHost, port, dataDir, pluginsDir, encryptionKey, keyFile, publicUrl,
                workerThreads, retryBaseDelay, retryMaxDelay, maxAttempts, maxRequestBytes, token, limits, outboundAllow, database);
    }

    public HostConfig withLimits(Limits newLimits) {
        return new HostConfig(bindHost, port, dataDir, pluginsDir, encryptionKey, keyFile, publicUrl,
                workerThreads, retryBaseDelay, retryMaxDelay, maxAttempts, maxRequestBytes, adminToken, newLimits, outboundAllow, database);
    }

    /** With these ranges allowed past the outbound policy (comma-separated CIDRs). */
    public HostConfig withOutboundAllow(String ranges) {
        return new HostConfig(bindHost, port, dataDir, pluginsDir, encryptionKey, keyFile, publicUrl,
                workerThreads, retryBaseDelay, retryMaxDelay, maxAttempts, maxRequestBytes, adminToken, limits, ranges, database);
    }

    /** With another database: a shared PostgreSQL one, or {@link DatabaseSettings#EMBEDDED}. */
    public HostConfig withDatabase(DatabaseSettings newDatabase) {
        return new HostConfig(bindHost, port, dataDir, pluginsDir, encryptionKey, keyFile, publicUrl,
                workerThreads, retryBaseDelay, retryMaxDelay, maxAttempts, maxRequestBytes, adminToken, limits, outboundAllow,
                newDatabase);
    }

    /** With the master key read from (or generated into) this file; its keyset lives beside it. */
    public HostConfig withKeyFile(Path file) {
        return new HostConfig(bindHost, port, dataDir, pluginsDir, encryptionKey, file, publicUrl,
                workerThreads, retryBaseDelay, retryMaxDelay, maxAttempts, maxRequestBytes, adminToken, limits, outboundAllow,
                database);
    }

    public HostConfig withBind(String host, String url) {
        return new HostConfig(host, port, dataDir, pluginsDir, encryptionKey, keyFile, url,
                workerThreads, retryBaseDelay, retryMaxDelay, maxAttempts, maxRequestBytes, adminToken, limits, outboundAllow, database);
    }

    @Override
    public String toString() {
        // the key never leaves this record
        return "HostConfig[port=" + port + ", dataDir=" + dataDir + ", pluginsDir=" + pluginsDir
                + ", keyFile=" + (encryptionKey == null ? keyFile : "(from environment)")
                + ", adminToken=" + (adminToken == null ? "none" : "(from environment)")
                + ", outboundAllow=" + (outboundAllow == null ? "none" : outboundAllow) + ", database=" + database + "]";
    }
}
