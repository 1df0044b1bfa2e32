package com.helpdeskconnect.host.twoway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/** Reads a Server-Sent Events stream line by line in the background, as a chat widget would. */
final class SseListener implements AutoCloseable {
    final List<String> data = new CopyOnWriteArrayList<>();
    final List<String> ids = new CopyOnWriteArrayList<>();
    private final CompletableFuture<HttpResponse<Stream<String>>> response;
    volatile int status;
    volatile String contentType;

    SseListener(String url, String lastEventId) {
        this(url, lastEventId, null);
    }

    /** With {@code authorization} as the Authorization header (an API key or the admin token), if not null. */
    SseListener(String url, String lastEventId, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream").GET();
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        response = HttpClient.newHttpClient().sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines());
        response.thenAccept(r -> {
            status = r.statusCode();
            contentType = r.headers().firstValue("Content-Type").orElse("");
            Thread reader = new Thread(() -> {
                try (Stream<String> lines = r.body()) {
                    lines.forEach(line -> {
                        if (line.startsWith("data:")) {
                            data.add(line.substring(5).trim());
                        } else if (line.startsWith("id:")) {
                            ids.add(line.substring(3).trim());
                        }
                    });
                } catch (RuntimeException closed) {
                    // the stream ended
                }
            }, "sse-listener");
            reader.setDaemon(true);
            reader.start();
        });
    }

    @Override
    public void close() {
        response.thenAccept(r -> r.body().close());
        response.cancel(true);
    }
}
