package com.helpdeskconnect.host.twoway;

import static org.awaitility.Awaitility.await;

import com.helpdeskconnect.host.demo.ChatStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A conversation's Server-Sent Events as a chat widget reads them: in the background, opened again
 * with Last-Event-ID when it drops (the demo's {@link ChatStream}); {@link #toString} says its state
 * for await messages.
 */
final class SseListener implements AutoCloseable {
    final List<String> data;
    final List<String> ids;
    private final ChatStream stream;

    SseListener(String url, String lastEventId) {
        this(url, lastEventId, null);
    }

    /** With {@code authorization} as the Authorization header (an API key or the admin token), if not null. */
    SseListener(String url, String lastEventId, String authorization) {
        stream = new ChatStream(HttpClient.newHttpClient(), URI.create(url), Duration.ofMillis(200), lastEventId,
                authorization == null ? Map.of() : Map.of("Authorization", authorization));
        data = stream.data();
        ids = stream.ids();
    }

    /** Waits until exactly {@code n} events arrived; a timeout says what the stream went through. */
    void awaitEvents(int n) {
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> data.size() == n);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("Waited for " + n + " events on the " + this, e);
        }
    }

    int status() {
        return stream.status();
    }

    String contentType() {
        return stream.contentType();
    }

    @Override
    public String toString() {
        return "stream " + stream.state();
    }

    @Override
    public void close() {
        stream.close();
    }
}
