package com.helpdeskconnect.host.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The demo's chat stream behaves like a browser's EventSource when the host drops or refuses it. */
class ChatStreamTest {
    private HttpServer server;
    private final List<String> lastEventIds = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final CountDownLatch done = new CountDownLatch(1);

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/expired", exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(401, -1);
            exchange.close();
        });
        server.createContext("/stream", exchange -> {
            int n = requests.incrementAndGet();
            lastEventIds.add(String.valueOf(exchange.getRequestHeaders().getFirst("Last-Event-ID")));
            if (n == 1) {
                // refused first: a widget keeps trying
                exchange.sendResponseHeaders(503, -1);
                exchange.close();
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            OutputStream body = exchange.getResponseBody();
            if (n == 2) {
                // one whole event, then the connection drops inside the next one
                write(body, "id: 1\nevent: transcript\ndata: first\n\nid: 2\nevent: transcript\ndata: sec");
                exchange.close();
                return;
            }
            write(body, "id: 2\nevent: transcript\ndata: second\n\n");
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        done.countDown();
        server.stop(0);
    }

    private static void write(OutputStream body, String text) throws IOException {
        body.write(text.getBytes(StandardCharsets.UTF_8));
        body.flush();
    }

    @Test
    void aRefusedOrDroppedStreamIsOpenedAgainFromTheLastWholeEvent() {
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/stream");
        try (ChatStream stream = new ChatStream(HttpClient.newHttpClient(), uri, Duration.ofMillis(50))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.data().size() == 2);
            assertThat(stream.data()).containsExactly("first", "second");
            // no id before the first event, then the last event received whole
            assertThat(lastEventIds).containsExactly("null", "null", "1");
            assertThat(stream.state()).startsWith("open (opened 2 times, 2 events, last id 2)");
        }
    }

    @Test
    void aStreamRefusedForGoodIsNotAskedAgain() throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/expired");
        try (ChatStream stream = new ChatStream(HttpClient.newHttpClient(), uri, Duration.ofMillis(50))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> stream.state().startsWith("refused with HTTP 401, given up"));
            Thread.sleep(300); // six retry delays
            assertThat(requests).hasValue(1);
        }
    }
}
