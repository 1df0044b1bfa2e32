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
    void withoutArgumentsPrintsTheVersionLine() throws Exception {
        Process process = HostProcess.launch(dir.resolve("err.log"), List.of());
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        assertThat(out).startsWith("Helpdesk Connect ").contains("connector SPI");
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
