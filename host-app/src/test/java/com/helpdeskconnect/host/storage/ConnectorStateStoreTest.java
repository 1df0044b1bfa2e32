package com.helpdeskconnect.host.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.helpdeskconnect.api.state.ConnectorState;
import com.helpdeskconnect.host.http.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The connectors' durable state in the host's database (a real H2 file). */
class ConnectorStateStoreTest {
    @TempDir
    Path dir;

    @Test
    void valuesAreKeptPerIntegrationAcrossRestartsAndDeletedWithTheIntegration() {
        Path data = dir.resolve("data");
        try (Database db = Database.open(data, 4)) {
            IntegrationStore integrations = new IntegrationStore(db, SecretBox.load(null, data.resolve("secret.key")), Json.mapper());
            integrations.save("acme", "fakedesk", Map.of(), "w", null, "c", Map.of());
            integrations.save("beta", "fakedesk", Map.of(), "w", null, "c", Map.of());
            ConnectorState acme = new ConnectorStateStore(db).forIntegration("acme");
            ConnectorState beta = new ConnectorStateStore(db).forIntegration("beta");
            acme.put("case:c1", "4711");
            acme.put("case:c1", "4712"); // replaced
            beta.put("case:c1", "9");
            assertThat(acme.get("case:c1")).hasValue("4712");
            assertThat(beta.get("case:c1")).hasValue("9");
            assertThat(acme.putIfAbsent("comment:1", "ours")).isEqualTo("ours");
            assertThat(acme.putIfAbsent("comment:1", "theirs")).isEqualTo("ours");
            assertThat(acme.remove("comment:1")).isTrue();
            assertThat(acme.remove("comment:1")).isFalse();
            assertThat(acme.get("comment:1")).isEmpty();
            String big = "x".repeat(ConnectorState.MAX_VALUE_LENGTH);
            acme.put("big", big);
            assertThat(acme.get("big")).hasValue(big);
            assertThatThrownBy(() -> acme.put("k".repeat(201), "v")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> acme.put("big", big + "x")).isInstanceOf(IllegalArgumentException.class);
        }
        try (Database db = Database.open(data, 4)) {
            ConnectorStateStore states = new ConnectorStateStore(db);
            assertThat(states.forIntegration("acme").get("case:c1")).hasValue("4712");
            new IntegrationStore(db, SecretBox.load(null, data.resolve("secret.key")), Json.mapper()).delete("acme");
            assertThat(states.forIntegration("acme").get("case:c1")).isEmpty();
            assertThat(states.forIntegration("acme").get("big")).isEmpty();
            assertThat(states.forIntegration("beta").get("case:c1")).hasValue("9");
        }
    }

    @Test
    void ofManyRacingPutIfAbsentOneWinsAndEveryoneSeesItsValue() throws Exception {
        try (Database db = Database.open(dir.resolve("data"), 8)) {
            ConnectorStateStore states = new ConnectorStateStore(db);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                for (int round = 0; round < 20; round++) {
                    String key = "ticket:" + round;
                    List<Future<String>> answers = new ArrayList<>();
                    for (int t = 0; t < 8; t++) {
                        String mine = "writer-" + t;
                        // each writer has its own state object, as separate host processes would
                        ConnectorState state = states.forIntegration("acme");
                        answers.add(pool.submit((Callable<String>) () -> state.putIfAbsent(key, mine)));
                    }
                    Set<String> seen = new java.util.HashSet<>();
                    for (Future<String> answer : answers) {
                        seen.add(answer.get());
                    }
                    assertThat(seen).hasSize(1);
                    assertThat(states.forIntegration("acme").get(key)).hasValue(seen.iterator().next());
                }
                // concurrent puts of one key: the last one stands, none fails
                List<Future<?>> puts = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    String mine = "v" + t;
                    puts.add(pool.submit(() -> states.forIntegration("acme").put("shared", mine)));
                }
                for (Future<?> put : puts) {
                    put.get();
                }
                assertThat(states.forIntegration("acme").get("shared")).hasValueSatisfying(v ->
                        assertThat(java.util.stream.IntStream.range(0, 8).mapToObj(i -> "v" + i).collect(Collectors.toSet()))
                                .contains(v));
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
