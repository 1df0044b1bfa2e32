package com.helpdeskconnect.host.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.helpdeskconnect.api.cases.CaseRef;
import com.helpdeskconnect.api.webhook.WebhookRequest;
import com.helpdeskconnect.host.events.ConversationEvent;
import com.helpdeskconnect.host.events.EventType;
import com.helpdeskconnect.host.http.Json;
import com.helpdeskconnect.host.storage.ConversationStore.TranscriptEntry;
import com.helpdeskconnect.host.storage.HelpdeskChanges.Applied;
import com.helpdeskconnect.host.storage.HelpdeskChanges.HelpdeskChange;
import com.helpdeskconnect.host.storage.OutboxStore.OutboxRow;
import com.helpdeskconnect.host.testing.TestStore;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several host processes on one PostgreSQL database, at the storage level: each "host" is its own
 * {@link Database} (its own pool, lease owner and lease renewer) on the same database. Skipped where
 * no PostgreSQL can be had.
 */
class SharedStoreTest {
    @TempDir
    Path dir;

    private TestStore testStore;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void database() {
        testStore = TestStore.of(TestStore.Kind.POSTGRES, dir);
    }

    @AfterEach
    void close() throws Exception {
        Collections.reverse(open);
        for (AutoCloseable c : open) {
            c.close();
        }
        if (testStore != null) {
            testStore.close();
        }
    }

    private Database host(Duration lease) {
        Database db = testStore.open(12, lease);
        open.add(db);
        return db;
    }

    private ConversationStores store(Database db) {
        ConversationStores store = ConversationStores.open(db, Json.mapper());
        open.add(store);
        return store;
    }

    @Test
    void workersOnTwoHostsRunEachOperationOnceOneAtATimePerConversationAndInOrder() throws Exception {
        Database dbA = host(Duration.ofSeconds(30));
        Database dbB = host(Duration.ofSeconds(30));
        ConversationStores a = store(dbA);
        ConversationStores b = store(dbB);
        int conversations = 24;
        int events = 6;
        Map<String, List<String>> accepted = new ConcurrentHashMap<>();
        for (int e = 0; e < events; e++) {
            for (int c = 0; c < conversations; c++) {
                String id = "conv-" + c + "-ev-" + e;
                // both hosts take events, as a load balancer would hand them out
                (c % 2 == 0 ? a : b).intake().accept(message(id, "conv-" + c));
                accepted.computeIfAbsent("conv-" + c, k -> new ArrayList<>()).add(id);
            }
        }
        Map<String, String> inFlight = new ConcurrentHashMap<>();
        List<String> overlaps = new CopyOnWriteArrayList<>();
        Map<String, List<String>> ran = new ConcurrentHashMap<>();
        AtomicInteger done = new AtomicInteger();
        int total = conversations * events;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                ConversationStores store = w % 2 == 0 ? a : b;
                String worker = (w % 2 == 0 ? "A" : "B") + w;
                workers.add(pool.submit(() -> {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    while (done.get() < total && System.nanoTime() < deadline) {
                        for (OutboxRow row : store.outbox().claim(3, Set.of())) {
                            String other = inFlight.putIfAbsent(row.conversationId(), worker);
                            if (other != null) {
                                overlaps.add(row.eventId() + " on " + worker + " while " + other + " ran one");
                            }
                            ran.computeIfAbsent(row.conversationId(), k -> new CopyOnWriteArrayList<>()).add(row.eventId());
                            sleep(1);
                            inFlight.remove(row.conversationId(), worker);
                            store.outbox().complete(row, null, null);
                            done.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> w : workers) {
                w.get(90, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(overlaps).isEmpty();
        assertThat(done.get()).isEqualTo(total);
        assertThat(ran).isEqualTo(accepted);
        assertThat(a.outbox().count("PENDING")).isZero();
        assertThat(a.outbox().count("DONE")).isEqualTo(total);
    }

    @Test
    void aDeadHostsRowsAreTakenOverWhenItsLeaseEnds() throws Exception {
        Duration lease = Duration.ofSeconds(3);
        Database dbA = host(lease);
        Database dbB = host(lease);
        ConversationStores a = store(dbA);
        ConversationStores b = store(dbB);
        a.intake().accept(message("first", "conv"));
        a.intake().accept(message("second", "conv"));
        Instant claiming = Instant.now();
        List<OutboxRow> claimed = a.outbox().claim(10, Set.of());
        assertThat(claimed).extracting(OutboxRow::eventId).containsExactly("first");
        // the host dies: no more renewals, no outcome, no hand-back
        ((AutoCloseable) dbA.dataSource()).close();

        assertThat(b.outbox().claim(10, Set.of())).isEmpty();
        List<OutboxRow> takenOver = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> b.outbox().claim(10, Set.of()), rows -> !rows.isEmpty());
        assertThat(takenOver).extracting(OutboxRow::eventId).containsExactly("first");
        // not before the lease (set from the host's clock when it claimed, after `claiming`) ended, and
        // soon after: the upper bound is loose for a loaded CI machine, far below "never"
        assertThat(Duration.between(claiming, Instant.now())).isGreaterThanOrEqualTo(lease).isLessThan(Duration.ofSeconds(15));
        b.outbox().complete(takenOver.get(0), null, null);
        assertThat(b.outbox().claim(10, Set.of())).extracting(OutboxRow::eventId).containsExactly("second");
    }

    @Test
    void aLiveHostKeepsItsRowPastTheLeaseAndACleanStopHandsItBackAtOnce() throws Exception {
        // renewed every second, a 3 s lease survives a 2 s stall of a loaded CI machine (a 1 s one
        // renewed every 333 ms lapsed on a 0.7 s stall)
        Database dbA = host(Duration.ofSeconds(3));
        Database dbB = host(Duration.ofSeconds(3));
        ConversationStores a = ConversationStores.open(dbA, Json.mapper());
        ConversationStores b = store(dbB);
        a.intake().accept(message("slow", "conv"));
        assertThat(a.outbox().claim(10, Set.of())).hasSize(1);
        // a helpdesk call two leases long: renewed, so nobody else runs it meanwhile
        Thread.sleep(6000);
        assertThat(b.outbox().claim(10, Set.of())).isEmpty();
        a.close();
        dbA.close();
        assertThat(b.outbox().claim(10, Set.of())).extracting(OutboxRow::eventId).containsExactly("slow");
    }

    @Test
    void anOutcomeFromAHostThatLostItsLeaseIsDropped() {
        Database dbA = host(Duration.ofSeconds(30));
        Database dbB = host(Duration.ofSeconds(30));
        ConversationStores a = store(dbA);
        ConversationStores b = store(dbB);
        a.intake().accept(message("e1", "conv"));
        OutboxRow mine = a.outbox().claim(1, Set.of()).get(0);
        // host A froze longer than its lease (a long GC pause, a suspended VM)
        dbA.query(c -> c.createStatement().executeUpdate("UPDATE outbox SET lease_until = lease_until - INTERVAL '1 hour'"));
        OutboxRow theirs = b.outbox().claim(1, Set.of()).get(0);
        a.outbox().retryLater(mine, Instant.now().plusSeconds(60), "late outcome");
        b.outbox().complete(theirs, null, null);
        assertThat(a.outbox().openOperations("desk", "conv")).isEmpty();
        assertThat(a.outbox().count("DONE")).isEqualTo(1);
    }

    @Test
    void transcriptEntriesFromTwoHostsBecomeVisibleInSeqOrder() throws Exception {
        ConversationStores a = store(host(Duration.ofSeconds(30)));
        ConversationStores b = store(host(Duration.ofSeconds(30)));
        ConversationStores reader = store(host(Duration.ofSeconds(30)));
        a.intake().accept(message("first", "conv"));
        a.conversations().linkCase("desk", "conv", new CaseRef("case-1", "C-1", URI.create("https://desk.example/c/1")));
        ExecutorService pool = Executors.newFixedThreadPool(12);
        AtomicBoolean writing = new AtomicBoolean(true);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                ConversationStores store = t % 2 == 0 ? a : b;
                int thread = t;
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        store.intake().accept(message("m-" + thread + "-" + i, "conv"));
                    }
                }));
            }
            for (ConversationStores store : List.of(a, b)) {
                String prefix = store == a ? "a" : "b";
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < 40; i++) {
                        assertThat(store.changes().applyHelpdeskChange("desk", "reply-" + prefix + i, "case-1", HelpdeskChange.AGENT_REPLY,
                                "Agent", "reply " + i, Instant.now(), false)).isEqualTo(Applied.APPLIED);
                    }
                }));
            }
            // a stream on a third host: per conversation, and the poll over all conversations
            Future<Set<Long>> stream = pool.submit(() -> {
                Set<Long> seen = new TreeSet<>();
                long last = 0;
                boolean more = true;
                while (more) {
                    more = writing.get();
                    for (TranscriptEntry e : reader.conversations().transcriptAfter("desk", "conv", last)) {
                        seen.add(e.seq());
                        last = e.seq();
                    }
                }
                return seen;
            });
            Future<Long> poll = pool.submit(() -> {
                long polled = 0;
                boolean more = true;
                while (more) {
                    more = writing.get();
                    for (ConversationStore.Changed changed : reader.conversations().changedSince(polled)) {
                        polled = Math.max(polled, changed.maxSeq());
                    }
                }
                return polled;
            });
            for (Future<?> w : writers) {
                w.get(120, TimeUnit.SECONDS);
            }
            writing.set(false);
            Set<Long> all = new TreeSet<>(reader.conversations().transcript("desk", "conv").stream().map(TranscriptEntry::seq).toList());
            assertThat(all).hasSize(1 + 8 * 25 + 2 * 40);
            assertThat(stream.get(60, TimeUnit.SECONDS)).isEqualTo(all);
            assertThat(poll.get(60, TimeUnit.SECONDS)).isEqualTo(((TreeSet<Long>) all).last());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void webhookCallsAndCallbacksAreClaimedByOneHostAtATimeInOrder() throws Exception {
        Database dbA = host(Duration.ofSeconds(30));
        Database dbB = host(Duration.ofSeconds(30));
        SecretBox box = SecretBox.load(null, dir.resolve("secret.key"));
        WebhookInbox inboxA = new WebhookInbox(dbA, box, Json.mapper());
        WebhookInbox inboxB = new WebhookInbox(dbB, box, Json.mapper());
        Set<Long> stored = new HashSet<>();
        for (int i = 0; i < 12; i++) {
            stored.add(inboxA.store("desk-" + i, WebhookRequest.json(Map.of(), "call " + i)));
        }
        long second = inboxB.store("desk-0", WebhookRequest.json(Map.of(), "second call of desk-0"));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<List<WebhookInbox.Entry>> fromA = pool.submit(() -> inboxA.due(20, java.util.Set.of()));
            Future<List<WebhookInbox.Entry>> fromB = pool.submit(() -> inboxB.due(20, java.util.Set.of()));
            // both claims end before any call is completed: on a busy machine one claim may start late,
            // and a completed first call would rightly let the integration's second call through
            List<WebhookInbox.Entry> claimedByA = fromA.get(30, TimeUnit.SECONDS);
            List<WebhookInbox.Entry> claimedByB = fromB.get(30, TimeUnit.SECONDS);
            Set<Long> ids = new HashSet<>();
            for (WebhookInbox.Entry e : claimedByA) {
                assertThat(ids.add(e.id())).isTrue();
                inboxA.queue().done(e.claim(), "done by A");
            }
            for (WebhookInbox.Entry e : claimedByB) {
                assertThat(ids.add(e.id())).as("claimed by both hosts: %s", e.id()).isTrue();
                inboxB.queue().done(e.claim(), "done by B");
            }
            // the integration's second call waited for its first, whichever host had it
            assertThat(ids).isEqualTo(stored);
            assertThat(inboxB.due(20, java.util.Set.of())).extracting(WebhookInbox.Entry::id).containsExactly(second);
        } finally {
            pool.shutdownNow();
        }

        ConversationStores a = store(dbA);
        CallbackStore callbacksA = new CallbackStore(dbA);
        CallbackStore callbacksB = new CallbackStore(dbB);
        a.intake().accept(message("first", "conv"));
        a.conversations().linkCase("desk", "conv", new CaseRef("case-1", "C-1", URI.create("https://desk.example/c/1")));
        for (int i = 0; i < 3; i++) {
            a.changes().applyHelpdeskChange("desk", "reply-" + i, "case-1", HelpdeskChange.AGENT_REPLY, "Agent", "reply " + i, Instant.now(), true);
        }
        List<String> delivered = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            List<CallbackStore.Row> rowsA = callbacksA.due(10, java.util.Set.of());
            List<CallbackStore.Row> rowsB = callbacksB.due(10, java.util.Set.of());
            // one conversation: one callback at a time, across both hosts
            assertThat(rowsA.size() + rowsB.size()).isEqualTo(1);
            CallbackStore.Row row = rowsA.isEmpty() ? rowsB.get(0) : rowsA.get(0);
            delivered.add(row.eventId());
            (rowsA.isEmpty() ? callbacksB : callbacksA).queue().done(row.claim(), null);
        }
        assertThat(delivered).containsExactly("reply-0", "reply-1", "reply-2");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ConversationEvent message(String eventId, String conversationId) {
        return new ConversationEvent(eventId, conversationId, "desk", EventType.CUSTOMER_MESSAGE,
                Instant.parse("2026-01-01T00:00:00Z"), "hello " + eventId, null, null, Map.of(), null, null, null);
    }
}
