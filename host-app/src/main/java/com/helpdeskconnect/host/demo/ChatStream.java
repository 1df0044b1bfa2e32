package com.helpdeskconnect.host.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a chat widget's {@code EventSource} does, for the demo: reads a conversation's Server-Sent
 * Events in the background and, when the stream is refused, fails or ends, opens it again after
 * {@code retry} with {@code Last-Event-ID}, so an entry is neither missed nor repeated. An event
 * counts once its blank line arrives, as in a browser: a stream cut inside an event resumes before it.
 */
final class ChatStream implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChatStream.class);

    private final HttpClient http;
    private final URI uri;
    private final Duration retry;
    private final List<String> data = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private volatile boolean closed;
    private volatile Stream<String> current;
    private volatile String lastEventId;
    private volatile String state = "connecting";
    private volatile int opened;

    ChatStream(HttpClient http, URI uri, Duration retry) {
        this.http = http;
        this.uri = uri;
        this.retry = retry;
        this.reader = new Thread(this::run, "demo-chat-stream");
        reader.setDaemon(true);
        reader.start();
    }

    /** The data of every event received so far, in order. */
    List<String> data() {
        return data;
    }

    /** For error messages: how the stream is doing and what it got. */
    String state() {
        return state + " (opened " + opened + " times, " + data.size() + " events, last id " + lastEventId + ")";
    }

    private void run() {
        while (!closed) {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").GET();
            if (lastEventId != null) {
                request.header("Last-Event-ID", lastEventId);
            }
            try {
                HttpResponse<Stream<String>> response = http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
                try (Stream<String> lines = response.body()) {
                    if (response.statusCode() != 200) {
                        state = "refused with HTTP " + response.statusCode();
                    } else {
                        current = lines;
                        opened++;
                        state = "open";
                        read(lines);
                        state = "ended by the host";
                    }
                }
            } catch (IOException | UncheckedIOException e) {
                state = "failed: " + e;
            } catch (InterruptedException e) {
                return;
            }
            if (closed) {
                return;
            }
            log.info("Chat stream {}; opening it again in {} ms", state, retry.toMillis());
            try {
                Thread.sleep(retry.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Dispatches each event at its blank line; only single-line data, which is what the host sends. */
    private void read(Stream<String> lines) {
        String[] pending = new String[2]; // id, data
        lines.forEach(line -> {
            if (line.isEmpty()) {
                if (pending[1] != null) {
                    data.add(pending[1]);
                }
                if (pending[0] != null) {
                    lastEventId = pending[0];
                }
                pending[0] = null;
                pending[1] = null;
            } else if (line.startsWith("id:")) {
                pending[0] = line.substring(3).trim();
            } else if (line.startsWith("data:")) {
                pending[1] = line.substring(5).trim();
            }
        });
    }

    @Override
    public void close() {
        closed = true;
        Stream<String> lines = current;
        if (lines != null) {
            lines.close();
        }
        reader.interrupt();
    }
}
