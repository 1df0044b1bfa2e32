package com.helpdeskconnect.host.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.helpdeskconnect.host.config.BindPolicy;
import com.helpdeskconnect.host.config.HostConfig;
import com.helpdeskconnect.host.testing.Api;
import com.helpdeskconnect.host.testing.HostProcess;
import com.helpdeskconnect.host.testing.TestPluginJar;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bootstrap admin token on first start, and the refusal to listen beyond loopback unprotected. */
class StartupSecurityTest {
    /** The test JVM's environment must not hand the host a token or URL. */
    static final Map<String, String> CLEAN = Map.of("HELPDESK_CONNECT_ADMIN_TOKEN", "", "HELPDESK_CONNECT_PUBLIC_URL", "",
            "HELPDESK_CONNECT_BIND_HOST", "");

    @TempDir
    Path dir;
    Path plugins;

    @BeforeEach
    void plugins() throws Exception {
        plugins = Files.createDirectories(dir.resolve("plugins"));
        TestPluginJar.fakeDesk(plugins);
    }

    /** Collects the process's stdout lines in the background (destroy() closes the pipe). */
    static List<String> stdout(Process process) {
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                out.lines().forEach(lines::add);
            } catch (java.io.IOException | java.io.UncheckedIOException closed) {
                // the process ended
            }
        }, "stdout");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    static int port(List<String> lines) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(120)).until(() -> !lines.isEmpty());
        String listening = lines.get(0);
        assertThat(listening).startsWith("Helpdesk Connect listening on http://127.0.0.1:");
        return Integer.parseInt(listening.substring(listening.lastIndexOf(':') + 1));
    }

    private List<String> serve(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("serve", "--port", "0", "--data-dir", dir.resolve("data").toString(),
                "--plugins-dir", plugins.toString()));
        args.addAll(List.of(extra));
        return args;
    }

    @Test
    void firstStartGeneratesATokenFileOnlyTheOwnerCanReadAndPrintsTheTokenOnce() throws Exception {
        Process first = HostProcess.launch(dir.resolve("first.log"), serve(), CLEAN);
        String token;
        int port;
        List<String> firstOut = stdout(first);
        try {
            port = port(firstOut);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> firstOut.size() >= 2);
            String shown = firstOut.get(1);
            assertThat(shown).startsWith("Generated the bootstrap admin token (shown once; kept in ");
            token = shown.substring(shown.lastIndexOf(' ') + 1);
            Path file = dir.resolve("data").resolve(BootstrapToken.FILE_NAME);
            assertThat(Files.readString(file).trim()).isEqualTo(token);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            assertThat(token).hasSizeGreaterThan(40);
            Api api = new Api(port, token);
            assertThat(api.get("/api/v1/connectors").status()).isEqualTo(200);
            assertThat(api.as(null).get("/api/v1/connectors").status()).isEqualTo(401);
        } finally {
            first.destroy();
            // the second host opens the same data folder: the first must be gone
            assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(Files.readString(dir.resolve("first.log"))).doesNotContain(token);

        Process second = HostProcess.launch(dir.resolve("second.log"), serve(), CLEAN);
        List<String> secondOut = stdout(second);
        try {
            Api api = new Api(port(secondOut), token);
            assertThat(api.get("/api/v1/connectors").status()).isEqualTo(200);
        } finally {
            second.destroy();
            second.waitFor(60, TimeUnit.SECONDS);
        }
        assertThat(String.join("\n", secondOut)).doesNotContain(token).doesNotContain("Generated");
    }

    @Test
    void aTokenFromTheEnvironmentIsUsedAndNothingIsGenerated() throws Exception {
        Map<String, String> env = new java.util.HashMap<>(CLEAN);
        env.put("HELPDESK_CONNECT_ADMIN_TOKEN", "operator-chosen-token-0123456789");
        Process p = HostProcess.launch(dir.resolve("host.log"), serve(), env);
        List<String> out = stdout(p);
        try {
            Api api = new Api(port(out), "operator-chosen-token-0123456789");
            assertThat(api.get("/api/v1/connectors").status()).isEqualTo(200);
            assertThat(Files.exists(dir.resolve("data").resolve(BootstrapToken.FILE_NAME))).isFalse();
        } finally {
            p.destroy();
            p.waitFor(20, TimeUnit.SECONDS);
        }
        assertThat(String.join("\n", out)).doesNotContain("Generated");
    }

    @Test
    void listeningBeyondLoopbackWithoutACredentialIsRefusedInOneLine() throws Exception {
        Path config = Files.writeString(dir.resolve("wide.properties"), "bind-host=0.0.0.0\n");
        Process p = HostProcess.launch(dir.resolve("refused.log"), serve("--config", config.toString()), CLEAN);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEmpty();
        List<String> err = Files.readAllLines(dir.resolve("refused.log")).stream().filter(l -> !l.isBlank()).toList();
        assertThat(err).singleElement().asString()
                .startsWith("Refusing to listen on 0.0.0.0 (beyond loopback) without a credential")
                .contains("HELPDESK_CONNECT_ADMIN_TOKEN");
        assertThat(Files.exists(dir.resolve("data").resolve(BootstrapToken.FILE_NAME))).isFalse();

        // a credential, but no public URL to check Host against: refused too
        Map<String, String> env = new java.util.HashMap<>(CLEAN);
        env.put("HELPDESK_CONNECT_ADMIN_TOKEN", "operator-chosen-token-0123456789");
        Process q = HostProcess.launch(dir.resolve("refused2.log"), serve("--config", config.toString()), env);
        assertThat(q.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(q.exitValue()).isEqualTo(2);
        assertThat(Files.readString(dir.resolve("refused2.log"))).contains("HELPDESK_CONNECT_PUBLIC_URL")
                .doesNotContain("operator-chosen-token");
    }

    @Test
    void bindPolicy() {
        HostConfig loopback = HostConfig.defaults(dir.resolve("data"), plugins);
        assertThat(BindPolicy.refusal(loopback)).isEmpty();
        assertThat(BindPolicy.refusal(loopback.withBind("localhost", null))).isEmpty();
        assertThat(BindPolicy.refusal(loopback.withBind("0.0.0.0", null))).isPresent();
        assertThat(BindPolicy.refusal(loopback.withBind("0.0.0.0", "https://connect.example.com"))).isPresent();
        assertThat(BindPolicy.refusal(loopback.withBind("0.0.0.0", "https://connect.example.com")
                .withAdminToken("operator-chosen-token-0123456789"))).isEmpty();
        assertThat(BindPolicy.refusal(loopback.withBind("127.0.0.1", "ftp://connect.example.com"))).isPresent();
        assertThat(BindPolicy.refusal(loopback.withBind("127.0.0.1", "https://user:pw@connect.example.com"))).isPresent();
    }
}
