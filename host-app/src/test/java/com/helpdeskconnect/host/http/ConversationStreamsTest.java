package com.helpdeskconnect.host.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.helpdeskconnect.host.demo.ChatStream;
import com.helpdeskconnect.host.events.ConversationEvent;
import com.helpdeskconnect.host.events.EventType;
import com.helpdeskconnect.host.security.Principal;
import com.helpdeskconnect.host.storage.ConversationStores;
import com.helpdeskconnect.host.storage.Database;
import com.helpdeskconnect.host.testing.TestStore;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The database is the stream's source: an entry whose notice never came still reaches an open stream. */
class ConversationStreamsTest {
    @TempDir
    Path dir;

    @Test
    void anEntryWrittenWithoutANoticeReachesTheOpenStreamByThePoll() throws Exception {
        try (TestStore testStore = TestStore.of(TestStore.Kind.SQLITE, dir);
             Database db = testStore.open(4);
             ConversationStores stores = ConversationStores.open(db, Json.mapper());
             ConversationStreams streams = new ConversationStreams(stores.conversations(), Json.mapper(), 10, 100)) {
            Javalin app = Javalin.create(config -> config.showJavalinBanner = false)
                    .before(ctx -> ctx.attribute(Authorizer.PRINCIPAL, Principal.bootstrapAdmin()))
                    .get("/api/v1/conversations/{conversationId}/stream", streams::handle)
                    .start("127.0.0.1", 0);
            stores.intake().accept(message("before-open"));
            try (ChatStream stream = new ChatStream(HttpClient.newHttpClient(), URI.create("http://127.0.0.1:" + app.port()
                    + "/api/v1/conversations/conv/stream?integrationId=desk"), Duration.ofMillis(200), null, Map.of())) {
                await().atMost(Duration.ofSeconds(30)).until(() -> stream.data().size() == 1); // the catch-up
                assertThat(streams.openStreams()).isEqualTo(1);

                // written straight to the store: nobody calls streams.changed(..)
                stores.intake().accept(message("no-notice"));

                await().atMost(Duration.ofSeconds(30)).until(() -> stream.data().size() == 2);
                assertThat(stream.data().get(1)).contains("no-notice");
                // by the poll, not by a catch-up after a reconnect
                assertThat(stream.state()).startsWith("open (opened 1 times");
            } finally {
                app.stop();
            }
        }
    }

    @Test
    void streamsOpenedWhileTheirConversationChangesStayOpenAndGetEveryEntryOnce() throws Exception {
        try (TestStore testStore = TestStore.of(TestStore.Kind.SQLITE, dir);
             Database db = testStore.open(4);
             ConversationStores stores = ConversationStores.open(db, Json.mapper());
             ConversationStreams streams = new ConversationStreams(stores.conversations(), Json.mapper(), 100, 100)) {
            Javalin app = Javalin.create(config -> config.showJavalinBanner = false)
                    .before(ctx -> ctx.attribute(Authorizer.PRINCIPAL, Principal.bootstrapAdmin()))
                    .get("/api/v1/conversations/{conversationId}/stream", streams::handle)
                    .start("127.0.0.1", 0);
            stores.intake().accept(message("first"));
            AtomicBoolean changing = new AtomicBoolean(true);
            // what the event writer and the webhook threads do while a stream opens: say "look again"
            Thread notifier = new Thread(() -> {
                while (changing.get()) {
                    streams.changed("conv");
                }
            });
            notifier.start();
            List<ChatStream> opened = new ArrayList<>();
            HttpClient http = HttpClient.newHttpClient();
            try {
                for (int i = 0; i < 100; i++) {
                    opened.add(new ChatStream(http, URI.create("http://127.0.0.1:" + app.port()
                            + "/api/v1/conversations/conv/stream?integrationId=desk"), Duration.ofMillis(200), null, Map.of()));
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> opened.stream().allMatch(s -> s.data().size() == 1));
                stores.intake().accept(message("second"));
                streams.changed("conv");
                await().atMost(Duration.ofSeconds(30)).until(() -> opened.stream().allMatch(s -> s.data().size() == 2));
                // a stream broken by two writers at once would have been closed and opened again
                assertThat(opened).allSatisfy(s -> assertThat(s.state()).startsWith("open (opened 1 times, 2 events"));
            } finally {
                changing.set(false);
                notifier.join();
                opened.forEach(ChatStream::close);
                app.stop();
            }
        }
    }

    private static ConversationEvent message(String eventId) {
        return new ConversationEvent(eventId, "conv", "desk", EventType.CUSTOMER_MESSAGE,
                Instant.parse("2026-01-01T00:00:00Z"), "hello " + eventId, null, null, Map.of(), null, null, null);
    }
}
