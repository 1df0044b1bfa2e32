package com.helpdeskconnect.host.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.helpdeskconnect.host.config.HostConfig.DatabaseSettings;
import com.helpdeskconnect.host.events.ConversationEvent;
import com.helpdeskconnect.host.events.EventType;
import com.helpdeskconnect.host.http.Json;
import com.helpdeskconnect.host.storage.OutboxStore.OutboxRow;
import com.helpdeskconnect.host.testing.KillCheck;
import com.helpdeskconnect.host.testing.TestStore;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code 202} means durable against a killed process: a child JVM accepts events through the host's own
 * {@link ConversationStores} (group commits) and completes claimed rows, printing each id once its call
 * returned; it is killed with SIGKILL mid-run, and the reopened store must hold every printed id. Run
 * on the embedded H2 file and on SQLite (WAL); {@code bench/store.sh --kill-rounds} does the same for StoreBench's candidates.
 * Not against a power cut: neither H2 nor SQLite with synchronous=NORMAL syncs a commit to the disk.
 */
class KilledStoreTest {
    private static final String INTEGRATION = "desk";

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = TestStore.Kind.class, names = {"EMBEDDED", "SQLITE"})
    void everyAcceptedEventAndFinishedRowOfTheEmbeddedStoreSurvivesKill9(TestStore.Kind kind) throws Exception {
        Path data = dir.resolve("data");
        DatabaseSettings settings = kind == TestStore.Kind.SQLITE
                ? new DatabaseSettings(TestStore.sqliteUrl(data), null, null, null) : DatabaseSettings.EMBEDDED;
        Set<String> accepted = new HashSet<>();
        Set<Long> done = new HashSet<>();
        for (int round = 0; round < 2; round++) {
            KillCheck.Acknowledged printed = KillCheck.Acknowledged.of(KillCheck.runAndKill(Child.class,
                    List.of(data.toString(), settings.url() == null ? "" : settings.url()), 200, 300, ProcessBuilder.Redirect.DISCARD));
            accepted.addAll(printed.accepted());
            done.addAll(printed.done());
            assertThat(accepted).as("events answered before the kill").isNotEmpty();
            assertThat(done).as("rows finished before the kill").isNotEmpty();
            try (Database db = settings.sqlite() ? Database.open(data, settings, 2) : Database.openH2(data, 2, settings.lease())) {
                KillCheck.Acknowledged stored = db.query(c -> KillCheck.Acknowledged.stored(c, INTEGRATION));
                assertThat(stored.accepted()).as("round %d", round).containsAll(accepted);
                assertThat(stored.done()).as("round %d", round).containsAll(done);
            }
        }
    }

    /** The child: 16 request threads accept events, one worker claims and completes rows, until killed. */
    static final class Child {
        private Child() {}

        public static void main(String[] args) throws Exception {
            PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 512), true,
                    StandardCharsets.UTF_8);
            Database db = args[1].isEmpty() ? Database.openH2(Path.of(args[0]), 8, DatabaseSettings.DEFAULT_LEASE)
                    : Database.open(Path.of(args[0]), new DatabaseSettings(args[1], null, null, null), 8);
            ConversationStores store = ConversationStores.open(db, Json.mapper());
            store.outbox().queue().releaseAbandonedLeases(); // as the host does on start
            String run = Long.toHexString(System.nanoTime());
            EventType[] types = EventType.values();
            for (int t = 0; t < 16; t++) {
                int thread = t;
                new Thread(() -> {
                    for (int n = 0; ; n++) {
                        String conversation = run + "-" + thread + "-" + n;
                        for (EventType type : types) {
                            String eventId = conversation + "-" + type.wire();
                            store.intake().accept(new ConversationEvent(eventId, conversation, INTEGRATION, type, Instant.now(),
                                    "text of " + eventId, new ConversationEvent.Contact("Jane", "jane@example.com", null),
                                    "summary", Map.of(), null, null, "done"));
                            out.println("A " + eventId);
                        }
                    }
                }, "client-" + t).start();
            }
            while (true) {
                List<OutboxRow> rows = store.outbox().claim(8, Set.of());
                for (OutboxRow row : rows) {
                    store.outbox().complete(row, "open", null);
                    out.println("D " + row.id());
                }
                if (rows.isEmpty()) {
                    Thread.sleep(1);
                }
            }
        }
    }
}
