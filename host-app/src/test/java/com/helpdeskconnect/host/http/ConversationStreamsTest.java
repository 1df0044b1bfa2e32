package com.helpdeskconnect.host.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.helpdeskconnect.host.events.ConversationEvent;
import com.helpdeskconnect.host.events.EventType;
import com.helpdeskconnect.host.security.Principal;
import com.helpdeskconnect.host.storage.ConversationStores;
import com.helpdeskconnect.host.storage.Database;
import com.helpdeskconnect.host.testing.TestStore;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
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
            List<String> data = new CopyOnWriteArrayList<>();
            CompletableFuture<HttpResponse<Stream<String>>> response = null;
            try {
                stores.intake().accept(message("before-open"));
                HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port()
                        + "/api/v1/conversations/conv/stream?integrationId=desk")).header("Accept", "text/event-stream").build();
                response = HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofLines());
                response.thenAccept(r -> new Thread(() -> r.body().filter(l -> l.startsWith("data:")).forEach(data::add)).start());
                await().atMost(Duration.ofSeconds(10)).until(() -> data.size() == 1); // the catch-up
                assertThat(streams.openStreams()).isEqualTo(1);

                // written straight to the store: nobody calls streams.changed(..)
                stores.intake().accept(message("no-notice"));

                await().atMost(Duration.ofSeconds(10)).until(() -> data.size() == 2);
                assertThat(data.get(1)).contains("no-notice");
            } finally {
                if (response != null) {
                    response.thenAccept(r -> r.body().close());
                }
                app.stop();
            }
        }
    }

    private static ConversationEvent message(String eventId) {
        return new ConversationEvent(eventId, "conv", "desk", EventType.CUSTOMER_MESSAGE,
                Instant.parse("2026-01-01T00:00:00Z"), "hello " + eventId, null, null, Map.of(), null, null, null);
    }
}
