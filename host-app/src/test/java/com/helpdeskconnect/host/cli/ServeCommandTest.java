package com.helpdeskconnect.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.helpdeskconnect.host.testing.Api;
import com.helpdeskconnect.host.testing.HostProcess;
import com.helpdeskconnect.host.testing.TestPluginJar;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI as an operator runs it: a separate JVM, real sockets. */
class ServeCommandTest {
    @TempDir
    Path dir;

    @Test
    void servePrintsTheListeningLineFirstAndServesTheConnectors() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        TestPluginJar.fakeDesk(plugins);
        Files.write(plugins.resolve("broken.jar"), "not a jar".getBytes(StandardCharsets.UTF_8));
        try (HostProcess host = HostProcess.serve(dir.resolve("data"), plugins, dir.resolve("host.log"))) {
            assertThat(host.firstLine()).isEqualTo("Helpdesk Connect listening on http://127.0.0.1:" + host.port());
            Api api = host.api();
            Api.Response response = api.get("/api/v1/connectors");
            assertThat(response.status()).isEqualTo(200);
            JsonNode connector = response.json().get("connectors").get(0);
            assertThat(connector.get("id").asText()).isEqualTo("fakedesk");
            assertThat(connector.get("version").asText()).isEqualTo("1.0.0");
            assertThat(connector.get("settings")).anySatisfy(s -> {
                assertThat(s.get("name").asText()).isEqualTo("password");
                assertThat(s.get("secret").asBoolean()).isTrue();
            });
            assertThat(response.json().get("failures").get(0).get("file").asText()).isEqualTo("broken.jar");
            assertThat(api.get("/health").json().get("status").asText()).isEqualTo("UP");
        }
    }

    @Test
    void aMissingPluginsFolderOrAFileIsRefusedInOneLine() throws Exception {
        Path missing = dir.resolve("no-such-folder");
        Failure failure = run("serve", "--port", "0", "--data-dir", dir.resolve("data").toString(),
                "--plugins-dir", missing.toString());
        failure.isOneLineStartingWith("Cannot start: The plugins folder " + missing + " does not exist");

        Path file = Files.writeString(dir.resolve("plugins.txt"), "x");
        failure = run("serve", "--port", "0", "--data-dir", dir.resolve("data").toString(),
                "--plugins-dir", file.toString());
        failure.isOneLineStartingWith("Cannot start: The plugins folder " + file + " is a file, not a folder");

        failure = run("plugins", "list", "--plugins-dir", missing.toString());
        failure.isOneLineStartingWith("Cannot list plugins: The plugins folder " + missing + " does not exist");
    }

    @Test
    void aDataFolderThatCannotBeWrittenIsOneLine() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Path underAFile = Files.writeString(dir.resolve("a-file"), "x").resolve("data");
        run("serve", "--port", "0", "--data-dir", underAFile.toString(), "--plugins-dir", plugins.toString())
                .isOneLineStartingWith("Cannot start: Cannot create the data folder " + underAFile)
                .contains("--data-dir");
    }

    @Test
    void aTakenPortIsOneLine() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            run("serve", "--port", String.valueOf(taken.getLocalPort()), "--data-dir", dir.resolve("data").toString(),
                    "--plugins-dir", plugins.toString())
                    .isOneLineStartingWith("Cannot start: Port " + taken.getLocalPort() + " on 127.0.0.1 is already in use")
                    .contains("--port");
        }
    }

    @Test
    void aBadKeyFileIsOneLineAndNeverShowsTheKey() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Path key = Files.writeString(dir.resolve("secret.key"), "c2hvcnQta2V5\n");
        run("serve", "--port", "0", "--data-dir", dir.resolve("data").toString(), "--plugins-dir", plugins.toString(),
                "--key-file", key.toString())
                .isOneLineStartingWith("Cannot start: The encryption key must be 32 bytes")
                .doesNotContain("c2hvcnQta2V5");
        Path folder = Files.createDirectories(dir.resolve("key-folder"));
        run("serve", "--port", "0", "--data-dir", dir.resolve("data").toString(), "--plugins-dir", plugins.toString(),
                "--key-file", folder.toString())
                .isOneLineStartingWith("Cannot start: The key file " + folder + " is a folder");
    }

    @Test
    void pluginsListTakesOnlyThePluginOptions() throws Exception {
        for (String option : List.of("--port", "--data-dir", "--key-file")) {
            Process process = HostProcess.launch(dir.resolve("err.log"), List.of("plugins", "list", option, "1"));
            process.getInputStream().readAllBytes();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(option).isNotZero();
            assertThat(Files.readString(dir.resolve("err.log"))).contains("Unknown options: '" + option + "'");
        }
    }

    @Test
    void topLevelHelpDescribesEveryCommandInWholeSentences() throws Exception {
        Process process = HostProcess.launch(dir.resolve("err.log"), List.of("--help"));
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(out.lines().filter(l -> l.matches("\\s+(serve|plugins|demo)\\s+.*")))
                .hasSize(3).allSatisfy(l -> assertThat(l.strip()).endsWith("."));
    }

    @Test
    void withoutArgumentsPrintsTheVersionLine() throws Exception {
        Process process = HostProcess.launch(dir.resolve("err.log"), List.of());
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        assertThat(out).startsWith("Helpdesk Connect ").contains("connector SPI");
    }

    private Failure run(String... args) throws Exception {
        Path errors = dir.resolve("err-" + System.nanoTime() + ".log");
        Process process = HostProcess.launch(errors, List.of(args));
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(out).isEmpty();
        return new Failure(Files.readString(errors));
    }

    private record Failure(String stderr) {
        Failure isOneLineStartingWith(String start) {
            List<String> lines = stderr.lines().filter(l -> !l.isBlank()).toList();
            assertThat(lines).as(stderr).hasSize(1);
            assertThat(lines.get(0)).startsWith(start);
            return this;
        }

        Failure contains(String text) {
            assertThat(stderr).contains(text);
            return this;
        }

        Failure doesNotContain(String text) {
            assertThat(stderr).doesNotContain(text);
            return this;
        }
    }

    @Test
    void pluginsListNamesConnectorsAndFailures() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        TestPluginJar.fakeDesk(plugins);
        new TestPluginJar(plugins.resolve("noindex.jar")).pluginId("noindex").withoutExtensionIndex().build();
        Process process = HostProcess.launch(dir.resolve("err.log"), List.of("plugins", "list", "--plugins-dir", plugins.toString()));
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(out).contains("fakedesk").contains("FAILED noindex.jar (noindex)").contains("extensions.idx");
        assertThat(process.exitValue()).isEqualTo(1);
    }
}
