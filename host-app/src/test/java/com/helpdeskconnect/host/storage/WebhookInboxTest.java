package com.helpdeskconnect.host.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.helpdeskconnect.api.webhook.WebhookRequest;
import com.helpdeskconnect.host.http.Json;
import com.helpdeskconnect.host.testing.TestStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A stored call that cannot be read is parked on its own; the other calls are still read. */
class WebhookInboxTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(TestStore.Kind.class)
    void unreadableCallIsParkedWithAReasonAndTheOthersAreStillRead(TestStore.Kind kind) {
        try (TestStore store = TestStore.of(kind, dir); Database db = store.open(2)) {
            WebhookInbox inbox = new WebhookInbox(db, SecretBox.load(null, dir.resolve("secret.key")), Json.mapper());
            // sealed with another key: what a restore with the wrong key file leaves behind
            WebhookInbox otherKey = new WebhookInbox(db, SecretBox.load(null, dir.resolve("other.key")), Json.mapper());
            long wrongKey = otherKey.store("a", call("first"));
            long laterOfA = inbox.store("a", call("second"));
            long ofB = inbox.store("b", call("third"));
            long damaged = inbox.store("c", call("fourth"));
            db.query(c -> {
                try (var ps = c.prepareStatement("UPDATE webhook_inbox SET request_sealed = 'v1:not-base64!' WHERE id = ?")) {
                    ps.setLong(1, damaged);
                    return ps.executeUpdate();
                }
            });

            List<WebhookInbox.Entry> first = inbox.due(20, java.util.Set.of());
            assertThat(first).extracting(WebhookInbox.Entry::id).containsExactly(ofB);
            assertThat(new String(first.get(0).request().body())).isEqualTo("third");
            assertThat(status(inbox, "a", wrongKey).state()).isEqualTo("PARKED");
            assertThat(status(inbox, "a", wrongKey).note()).contains("cannot be read").doesNotContain("first");
            assertThat(status(inbox, "c", damaged).state()).isEqualTo("PARKED");

            inbox.queue().done(first.get(0).claim(), "done");
            // the call queued behind the unreadable one is no longer held back by it
            assertThat(inbox.due(20, java.util.Set.of())).extracting(WebhookInbox.Entry::id).containsExactly(laterOfA);
        }
    }

    private static WebhookInbox.Status status(WebhookInbox inbox, String integrationId, long id) {
        return inbox.recent(integrationId, 50).stream().filter(s -> s.id() == id).findFirst().orElseThrow();
    }

    private static WebhookRequest call(String body) {
        return WebhookRequest.json(Map.of("X-Webhook-Secret", "s"), body);
    }
}
