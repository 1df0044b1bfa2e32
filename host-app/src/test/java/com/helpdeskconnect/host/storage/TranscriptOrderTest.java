package com.helpdeskconnect.host.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.helpdeskconnect.api.cases.CaseRef;
import com.helpdeskconnect.host.events.ConversationEvent;
import com.helpdeskconnect.host.events.EventType;
import com.helpdeskconnect.host.http.Json;
import com.helpdeskconnect.host.storage.ConversationStore.TranscriptEntry;
import com.helpdeskconnect.host.storage.HelpdeskChanges.Applied;
import com.helpdeskconnect.host.storage.HelpdeskChanges.HelpdeskChange;
import com.helpdeskconnect.host.testing.TestStore;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The live stream reads "entries after the last seq I sent". That is only exact if transcript
 * entries become visible in seq order, although two writers insert them (the event writer's batches
 * and the webhook thread): a reader racing both must still see every entry.
 */
class TranscriptOrderTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(TestStore.Kind.class)
    void aReaderFollowingTheHighestSeqSeesEveryEntryWhileBothWritersInsert(TestStore.Kind kind) throws Exception {
        try (TestStore testStore = TestStore.of(kind, dir);
             Database db = testStore.open(8);
             ConversationStores store = ConversationStores.open(db, Json.mapper())) {
            store.intake().accept(message("first", "conv"));
            store.conversations().linkCase("desk", "conv", new CaseRef("case-1", "C-1", URI.create("https://desk.example/c/1")));
            ExecutorService pool = Executors.newFixedThreadPool(18);
            AtomicBoolean writing = new AtomicBoolean(true);
            try {
                List<Future<?>> writers = new ArrayList<>();
                for (int t = 0; t < 16; t++) {
                    int thread = t;
                    writers.add(pool.submit(() -> {
                        for (int i = 0; i < 25; i++) {
                            store.intake().accept(message("m-" + thread + "-" + i, "conv"));
                        }
                    }));
                }
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < 150; i++) {
                        assertThat(store.changes().applyHelpdeskChange("desk", "reply-" + i, "case-1", HelpdeskChange.AGENT_REPLY,
                                "Agent", "reply " + i, Instant.now(), false)).isEqualTo(Applied.APPLIED);
                    }
                }));
                // what ConversationStreams does: read after the highest seq seen so far
                Future<Set<Long>> reader = pool.submit(() -> {
                    Set<Long> seen = new TreeSet<>();
                    long last = 0;
                    boolean more = true;
                    while (more) {
                        more = writing.get();
                        for (TranscriptEntry e : store.conversations().transcriptAfter("desk", "conv", last)) {
                            seen.add(e.seq());
                            last = e.seq();
                        }
                    }
                    return seen;
                });
                for (Future<?> w : writers) {
                    w.get(120, TimeUnit.SECONDS);
                }
                writing.set(false);
                Set<Long> all = new TreeSet<>(store.conversations().transcript("desk", "conv").stream().map(TranscriptEntry::seq).toList());
                assertThat(all).hasSize(1 + 16 * 25 + 150);
                assertThat(reader.get(60, TimeUnit.SECONDS)).isEqualTo(all);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static ConversationEvent message(String eventId, String conversationId) {
        return new ConversationEvent(eventId, conversationId, "desk", EventType.CUSTOMER_MESSAGE,
                Instant.parse("2026-01-01T00:00:00Z"), "hello " + eventId, null, null, Map.of(), null, null, null);
    }
}
