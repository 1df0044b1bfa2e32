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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stream route alone on an SQLite store, as the admin: the database is the stream's source, so an
 * entry whose notice never came still arrives, and a stream opening while its conversation changes
 * is never broken by two writers.
 */
class ConversationStreamsTest {
    @TempDir
    Path dir;
    TestStore testStore;
    Database db;
    ConversationStores stores;
    ConversationStreams streams;
    Javalin app;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        testStore = TestStore.of(TestStore.Kind.SQLITE, dir);
        db = testStore.open(4);
        stores = ConversationStores.open(db, Json.mapper());
        streams = new ConversationStreams(stores.conversations(), Json.mapper(), 100, 100);
        app = Javalin.create(config -> config.showJavalinBanner = false)
                .before(ctx -> ctx.attribute(Authorizer.PRINCIPAL, Principal.bootstrapAdmin()))
                .get("/api/v1/conversations/{conversationId}/stream", streams::handle)
                .start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() throws Exception {
        app.stop();
        streams.close();
        stores.close();
        db.close();
        testStore.close();
    }

    private ChatStream open() {
        return new ChatStream(http, URI.create("http://127.0.0.1:" + app.port() + "/api/v1/conversations/conv/stream?integrationId=desk"),
                Duration.ofMillis(200), null, Map.of());
    }

    @Test
    void anEntryWrittenWithoutANoticeReachesTheOpenStreamByThePoll() {
        stores.intake().accept(message("before-open"));
        try (ChatStream stream = open()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> stream.data().size() == 1); // the catch-up
            assertThat(streams.openStreams()).isEqualTo(1);

            // written straight to the store: nobody calls streams.changed(..)
            stores.intake().accept(message("no-notice"));

            await().atMost(Duration.ofSeconds(30)).until(() -> stream.data().size() == 2);
            assertThat(stream.data().get(1)).contains("no-notice");
            // by the poll, not by a catch-up after a reconnect
            assertThat(stream.state()).startsWith("open (opened 1 times");
        }
    }

    @Test
    void streamsOpenedWhileTheirConversationChangesStayOpenAndGetEveryEntryOnce() throws Exception {
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
        try {
            for (int i = 0; i < 100; i++) {
                opened.add(open());
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
        }
    }

    private static ConversationEvent message(String eventId) {
        return new ConversationEvent(eventId, "conv", "desk", EventType.CUSTOMER_MESSAGE,
                Instant.parse("2026-01-01T00:00:00Z"), "hello " + eventId, null, null, Map.of(), null, null, null);
    }
}
