package com.helpdeskconnect.host.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.helpdeskconnect.host.testing.Api;
import com.helpdeskconnect.host.testing.HostProcess;
import com.helpdeskconnect.host.testing.Journal;
import com.helpdeskconnect.host.testing.TestPluginJar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11's "concurrency + kill test with API keys on": two integrations, each fed by its own API
 * key from several threads, the host killed with {@code kill -9} while they post. After a restart the
 * keys still work, every event the host answered 202 reaches its own helpdesk exactly once and in
 * order, events that got no answer are re-sent with their ids and land once too, and neither key sees
 * the other integration's conversations.
 */
class KeyedCrashRestartTest {
    private static final List<String> INTEGRATIONS = List.of("acme", "globex");
    private static final int CONVERSATIONS_PER_INTEGRATION = 3;
    private static final int MESSAGES = 8;

    @TempDir
    Path dir;

    @Test
    void concurrentKeyedClientsLoseAndDuplicateNothingAcrossAKill() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        TestPluginJar.fakeDesk(plugins);
        Path data = dir.resolve("data");
        Map<String, String> keys = new LinkedHashMap<>();
        Map<String, Map<String, Object>> sent = new ConcurrentHashMap<>();
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        Set<String> unanswered = ConcurrentHashMap.newKeySet();

        try (HostProcess first = HostProcess.serve(data, plugins, dir.resolve("first.log"))) {
            Api admin = first.api();
            for (String integration : INTEGRATIONS) {
                Map<String, Object> settings = Map.of("journal", journal(integration).toString(), "password", "good", "delayMs", 150);
                assertThat(admin.put("/api/v1/integrations/" + integration, Map.of("connector", "fakedesk", "settings", settings))
                        .status()).isEqualTo(200);
                keys.put(integration, admin.createKey(integration + "-platform", List.of(integration),
                        List.of("events:write", "conversations:read")));
            }
            // one thread per conversation, each posting its messages in order with its integration's key
            ExecutorService clients = Executors.newFixedThreadPool(INTEGRATIONS.size() * CONVERSATIONS_PER_INTEGRATION);
            CountDownLatch someAccepted = new CountDownLatch(INTEGRATIONS.size() * CONVERSATIONS_PER_INTEGRATION * 2);
            AtomicBoolean killed = new AtomicBoolean();
            for (String integration : INTEGRATIONS) {
                Api api = first.api().as(keys.get(integration));
                for (int c = 0; c < CONVERSATIONS_PER_INTEGRATION; c++) {
                    String conversation = "conv-" + c;
                    clients.submit(() -> {
                        for (int m = 0; m < MESSAGES; m++) {
                            String eventId = conversation + "-msg-" + m;
                            Map<String, Object> event = event(eventId, m);
                            sent.put(integration + "/" + eventId, event);
                            if (killed.get()) {
                                unanswered.add(integration + "/" + eventId);
                                continue;
                            }
                            try {
                                int status = api.post("/api/v1/conversations/" + conversation + "/events", event).status();
                                if (status == 202) {
                                    accepted.add(integration + "/" + eventId);
                                    someAccepted.countDown();
                                } else {
                                    unanswered.add(integration + "/" + eventId);
                                }
                            } catch (RuntimeException connectionLost) {
                                unanswered.add(integration + "/" + eventId);
                            }
                        }
                    });
                }
            }
            assertThat(someAccepted.await(60, TimeUnit.SECONDS)).isTrue();
            first.kill();
            killed.set(true);
            clients.shutdown();
            assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(accepted).isNotEmpty();

        try (HostProcess second = HostProcess.serve(data, plugins, dir.resolve("second.log"))) {
            for (String integration : INTEGRATIONS) {
                Api api = second.api().as(keys.get(integration));
                // the key survived the kill; re-send what got no answer, with the same ids
                for (String id : unanswered.stream().filter(k -> k.startsWith(integration + "/")).sorted().toList()) {
                    String eventId = id.substring(integration.length() + 1);
                    String conversation = eventId.substring(0, eventId.indexOf("-msg-"));
                    assertThat(api.post("/api/v1/conversations/" + conversation + "/events", sent.get(id)).status())
                            .as("re-sent %s", id).isIn(200, 202);
                }
            }
            for (String integration : INTEGRATIONS) {
                Api api = second.api().as(keys.get(integration));
                await().atMost(Duration.ofSeconds(90)).until(() -> Journal.activityIds(journal(integration)).size()
                        >= CONVERSATIONS_PER_INTEGRATION * MESSAGES
                        && conversations().allMatch(c -> api.get("/api/v1/conversations/" + c).json().get("pending").isEmpty()));
                // the other integration's key cannot see these conversations
                String other = INTEGRATIONS.get(1 - INTEGRATIONS.indexOf(integration));
                Api otherApi = second.api().as(keys.get(other));
                assertThat(otherApi.get("/api/v1/conversations/conv-0?integrationId=" + integration).status()).isEqualTo(404);
            }
        }
        for (String integration : INTEGRATIONS) {
            List<String> written = Journal.activityIds(journal(integration));
            assertThat(written).as(integration).doesNotHaveDuplicates().hasSize(CONVERSATIONS_PER_INTEGRATION * MESSAGES);
            assertThat(Journal.of(journal(integration), "CASE")).hasSize(CONVERSATIONS_PER_INTEGRATION);
            conversations().forEach(conversation -> {
                List<String> expected = new ArrayList<>();
                for (int m = 0; m < MESSAGES; m++) {
                    expected.add(conversation + "-msg-" + m);
                }
                assertThat(written.stream().filter(id -> id.startsWith(conversation + "-")).toList())
                        .as("order in %s/%s", integration, conversation).containsExactlyElementsOf(expected);
            });
            accepted.stream().filter(k -> k.startsWith(integration + "/"))
                    .forEach(k -> assertThat(written).contains(k.substring(integration.length() + 1)));
        }
    }

    private Path journal(String integration) {
        return dir.resolve(integration + "-journal.txt");
    }

    private static java.util.stream.Stream<String> conversations() {
        return java.util.stream.IntStream.range(0, CONVERSATIONS_PER_INTEGRATION).mapToObj(c -> "conv-" + c);
    }

    private static Map<String, Object> event(String eventId, int m) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("eventId", eventId);
        event.put("type", m % 2 == 0 ? "customer_message" : "ai_reply");
        event.put("occurredAt", "2025-03-01T10:00:0" + (m % 10) + "Z");
        event.put("text", "message " + m);
        if (m % 2 == 0) {
            event.put("customer", Map.of("name", "Ada", "email", "ada@example.com"));
        }
        return event;
    }
}
