package com.helpdeskconnect.host.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a chat widget's {@code EventSource} does, for the demo: reads a conversation's Server-Sent
 * Events in the background and, when the stream fails, ends or is refused for a while (429, 5xx),
 * opens it again after {@code retry} with {@code Last-Event-ID}, so an entry is neither missed nor
 * repeated; any other refusal (401, 404…) ends it for good. An event
 * counts once its blank line arrives, as in a browser: a stream cut inside an event resumes before it.
 * Tests use it as the chat widget too.
 */
public final class ChatStream implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChatStream.class);

    private final HttpClient http;
    private final URI uri;
    private final Duration retry;
    private final Map<String, String> headers;
    private final List<String> data = new CopyOnWriteArrayList<>();
    private final List<String> ids = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private volatile boolean closed;
    private volatile Stream<String> current;
    private volatile String lastEventId;
    private volatile String state = "connecting";
    private volatile int opened;
    private volatile int status;
    private volatile String contentType;

    ChatStream(HttpClient http, URI uri, Duration retry) {
        this(http, uri, retry, null, Map.of());
    }

    /**
     * @param lastEventId where to resume from at the first request, or null for everything
     * @param headers     sent with every request (an {@code Authorization} header, say)
     */
    public ChatStream(HttpClient http, URI uri, Duration retry, String lastEventId, Map<String, String> headers) {
        if (retry.isNegative() || retry.isZero()) {
            throw new IllegalArgumentException("The retry delay must be positive, not " + retry);
        }
        this.http = http;
        this.uri = uri;
        this.retry = retry;
        this.lastEventId = lastEventId;
        this.headers = Map.copyOf(headers);
        this.reader = new Thread(this::run, "demo-chat-stream");
        reader.setDaemon(true);
        reader.start();
    }

    /** The data of every event received so far, in order. */
    public List<String> data() {
        return data;
    }

    /** The id of every event received so far (those that had one), in order. */
    public List<String> ids() {
        return ids;
    }

    /** The status code of the last answer, 0 before the first. */
    public int status() {
        return status;
    }

    /** The Content-Type of the last answer, null before the first. */
    public String contentType() {
        return contentType;
    }

    /** For error messages: how the stream is doing and what it got. */
    public String state() {
        return state + " (opened " + opened + " times, " + data.size() + " events, last id " + lastEventId + ")";
    }

    private void run() {
        while (!closed) {
            // the bound is on the answer's head only: a stream's body may last as long as it likes
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream")
                    .timeout(Duration.ofSeconds(30)).GET();
            headers.forEach(request::header);
            if (lastEventId != null) {
                request.header("Last-Event-ID", lastEventId);
            }
            try {
                HttpResponse<Stream<String>> response = http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
                status = response.statusCode();
                contentType = response.headers().firstValue("Content-Type").orElse("");
                try (Stream<String> lines = response.body()) {
                    if (response.statusCode() != 200) {
                        state = "refused with HTTP " + response.statusCode();
                        if (response.statusCode() >= 400 && response.statusCode() < 500 && response.statusCode() != 429) {
                            // as EventSource does: asking again would be refused again (an expired link, say)
                            state += ", given up";
                            log.info("Chat stream {}", state);
                            return;
                        }
                    } else {
                        current = lines;
                        opened++;
                        state = "open";
                        read(lines);
                        state = "ended by the host";
                    }
                }
            } catch (IOException | RuntimeException e) {
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
                if (pending[0] != null) {
                    // an empty id resets it: the next request then sends none
                    lastEventId = pending[0].isEmpty() ? null : pending[0];
                    if (lastEventId != null) {
                        ids.add(lastEventId);
                    }
                }
                if (pending[1] != null) {
                    data.add(pending[1]);
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
