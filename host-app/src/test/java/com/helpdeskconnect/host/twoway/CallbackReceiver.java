package com.helpdeskconnect.host.twoway;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** The customer channel's end of the callbacks: a real HTTP server on a random port that records every POST. */
final class CallbackReceiver implements AutoCloseable {
    record Received(Map<String, List<String>> headers, byte[] body, int answered, java.time.Instant at) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        String text() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private final HttpServer server;
    final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger failNext = new AtomicInteger();
    private final AtomicInteger rateLimitNext = new AtomicInteger();
    private volatile int retryAfterSeconds;

    CallbackReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/callback", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            int status = rateLimitNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? 429
                    : failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? 503 : 204;
            if (status == 429) {
                exchange.getResponseHeaders().add("Retry-After", Integer.toString(retryAfterSeconds));
            }
            received.add(new Received(Map.copyOf(exchange.getRequestHeaders()), body, status, java.time.Instant.now()));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/callback";
    }

    /** The next {@code n} calls answer 503. */
    void failNext(int n) {
        failNext.set(n);
    }

    /** The next {@code n} calls answer 429 with {@code Retry-After: seconds}. */
    void rateLimitNext(int n, int seconds) {
        retryAfterSeconds = seconds;
        rateLimitNext.set(n);
    }

    List<Received> accepted() {
        return received.stream().filter(r -> r.answered() / 100 == 2).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
