package com.helpdeskconnect.host.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.helpdeskconnect.host.config.HostConfig.DatabaseSettings;
import com.helpdeskconnect.host.storage.Database;
import com.helpdeskconnect.host.testing.Api;
import com.helpdeskconnect.host.testing.HostProcess;
import com.helpdeskconnect.host.testing.Journal;
import com.helpdeskconnect.host.testing.TestPluginJar;
import com.helpdeskconnect.host.testing.TestStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Kill -9 in the middle of syncing, start again: every accepted event (one at a time or in a batch)
 * reaches the helpdesk exactly once.
 */
class CrashRestartTest {
    private static final int CONVERSATIONS = 4;
    private static final int MESSAGES = 6;

    @TempDir
    Path dir;

    /**
     * On the H2 file of a data folder made before SQLite became the default, and on an SQLite file
     * (named by the environment first, the command line after the restart).
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void killedHostFinishesEveryAcceptedEventExactlyOnceAfterRestart(boolean sqlite) throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        TestPluginJar.fakeDesk(plugins);
        Path data = dir.resolve("data");
        Path journal = dir.resolve("journal.txt");
        String sqliteUrl = TestStore.sqliteUrl(dir.resolve("sqlite"));
        Map<String, String> firstEnv = sqlite ? Map.of("HELPDESK_CONNECT_DATABASE_URL", sqliteUrl) : Map.of();
        List<String> secondArgs = sqlite ? List.of("--database-url", sqliteUrl) : List.of();
        if (!sqlite) {
            Database.openH2(data, 2, DatabaseSettings.DEFAULT_LEASE).close(); // an existing installation's folder
        }

        Map<String, List<String>> expected = new LinkedHashMap<>();
        try (HostProcess first = HostProcess.serve(data, plugins, dir.resolve("first.log"), List.of(), firstEnv)) {
            Api api = first.api();
            // slow enough that posting all events (seconds on a loaded machine) cannot outlast syncing them
            Map<String, Object> settings = Map.of("journal", journal.toString(), "password", "good", "delayMs", 1500);
            assertThat(api.put("/api/v1/integrations/acme", Map.of("connector", "fakedesk", "settings", settings)).status())
                    .isEqualTo(200);
            for (int m = 0; m < MESSAGES; m++) {
                // the last round goes as one batch (POST /api/v1/events): its 200 means committed as well
                boolean last = m == MESSAGES - 1;
                List<Object> batch = new ArrayList<>();
                for (int c = 0; c < CONVERSATIONS; c++) {
                    String conversation = "conv-" + c;
                    String eventId = conversation + "-msg-" + m;
                    Map<String, Object> event = ConversationSyncTest.message(eventId, m % 2 == 0 ? "customer_message" : "ai_reply", "message " + m);
                    if (last) {
                        event.put("conversationId", conversation);
                        batch.add(event);
                    } else {
                        assertThat(api.post("/api/v1/conversations/" + conversation + "/events", event).status()).isEqualTo(202);
                    }
                    expected.computeIfAbsent(conversation, k -> new ArrayList<>()).add(eventId);
                }
                if (last) {
                    Api.Response accepted = api.post("/api/v1/events", Map.of("events", batch));
                    assertThat(accepted.status()).as(accepted.text()).isEqualTo(200);
                    assertThat(accepted.json().get("accepted").asInt()).isEqualTo(CONVERSATIONS);
                }
            }
            // some writes have reached the helpdesk, many have not
            await().atMost(Duration.ofSeconds(30)).until(() -> Journal.activityIds(journal).size() >= CONVERSATIONS);
            first.kill();
        }
        int beforeRestart = Journal.activityIds(journal).size();
        assertThat(beforeRestart).isLessThan(CONVERSATIONS * MESSAGES);

        try (HostProcess second = HostProcess.serve(data, plugins, dir.resolve("second.log"), secondArgs, Map.of())) {
            Api api = second.api();
            await().atMost(Duration.ofSeconds(60)).until(() -> Journal.activityIds(journal).size() >= CONVERSATIONS * MESSAGES
                    && expected.keySet().stream().allMatch(c -> api.get("/api/v1/conversations/" + c + "?integrationId=acme").json().get("pending").isEmpty()));
        }
        if (sqlite) {
            assertThat(Files.readString(dir.resolve("second.log"))).contains("Database: SQLite file");
            assertThat(dir.resolve("sqlite").resolve("helpdesk-connect.db")).exists();
            assertThat(data.resolve("helpdesk-connect.mv.db")).doesNotExist();
        } else {
            assertThat(Files.readString(dir.resolve("second.log"))).contains("Database: H2 file");
            assertThat(data.resolve("helpdesk-connect.db")).doesNotExist();
        }
        List<String> written = Journal.activityIds(journal);
        assertThat(written).doesNotHaveDuplicates().hasSize(CONVERSATIONS * MESSAGES);
        assertThat(Journal.of(journal, "CASE")).hasSize(CONVERSATIONS);
        expected.forEach((conversation, ids) ->
                assertThat(written.stream().filter(id -> id.startsWith(conversation + "-")).toList())
                        .as("order in %s", conversation).containsExactlyElementsOf(ids));
    }
}
