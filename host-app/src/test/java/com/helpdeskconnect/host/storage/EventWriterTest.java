package com.helpdeskconnect.host.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.helpdeskconnect.host.events.ConversationEvent;
import com.helpdeskconnect.host.events.EventType;
import com.helpdeskconnect.host.http.Json;
import com.helpdeskconnect.host.storage.EventIntake.Accepted;
import com.helpdeskconnect.host.storage.EventIntake.ConflictingEventException;
import com.helpdeskconnect.host.storage.EventIntake.Outcome;
import com.helpdeskconnect.host.testing.TestStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Group commit: concurrent accepts share commits but keep each event's own answer. */
class EventWriterTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(TestStore.Kind.class)
    void concurrentAcceptsOfOneIdAcceptItOnceAndConflictsAreAnsweredPerEvent(TestStore.Kind kind) throws Exception {
        try (TestStore testStore = TestStore.of(kind, dir);
             Database db = testStore.open(4);
             ConversationStores store = ConversationStores.open(db, Json.mapper())) {
            ExecutorService pool = Executors.newFixedThreadPool(16);
            try {
                // 16 threads x the same 20 event ids: each id is NEW exactly once, DUPLICATE otherwise
                List<Future<List<Accepted>>> results = new ArrayList<>();
                for (int t = 0; t < 16; t++) {
                    results.add(pool.submit((Callable<List<Accepted>>) () -> {
                        List<Accepted> mine = new ArrayList<>();
                        for (int i = 0; i < 20; i++) {
                            mine.add(store.intake().accept(message("e" + i, "c" + (i % 5), "desk")));
                        }
                        return mine;
                    }));
                }
                int fresh = 0;
                int duplicates = 0;
                for (Future<List<Accepted>> r : results) {
                    for (Accepted a : r.get(60, TimeUnit.SECONDS)) {
                        if (a == Accepted.NEW) {
                            fresh++;
                        } else {
                            duplicates++;
                        }
                    }
                }
                assertThat(fresh).isEqualTo(20);
                assertThat(duplicates).isEqualTo(15 * 20);
            } finally {
                pool.shutdownNow();
            }
            for (int c = 0; c < 5; c++) {
                // every event of a conversation is in the transcript once, in the order it was accepted
                assertThat(store.conversations().transcript("desk", "c" + c)).hasSize(4);
                assertThat(store.outbox().openOperations("desk", "c" + c)).hasSize(4);
            }
            // an id reused in another conversation of the integration: 409, nothing stored
            assertThatThrownBy(() -> store.intake().accept(message("e0", "other", "desk")))
                    .isInstanceOf(ConflictingEventException.class);
            assertThat(store.conversations().conversation("desk", "other")).isEmpty();
            // ids are unique per integration: another integration has its own c0 and e0
            assertThat(store.intake().accept(message("e0", "c0", "another-desk"))).isEqualTo(Accepted.NEW);
            assertThat(store.conversations().transcript("another-desk", "c0")).hasSize(1);
            assertThat(store.conversations().transcript("desk", "c0")).hasSize(4);
            // a conversation's events accepted one after another keep their order
            for (int i = 0; i < 10; i++) {
                assertThat(store.intake().accept(message("seq-" + i, "ordered", "desk"))).isEqualTo(Accepted.NEW);
            }
            assertThat(store.conversations().transcript("desk", "ordered")).extracting(ConversationStore.TranscriptEntry::eventId)
                    .containsExactly("seq-0", "seq-1", "seq-2", "seq-3", "seq-4", "seq-5", "seq-6", "seq-7", "seq-8", "seq-9");
        }
    }

    @ParameterizedTest
    @EnumSource(TestStore.Kind.class)
    void acceptedEventsSurviveReopeningTheDatabase(TestStore.Kind kind) throws Exception {
        try (TestStore testStore = TestStore.of(kind, dir)) {
            try (Database db = testStore.open(2);
                 ConversationStores store = ConversationStores.open(db, Json.mapper())) {
                assertThat(store.intake().accept(message("kept", "c", "desk"))).isEqualTo(Accepted.NEW);
            }
            try (Database db = testStore.open(2);
                 ConversationStores store = ConversationStores.open(db, Json.mapper())) {
                assertThat(store.intake().accept(message("kept", "c", "desk"))).isEqualTo(Accepted.DUPLICATE);
                assertThat(store.outbox().openOperations("desk", "c")).hasSize(1);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestStore.Kind.class)
    void aListIsOneTransactionInItsOrderWithAnOutcomePerEvent(TestStore.Kind kind) throws Exception {
        try (TestStore testStore = TestStore.of(kind, dir);
             Database db = testStore.open(4);
             ConversationStores store = ConversationStores.open(db, Json.mapper())) {
            assertThat(store.intake().accept(message("before", "a", "desk"))).isEqualTo(Accepted.NEW);
            List<Outcome> outcomes = store.intake().acceptAll(List.of(message("a1", "a", "desk"), message("b1", "b", "desk"),
                    message("a2", "a", "desk"), message("a1", "a", "desk"), message("before", "b", "desk"),
                    message("b2", "b", "desk"), message("before", "a", "desk")));
            assertThat(outcomes).extracting(o -> o.heldBack() ? "HELD_BACK" : o.conflict() == null ? o.accepted().name() : "CONFLICT")
                    .containsExactly("NEW", "NEW", "NEW", "DUPLICATE", "CONFLICT", "HELD_BACK", "DUPLICATE");
            assertThat(outcomes.get(4).conflict()).hasMessageContaining("another conversation");
            assertThat(store.conversations().transcript("desk", "a")).extracting(ConversationStore.TranscriptEntry::eventId)
                    .containsExactly("before", "a1", "a2");
            // b2 came after b's refused event: not written, so that event, corrected, does not land behind it
            assertThat(store.outbox().openOperations("desk", "b")).extracting(o -> o.eventId()).containsExactly("b1");
            assertThat(store.intake().acceptAll(List.of())).isEmpty();

            // one event the database refuses: the whole list is rolled back, nothing of it is written
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute(kind == TestStore.Kind.SQLITE
                        ? "CREATE TRIGGER refuse_boom BEFORE INSERT ON outbox WHEN NEW.event_id = 'boom' "
                                + "BEGIN SELECT RAISE(ABORT, 'refused'); END"
                        : "ALTER TABLE outbox ADD CONSTRAINT refuse_boom CHECK (event_id <> 'boom')");
            }
            assertThatThrownBy(() -> store.intake().acceptAll(List.of(message("c1", "c", "desk"), message("a3", "a", "desk"),
                    message("boom", "c", "desk")))).isInstanceOf(Database.StorageException.class);
            assertThat(store.conversations().conversation("desk", "c")).isEmpty();
            assertThat(store.conversations().transcript("desk", "a")).hasSize(3);
            assertThat(store.intake().accept(message("a3", "a", "desk"))).isEqualTo(Accepted.NEW);
        }
    }

    /**
     * The writer's rows go in as JDBC batches. When a webhook took one of their ids between the
     * lookup and the write, the batch's failure must still read as a duplicate key, so the events are
     * sent again (and that id answered as seen) rather than failed. Each driver says so on the
     * exception the batch throws; this keeps it so.
     */
    @ParameterizedTest
    @EnumSource(TestStore.Kind.class)
    void aDuplicateKeyInsideABatchReadsAsADuplicateKey(TestStore.Kind kind) throws Exception {
        try (TestStore testStore = TestStore.of(kind, dir);
             Database db = testStore.open(2);
             ConversationStores store = ConversationStores.open(db, Json.mapper())) {
            store.intake().accept(message("taken", "c1", "desk"));
            Database.StorageException failure = org.junit.jupiter.api.Assertions.assertThrows(Database.StorageException.class,
                    () -> db.inTransaction(c -> {
                        try (java.sql.PreparedStatement ps = c.prepareStatement(
                                "INSERT INTO processed_events (integration_id, event_id, conversation_id, source, received_at) VALUES ('desk', ?, 'c1', 'api', CURRENT_TIMESTAMP)")) {
                            for (String id : List.of("fresh-1", "taken", "fresh-2")) {
                                ps.setString(1, id);
                                ps.addBatch();
                            }
                            return ps.executeBatch();
                        }
                    }));
            assertThat(failure.getCause()).isInstanceOf(java.sql.SQLException.class);
            assertThat(Database.isDuplicateKey((java.sql.SQLException) failure.getCause())).as(failure.getCause().toString()).isTrue();
            if (kind == TestStore.Kind.POSTGRES) {
                // the driver quotes neither the row's values nor the server's detail (they can be a customer's text)
                assertThat(failure).message().doesNotContain("taken").doesNotContain("fresh-1");
            }
        }
    }

    private static ConversationEvent message(String eventId, String conversationId, String integrationId) {
        return new ConversationEvent(eventId, conversationId, integrationId, EventType.CUSTOMER_MESSAGE,
                Instant.parse("2026-01-01T00:00:00Z"), "hello " + eventId, null, null, Map.of(), null, null, null);
    }
}
