package com.helpdeskconnect.host.testing;

import com.helpdeskconnect.host.config.HostConfig.DatabaseSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real PostgreSQL for the tests, and a fresh database in it per test ({@link #database()}, dropped on
 * close). The server is, in this order: the one {@code HELPDESK_CONNECT_TEST_POSTGRES_URL} names (an
 * admin URL, e.g. {@code jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres&password=...}); or one
 * this JVM starts from the installed binaries ({@code /usr/lib/postgresql/<version>/bin}) in a temp
 * folder on a free port, as the {@code postgres} user when the tests run as root (PostgreSQL refuses
 * root), stopped when the JVM ends. Without either, tests that need it are skipped, saying why;
 * {@code HELPDESK_CONNECT_TEST_POSTGRES_URL=off} skips them on purpose. With
 * {@code HELPDESK_CONNECT_TEST_POSTGRES_REQUIRED=true} (as {@code .ci/run} sets it) they fail instead,
 * so a CI run cannot pass with its PostgreSQL tests quietly skipped.
 */
public final class TestPostgres {
    public static final String URL_ENV = "HELPDESK_CONNECT_TEST_POSTGRES_URL";
    public static final String REQUIRED_ENV = "HELPDESK_CONNECT_TEST_POSTGRES_REQUIRED";
    private static final String USER = "postgres";
    private static final SecureRandom RANDOM = new SecureRandom();

    private static Server server;
    private static String unavailable;

    private TestPostgres() {}

    /** A server: where it listens and the superuser's credentials. */
    private record Server(String host, int port, String user, String password, String adminDatabase) {
        String url(String database) {
            return "jdbc:postgresql://" + host + ":" + port + "/" + database;
        }

        Connection admin() throws SQLException {
            return DriverManager.getConnection(url(adminDatabase), user, password);
        }
    }

    /** A database of its own for one test; {@link #close} drops it. */
    public static final class Database implements AutoCloseable {
        private final Server server;
        private final String name;

        private Database(Server server, String name) {
            this.server = server;
            this.name = name;
        }

        /** The JDBC URL without credentials. */
        public String url() {
            return server.url(name);
        }

        public String user() {
            return server.user();
        }

        public String password() {
            return server.password();
        }

        /** Settings with the credentials given apart from the URL (as the environment would). */
        public DatabaseSettings settings() {
            return DatabaseSettings.postgres(url(), user(), password());
        }

        /** The environment a host process needs to use this database. */
        public java.util.Map<String, String> env() {
            return java.util.Map.of("HELPDESK_CONNECT_DATABASE_URL", url(),
                    "HELPDESK_CONNECT_DATABASE_USER", user(),
                    "HELPDESK_CONNECT_DATABASE_PASSWORD", password());
        }

        public Connection connect() throws SQLException {
            return DriverManager.getConnection(url(), user(), password());
        }

        @Override
        public void close() {
            try (Connection c = server.admin(); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            } catch (SQLException e) {
                throw new IllegalStateException("Could not drop test database " + name, e);
            }
        }
    }

    /** A fresh, empty database; skips the calling test (assumption) when no PostgreSQL can be had. */
    public static Database database() {
        Server s = server();
        Assumptions.assumeTrue(s != null, () -> "PostgreSQL is not available: " + unavailable);
        String name = "hc_test_" + HexFormat.of().formatHex(randomBytes(6));
        try (Connection c = s.admin(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create test database " + name, e);
        }
        return new Database(s, name);
    }

    /** Whether a server is available (starting one if needed), for tests that choose their stores. */
    public static boolean available() {
        return server() != null;
    }

    /** Why no server is available, or {@code null}. */
    public static String unavailableReason() {
        server();
        return unavailable;
    }

    private static synchronized Server server() {
        if (server == null && unavailable == null) {
            find();
        }
        if (server == null && Boolean.parseBoolean(System.getenv(REQUIRED_ENV))) {
            throw new IllegalStateException("PostgreSQL is required (" + REQUIRED_ENV + "=true) but not available: " + unavailable);
        }
        return server;
    }

    private static void find() {
        try {
            String given = System.getenv(URL_ENV);
            if ("off".equalsIgnoreCase(String.valueOf(given).trim())) {
                unavailable = "turned off (" + URL_ENV + "=off)";
                return;
            }
            server = given != null && !given.isBlank() ? fromUrl(given.trim()) : startRetried();
        } catch (RuntimeException | IOException | InterruptedException e) {
            unavailable = e.getMessage();
        }
        if (server == null && unavailable == null) {
            unavailable = "no PostgreSQL server binaries found (install Debian's postgresql package, or set " + URL_ENV + ")";
        }
    }

    private static Server fromUrl(String url) {
        java.net.URI uri = java.net.URI.create(url.substring("jdbc:".length()));
        String user = USER;
        String password = "";
        if (uri.getQuery() != null) {
            for (String p : uri.getQuery().split("&")) {
                if (p.startsWith("user=")) {
                    user = p.substring(5);
                } else if (p.startsWith("password=")) {
                    password = p.substring(9);
                }
            }
        }
        String db = uri.getPath() == null || uri.getPath().length() <= 1 ? "postgres" : uri.getPath().substring(1);
        Server s = new Server(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), user, password, db);
        try (Connection c = s.admin()) {
            return c.isValid(5) ? s : null;
        } catch (SQLException e) {
            throw new IllegalStateException(URL_ENV + " is set but its server does not answer: " + e.getMessage());
        }
    }

    /** The free port is found before the server binds it: another process may take it in between, so once more. */
    private static Server startRetried() throws IOException, InterruptedException {
        try {
            return start();
        } catch (RuntimeException | IOException first) {
            try {
                return start();
            } catch (RuntimeException | IOException second) {
                second.addSuppressed(first);
                throw second;
            }
        }
    }

    /** initdb + pg_ctl start in a temp folder, as the postgres user when running as root. */
    private static Server start() throws IOException, InterruptedException {
        Optional<Path> bin = binaries();
        if (bin.isEmpty()) {
            return null;
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root && !Files.isExecutable(Path.of("/usr/sbin/runuser")) && !Files.isExecutable(Path.of("/sbin/runuser"))) {
            throw new IllegalStateException("running as root and runuser is missing: PostgreSQL refuses to run as root");
        }
        // /tmp, not java.io.tmpdir: the postgres user must reach it
        Path dir = Files.createTempDirectory(Files.isDirectory(Path.of("/tmp")) ? Path.of("/tmp") : Path.of(System.getProperty("java.io.tmpdir")), "hc-postgres");
        String password = HexFormat.of().formatHex(randomBytes(16));
        Path pwfile = dir.resolve("pw");
        Files.writeString(pwfile, password + "\n", StandardCharsets.UTF_8);
        if (root) {
            run(List.of("chown", "-R", USER, dir.toString()), dir, false);
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path data = dir.resolve("data");
        try {
            run(List.of(bin.get().resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "--pwfile=" + pwfile,
                    "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--no-locale"), dir, root);
        } catch (RuntimeException | IOException e) {
            deleteTree(dir);
            throw e;
        }
        // test settings: durability off (the server is thrown away), room for several host pools
        String options = "-c listen_addresses=127.0.0.1 -c port=" + port + " -c unix_socket_directories=" + dir
                + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300";
        try {
            run(List.of(bin.get().resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("server.log").toString(),
                    "-o", options, "-w", "-t", "60", "start"), dir, root);
        } catch (RuntimeException | IOException e) {
            // a server still starting when pg_ctl gave up is stopped before its folder goes
            try {
                run(List.of(bin.get().resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop"), dir, root);
            } catch (RuntimeException | IOException stopFailed) {
                // none was running
            }
            deleteTree(dir);
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                run(List.of(bin.get().resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop"), dir, root);
            } catch (IOException | InterruptedException | RuntimeException e) {
                // the JVM is ending: nothing more to do
            }
            deleteTree(dir);
        }, "test-postgres-stop"));
        return new Server("127.0.0.1", port, USER, password, "postgres");
    }

    /** The newest installed server's bin folder (Debian layout), or {@code pg_config --bindir}'s. */
    private static Optional<Path> binaries() {
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                Optional<Path> newest = versions.map(v -> v.resolve("bin"))
                        .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                        .max(Comparator.comparingInt(b -> version(b.getParent().getFileName().toString())));
                if (newest.isPresent()) {
                    return newest;
                }
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static int version(String name) {
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static void run(List<String> command, Path dir, boolean asPostgres) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asPostgres) {
            full.addAll(List.of("runuser", "-u", USER, "--"));
        }
        full.addAll(command);
        Path log = Files.createTempFile(dir, "cmd", ".log");
        Process p = new ProcessBuilder(full).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(command.get(0) + " did not finish in 90 s");
        }
        if (p.exitValue() != 0) {
            String out = Files.readString(log, StandardCharsets.UTF_8);
            throw new IllegalStateException(Path.of(command.get(0)).getFileName() + " failed (" + p.exitValue() + "): "
                    + out.strip().lines().reduce((a, b) -> b).orElse("").toLowerCase(Locale.ROOT));
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // best effort
        }
    }
}
