package com.helpdeskconnect.host.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.helpdeskconnect.host.testing.Api;
import com.helpdeskconnect.host.testing.HostFixture;
import com.helpdeskconnect.sandbox.CreatioSandbox;
import com.helpdeskconnect.sandbox.CreatioSandboxExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stored client secret stays where it was entered: sending the mask back with another URL or
 * client id must not make verify carry it elsewhere; and a silent target does not hold a save.
 */
class KeptSecretTest {
    @RegisterExtension
    final CreatioSandboxExtension creatio = new CreatioSandboxExtension();

    @TempDir
    Path dir;
    HostFixture host;
    CreatioSandbox sandbox;
    Trap trap;

    @BeforeEach
    void start() throws IOException {
        sandbox = creatio.sandbox();
        CreatioPluginJar.installInto(dir.resolve("plugins"));
        host = HostFixture.start(dir);
        trap = new Trap();
        assertThat(save("desk", CreatioPluginJar.settings(sandbox)).status()).isEqualTo(200);
    }

    @AfterEach
    void stop() throws IOException {
        trap.close();
        host.close();
    }

    @Test
    void theMaskWithANewIdentityServerUrlDoesNotSendTheStoredSecretThere() {
        Map<String, Object> settings = CreatioPluginJar.settings(sandbox);
        settings.put("clientSecret", "********");
        settings.put("identityServerUrl", trap.url());
        Api.Response answer = save("desk", settings);
        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.json().get("error").asText()).isEqualTo("secret_required");
        assertThat(answer.json().get("fields").get("clientSecret").asText()).contains("re-enter").contains("identityServerUrl");
        assertThat(trap.connections).isEmpty();
        assertThat(answer.text()).doesNotContain(sandbox.clientSecret());
    }

    @Test
    void theMaskWithANewInstanceUrlOrClientIdIsRefusedToo() {
        Map<String, Object> moved = CreatioPluginJar.settings(sandbox);
        moved.put("clientSecret", "********");
        moved.put("instanceUrl", trap.url());
        assertThat(save("desk", moved).status()).isEqualTo(422);
        Map<String, Object> otherClient = CreatioPluginJar.settings(sandbox);
        otherClient.put("clientSecret", "********");
        otherClient.put("clientId", "someone-else");
        assertThat(save("desk", otherClient).json().get("fields").get("clientSecret").asText()).contains("clientId");
        assertThat(trap.connections).isEmpty();
    }

    @Test
    void theMaskIsStillKeptWhenOnlyOtherSettingsChange() {
        Map<String, Object> settings = CreatioPluginJar.settings(sandbox);
        settings.put("clientSecret", "********");
        settings.put("instanceUrl", sandbox.baseUrl() + " "); // the same after trimming
        assertThat(save("desk", settings).status()).isEqualTo(200);
    }

    @Test
    void verifyAgainstASilentTargetAnswersWithinTheBound() {
        Map<String, Object> settings = CreatioPluginJar.settings(sandbox);
        settings.put("instanceUrl", trap.url());
        settings.put("identityServerUrl", trap.url());
        long started = System.nanoTime();
        Api.Response answer = save("silent", settings);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        // the connector's own 5 s verify timeout answers, or else the host's 10 s bound; slack on top for a
        // loaded CI machine (12 s left it 2 s), and still below the connector's plain read timeout (30 s)
        assertThat(took).as("the save answers within the 10 s verify bound plus slack").isLessThan(Duration.ofSeconds(20));
        assertThat(answer.status()).isIn(422, 503);
        assertThat(answer.json().get("message").asText()).containsAnyOf("did not answer in time", "timed out", "time");
        assertThat(host.api.get("/api/v1/integrations/silent").status()).isEqualTo(404);
    }

    private Api.Response save(String id, Map<String, Object> settings) {
        return host.api.put("/api/v1/integrations/" + id, Map.of("connector", "creatio", "settings", settings));
    }

    /** A listener that accepts connections, records them and never answers. */
    static final class Trap implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final List<Socket> connections = new CopyOnWriteArrayList<>();
        final Thread acceptor;

        Trap() throws IOException {
            acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        connections.add(server.accept());
                    } catch (IOException closed) {
                        return;
                    }
                }
            }, "trap");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getLocalPort() + "/";
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : connections) {
                s.close();
            }
        }
    }
}
