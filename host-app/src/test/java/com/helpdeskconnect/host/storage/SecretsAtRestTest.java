package com.helpdeskconnect.host.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.helpdeskconnect.host.Main;
import com.helpdeskconnect.host.testing.HostFixture;
import com.helpdeskconnect.host.testing.HostProcess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The data folder as an attacker with a shell on the machine, or a copy of a backup, finds it. */
class SecretsAtRestTest {
    @TempDir
    Path dir;

    @Test
    void theDataFolderIsPrivateAndHoldsNoTraceFile() throws Exception {
        try (HostFixture host = HostFixture.start(dir)) {
            assertThat(host.putIntegration("acme", Map.of("webhookSecret", "s3cret")).status()).isEqualTo(200);
            // an error that H2 would write to its trace file
            assertThat(host.api.post("/api/v1/conversations/c1/events", "{}").status()).isEqualTo(400);
        }
        Path data = dir.resolve("data");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
        List<Path> files;
        try (Stream<Path> list = Files.list(data)) {
            files = list.toList();
        }
        assertThat(files).extracting(p -> p.getFileName().toString())
                .contains(Database.SQLITE_FILE, "secret.key", "secret.keyset.json")
                .noneMatch(n -> n.endsWith(".trace.db"));
        for (Path f : files) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as(f.toString()).isEqualTo("rw-------");
        }
        assertThat(Files.readString(data.resolve("secret.keyset.json"))).contains("encryptedKeyset");
    }

    @Test
    void anOldWorldReadableDataFolderIsNarrowedOnStart() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(data.resolve("secret.key"), Base64.getEncoder().encodeToString(new byte[32]) + "\n");
        Files.setPosixFilePermissions(data.resolve("secret.key"), PosixFilePermissions.fromString("rw-r--r--"));
        try (HostFixture host = HostFixture.start(dir)) {
            assertThat(host.putIntegration("acme", Map.of()).status()).isEqualTo(200);
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("secret.key")))).isEqualTo("rw-------");
    }

    @Test
    void rotationReencryptsEverythingAndMigratesFirstReleaseValues() throws Exception {
        try (HostFixture host = HostFixture.start(dir)) {
            assertThat(host.putIntegration("acme", Map.of("webhookSecret", "s3cret")).status()).isEqualTo(200);
            assertThat(host.putIntegration("other", Map.of()).status()).isEqualTo(200);
        }
        Path data = dir.resolve("data");
        byte[] master = Base64.getDecoder().decode(Files.readString(data.resolve("secret.key")).trim());
        // what the first release left: settings sealed with AES-GCM under the master key
        SecretBox box = SecretBox.load(null, data.resolve("secret.key"));
        try (Connection c = connect(data)) {
            String settings = box.open(column(c, "SELECT settings_sealed FROM integrations WHERE id = 'acme'"), "settings:acme");
            try (PreparedStatement ps = c.prepareStatement("UPDATE integrations SET settings_sealed = ? WHERE id = 'acme'")) {
                ps.setString(1, SecretBox.sealLegacy(master, settings, "settings:acme"));
                ps.executeUpdate();
            }
        }
        try (HostFixture host = HostFixture.start(dir)) {
            assertThat(host.api.get("/api/v1/integrations/acme").json().get("settings").get("webhookSecret").asText())
                    .isEqualTo("********");
        }

        String out = run("keys", "rotate", "--data-dir", data.toString());
        assertThat(out).contains("Rotated").contains("2 keys").contains("1 of them from the first release");

        SecretBox rotated = SecretBox.load(null, data.resolve("secret.key"));
        try (Connection c = connect(data)) {
            List<String> sealed = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT settings_sealed, webhook_secret_sealed, callback_secret_sealed FROM integrations");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sealed.add(rs.getString(1));
                    sealed.add(rs.getString(2));
                    sealed.add(rs.getString(3));
                }
            }
            assertThat(sealed).hasSize(6).allSatisfy(s -> assertThat(rotated.isCurrent(s)).as(s).isTrue());
        }
        try (HostFixture host = HostFixture.start(dir)) {
            assertThat(host.api.get("/api/v1/integrations/acme").json().get("webhook").get("secret").asText()).isEqualTo("s3cret");
            assertThat(host.api.get("/api/v1/integrations/other").status()).isEqualTo(200);
        }
    }

    @Test
    void rotationRefusesWhileTheHostRuns() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        com.helpdeskconnect.host.testing.TestPluginJar.fakeDesk(plugins);
        Path data = dir.resolve("data");
        try (HostProcess host = HostProcess.serve(data, plugins, dir.resolve("host.log"))) {
            Path log = dir.resolve("rotate.log");
            Process rotate = HostProcess.launch(log, List.of("keys", "rotate", "--data-dir", data.toString()));
            assertThat(rotate.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(rotate.exitValue()).isEqualTo(1);
            assertThat(Files.readString(log)).contains("Cannot rotate keys").contains("stop the host first");
            assertThat(host.api().get("/health").status()).isEqualTo(200);
        }
    }

    private static String run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream previous = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertThat(new CommandLine(new Main()).execute(args)).isZero();
        } finally {
            System.setOut(previous);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static Connection connect(Path data) throws Exception {
        // a new data folder's store: SQLite
        return DriverManager.getConnection("jdbc:sqlite:" + data.toAbsolutePath().resolve(Database.SQLITE_FILE));
    }

    private static String column(Connection c, String sql) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }
}
