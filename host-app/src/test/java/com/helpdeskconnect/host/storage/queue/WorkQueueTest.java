package com.helpdeskconnect.host.storage.queue;

import static org.assertj.core.api.Assertions.assertThat;

import com.helpdeskconnect.api.webhook.WebhookRequest;
import com.helpdeskconnect.host.events.ConversationEvent;
import com.helpdeskconnect.host.events.EventType;
import com.helpdeskconnect.host.http.Json;
import com.helpdeskconnect.host.storage.ConversationStores;
import com.helpdeskconnect.host.storage.Database;
import com.helpdeskconnect.host.storage.OutboxStore;
import com.helpdeskconnect.host.storage.OutboxStore.OutboxRow;
import com.helpdeskconnect.host.storage.SecretBox;
import com.helpdeskconnect.host.storage.WebhookInbox;
import com.helpdeskconnect.host.testing.TestStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The one queue under the outbox, the webhook inbox and the callback outbox: order per key,
 * parallel keys, busy keys skipped, counted and uncounted retries, and which queue a parked row
 * holds back. On the embedded database and on PostgreSQL.
 */
class WorkQueueTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(TestStore.Kind.class)
    void outboxRowsRunOnePerConversationInOrderAndAParkedRowHoldsBackItsConversationOnly(TestStore.Kind kind) {
        try (TestStore test = TestStore.of(kind, dir); Database db = test.open(4);
             ConversationStores stores = ConversationStores.open(db, Json.mapper())) {
            for (String event : List.of("a1", "a2", "a3")) {
                stores.intake().accept(message(event, "a"));
            }
            stores.intake().accept(message("b1", "b"));
            stores.intake().accept(message("b2", "b"));

            List<OutboxRow> first = stores.outbox().claim(10, Set.of());
            assertThat(first).extracting(OutboxRow::eventId).containsExactlyInAnyOrder("a1", "b1");
            assertThat(first).allMatch(r -> r.call() == 1 && r.firstAttemptAt() != null);
            // claimed rows are leased: nothing else of those conversations is runnable
            assertThat(stores.outbox().claim(10, Set.of())).isEmpty();

            OutboxRow a1 = first.stream().filter(r -> r.eventId().equals("a1")).findFirst().orElseThrow();
            OutboxRow b1 = first.stream().filter(r -> r.eventId().equals("b1")).findFirst().orElseThrow();
            stores.outbox().park(a1, "PERMANENT: no");
            stores.outbox().complete(b1, null, null);
            // the parked a1 holds back a2 and a3; b goes on
            assertThat(stores.outbox().claim(10, Set.of())).extracting(OutboxRow::eventId).containsExactly("b2");
            assertThat(stores.outbox().openOperations("desk", "a")).extracting(o -> o.state())
                    .containsExactly("PARKED", "PENDING", "PENDING");
        }
    }

    @ParameterizedTest
    @EnumSource(TestStore.Kind.class)
    void aBusyKeyIsSkippedAndAnUncountedRetryLeavesTheAttemptsAsTheyWere(TestStore.Kind kind) {
        try (TestStore test = TestStore.of(kind, dir); Database db = test.open(4);
             ConversationStores stores = ConversationStores.open(db, Json.mapper())) {
            stores.intake().accept(message("a1", "a"));
            stores.intake().accept(message("b1", "b"));
            List<OutboxRow> claimed = stores.outbox().claim(10, Set.of(Claim.orderKey("desk", "a")));
            assertThat(claimed).extracting(OutboxRow::eventId).containsExactly("b1");

            OutboxRow b1 = claimed.get(0);
            stores.outbox().rateLimited(b1, Instant.now().minusSeconds(1), "RATE_LIMITED: wait", OutboxStore.Progress.NONE);
            OutboxRow again = stores.outbox().claim(10, Set.of(Claim.orderKey("desk", "a"))).get(0);
            assertThat(again.attempts()).isZero();
            assertThat(again.call()).isEqualTo(2);
            assertThat(again.firstAttemptAt()).isEqualTo(b1.firstAttemptAt());

            stores.outbox().retryLater(again, Instant.now().minusSeconds(1), "TRANSIENT: later");
            OutboxRow third = stores.outbox().claim(10, Set.of(Claim.orderKey("desk", "a"))).get(0);
            assertThat(third.attempts()).isEqualTo(1);
            assertThat(third.call()).isEqualTo(3);
        }
    }

    @ParameterizedTest
    @EnumSource(TestStore.Kind.class)
    void webhookCallsKeepTheirOrderPerIntegrationAndAParkedCallHoldsNothingBack(TestStore.Kind kind) {
        try (TestStore test = TestStore.of(kind, dir); Database db = test.open(4)) {
            WebhookInbox inbox = new WebhookInbox(db, SecretBox.load(null, dir.resolve("secret.key")), Json.mapper());
            long a1 = inbox.store("desk-a", call("a1"));
            long a2 = inbox.store("desk-a", call("a2"));
            long b1 = inbox.store("desk-b", call("b1"));

            List<WebhookInbox.Entry> first = inbox.due(10, Set.of());
            assertThat(first).extracting(WebhookInbox.Entry::id).containsExactlyInAnyOrder(a1, b1);
            assertThat(first).allMatch(e -> e.claim().call() == 1);
            WebhookInbox.Entry entryA1 = first.stream().filter(e -> e.id() == a1).findFirst().orElseThrow();
            inbox.queue().park(entryA1.claim(), "PERMANENT: unreadable event");
            // a parked call does not hold back the integration's later calls
            assertThat(inbox.due(10, Set.of())).extracting(WebhookInbox.Entry::id).containsExactly(a2);
        }
    }

    private static ConversationEvent message(String eventId, String conversationId) {
        return new ConversationEvent(eventId, conversationId, "desk", EventType.CUSTOMER_MESSAGE,
                Instant.parse("2026-01-01T00:00:00Z"), "hello " + eventId, null, null, Map.of(), null, null, null);
    }

    private static WebhookRequest call(String body) {
        return WebhookRequest.json(Map.of("X-Webhook-Secret", "s"), body);
    }
}
