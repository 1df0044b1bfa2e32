package com.helpdeskconnect.host.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.helpdeskconnect.host.config.HostConfig.DatabaseSettings;
import com.helpdeskconnect.host.events.ConversationEvent;
import com.helpdeskconnect.host.events.EventType;
import com.helpdeskconnect.host.http.Json;
import com.helpdeskconnect.host.storage.OutboxStore.OutboxRow;
import com.helpdeskconnect.host.testing.TestStore;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
            List<String> lines = runAndKill(data, settings);
            for (String line : lines) {
                if (line.startsWith("A ")) {
                    accepted.add(line.substring(2));
                } else if (line.startsWith("D ")) {
                    done.add(Long.parseLong(line.substring(2)));
                }
            }
            assertThat(accepted).as("events answered before the kill").isNotEmpty();
            assertThat(done).as("rows finished before the kill").isNotEmpty();
            try (Database db = settings.sqlite() ? Database.open(data, settings, 2) : Database.openH2(data, 2, settings.lease())) {
                Set<String> stored = new HashSet<>();
                Set<Long> storedDone = new HashSet<>();
                db.query(c -> {
                    try (PreparedStatement ps = c.prepareStatement("SELECT event_id FROM processed_events WHERE integration_id = ?")) {
                        ps.setString(1, INTEGRATION);
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                stored.add(rs.getString(1));
                            }
                        }
                    }
                    try (PreparedStatement ps = c.prepareStatement("SELECT id FROM outbox WHERE state = 'DONE'");
                         ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            storedDone.add(rs.getLong(1));
                        }
                    }
                    return null;
                });
                assertThat(stored).as("round %d", round).containsAll(accepted);
                assertThat(storedDone).as("round %d", round).containsAll(done);
            }
        }
    }

    private static List<String> runAndKill(Path data, DatabaseSettings settings) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process child = new ProcessBuilder(java, "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", cp,
                Child.class.getName(), data.toString(), settings.url() == null ? "" : settings.url()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean killed = new AtomicBoolean();
        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // destroyForcibly closes the pipe at once, even while it is read: the lines read so far are the ones checked
                if (!killed.get()) {
                    throw new UncheckedIOException(e);
                }
            }
        });
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (child.isAlive() && System.nanoTime() < deadline && count(lines, "D ") < 200) {
                Thread.sleep(10);
            }
            Thread.sleep(ThreadLocalRandom.current().nextLong(0, 300)); // somewhere mid-commit
        } finally {
            killed.set(true);
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no close
            child.waitFor();
        }
        reader.get(30, TimeUnit.SECONDS);
        return lines;
    }

    private static int count(List<String> lines, String prefix) {
        synchronized (lines) {
            return (int) lines.stream().filter(l -> l.startsWith(prefix)).count();
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
