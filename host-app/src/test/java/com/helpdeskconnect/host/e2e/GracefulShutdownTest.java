package com.helpdeskconnect.host.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.helpdeskconnect.host.testing.Api;
import com.helpdeskconnect.host.testing.HostProcess;
import com.helpdeskconnect.host.testing.TestPluginJar;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM while clients post events: every request sent gets an answer (202, or 503 while the host
 * drains), nothing answered 202 is lost, and the log shows an orderly stop.
 */
class GracefulShutdownTest {
    static final int CLIENTS = 16;

    @TempDir
    Path dir;

    @Test
    void sigtermUnderLoadAnswersEveryRequestAndLosesNothingAccepted() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        TestPluginJar.fakeDesk(plugins);
        Path data = dir.resolve("data");
        Path log = dir.resolve("host.log");
        HostProcess host = HostProcess.serve(data, plugins, log);
        Api api = host.api();
        assertThat(api.put("/api/v1/integrations/acme", Map.of("connector", "fakedesk", "settings",
                Map.of("journal", dir.resolve("journal.txt").toString(), "password", "good", "delayMs", 20))).status())
                .isEqualTo(200);

        ConcurrentLinkedQueue<String> accepted = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> refused = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> lost = new ConcurrentLinkedQueue<>();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String token = host.adminToken();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < CLIENTS; t++) {
            String conversation = "conv-" + t;
            running.add(clients.submit(() -> {
                for (int i = 0; ; i++) {
                    String eventId = conversation + "-e" + i;
                    String body = "{\"eventId\":\"" + eventId + "\",\"integrationId\":\"acme\",\"type\":\"customer_message\","
                            + "\"occurredAt\":\"2025-03-01T10:00:00Z\",\"text\":\"Message " + i + "\"}";
                    try {
                        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                        + host.port() + "/api/v1/conversations/" + conversation + "/events"))
                                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                                .header("Authorization", "Bearer " + token)
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                        if (answer.statusCode() == 202) {
                            accepted.add(conversation + "/" + eventId);
                        } else if (answer.statusCode() == 503) {
                            refused.add(eventId);
                            return null; // a good client goes elsewhere
                        } else {
                            lost.add(eventId + ": HTTP " + answer.statusCode() + " " + answer.body());
                            return null;
                        }
                    } catch (ConnectException notSent) {
                        return null; // the port is closed: nothing was sent
                    } catch (Exception e) {
                        lost.add(eventId + ": " + e);
                        return null;
                    }
                }
            }));
        }
        Thread.sleep(1500);
        int exit = host.terminate();
        for (Future<?> f : running) {
            f.get(60, TimeUnit.SECONDS);
        }
        clients.shutdown();

        String hostLog = Files.readString(log);
        assertThat(lost).as("requests without an answer").isEmpty();
        assertThat(accepted).isNotEmpty();
        assertThat(refused).as("clients told to go elsewhere while draining").isNotEmpty();
        assertThat(exit).isIn(0, 143);
        assertThat(hostLog).contains("Drained HTTP requests").doesNotContain("RejectedExecutionException")
                .doesNotContain("Unhandled error");

        try (HostProcess again = HostProcess.serve(data, plugins, dir.resolve("host2.log"))) {
            Api restarted = again.api();
            for (int t = 0; t < CLIENTS; t++) {
                String conversation = "conv-" + t;
                List<String> expected = accepted.stream().filter(a -> a.startsWith(conversation + "/"))
                        .map(a -> a.substring(conversation.length() + 1)).toList();
                if (expected.isEmpty()) {
                    continue;
                }
                List<String> stored = new ArrayList<>();
                restarted.get("/api/v1/conversations/" + conversation + "?integrationId=acme").json().get("transcript")
                        .forEach(e -> stored.add(e.get("eventId").asText()));
                assertThat(stored).as(conversation).containsAll(expected);
            }
        }
    }
}
