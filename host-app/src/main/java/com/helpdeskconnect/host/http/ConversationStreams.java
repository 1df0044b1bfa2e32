package com.helpdeskconnect.host.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.helpdeskconnect.host.storage.ConversationStore;
import com.helpdeskconnect.host.storage.ConversationStore.TranscriptEntry;
import io.javalin.http.sse.SseClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/conversations/{conversationId}/stream}: the conversation's transcript as
 * Server-Sent Events ({@code event: transcript}, {@code id:} the entry's sequence number, data the
 * entry as JSON). A new stream first gets the entries after {@code Last-Event-ID} (all of them
 * without it), then every new one. The database is the source: a change only says "look again",
 * so no entry is lost or repeated when a change races the catch-up.
 *
 * <p>Resuming after the highest seq sent (live, or from {@code Last-Event-ID}) is exact, with no
 * window to re-read: every transaction that inserts transcript rows holds
 * {@code ConversationStore}'s transcript lock until it commits, so entries become visible strictly
 * in seq order and no lower seq can commit after a higher one was read.
 */
public final class ConversationStreams implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConversationStreams.class);
    private static final long HEARTBEAT_SECONDS = 15;

    private final ConversationStore store;
    private final ObjectMapper mapper;
    private final Map<String, Set<Subscriber>> subscribers = new ConcurrentHashMap<>();
    private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sse-heartbeat");
        t.setDaemon(true);
        return t;
    });

    public ConversationStreams(ConversationStore store, ObjectMapper mapper) {
        this.store = store;
        this.mapper = mapper;
        // a comment now and then keeps proxies from closing idle streams and finds dead clients
        heartbeat.scheduleAtFixedRate(this::ping, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
    }

    private static final class Subscriber {
        final String conversationId;
        final SseClient client;
        long lastSeq;

        Subscriber(String conversationId, SseClient client, long lastSeq) {
            this.conversationId = conversationId;
            this.client = client;
            this.lastSeq = lastSeq;
        }
    }

    void open(SseClient client) {
        String conversationId = client.ctx().pathParam("conversationId");
        Subscriber sub = new Subscriber(conversationId, client, lastEventId(client));
        subscribers.computeIfAbsent(conversationId, k -> ConcurrentHashMap.newKeySet()).add(sub);
        client.onClose(() -> remove(sub));
        client.keepAlive();
        client.sendComment("stream of conversation " + conversationId);
        flush(sub);
    }

    private static long lastEventId(SseClient client) {
        String header = client.ctx().header("Last-Event-ID");
        String value = header != null ? header : client.ctx().queryParam("after");
        try {
            return value == null ? 0 : Math.max(0, Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Called after a committed change of the conversation's transcript or status. */
    public void changed(String conversationId) {
        Set<Subscriber> subs = subscribers.get(conversationId);
        if (subs != null) {
            subs.forEach(this::flush);
        }
    }

    private void flush(Subscriber sub) {
        synchronized (sub) {
            if (sub.client.terminated()) {
                remove(sub);
                return;
            }
            try {
                // exact because seqs commit in order (see the class comment): nothing below lastSeq can still appear
                for (TranscriptEntry e : store.transcriptAfter(sub.conversationId, sub.lastSeq)) {
                    sub.client.sendEvent("transcript", json(e), Long.toString(e.seq()));
                    sub.lastSeq = e.seq();
                }
            } catch (RuntimeException e) {
                log.debug("Stream of conversation {} failed: {}", sub.conversationId, e.toString());
                remove(sub);
            }
        }
    }

    private String json(TranscriptEntry e) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("seq", e.seq());
        json.put("eventId", e.eventId());
        json.put("type", e.type());
        json.put("author", e.author());
        json.put("text", e.text());
        json.put("occurredAt", e.occurredAt());
        try {
            return mapper.writeValueAsString(json);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private void ping() {
        subscribers.values().forEach(subs -> subs.forEach(sub -> {
            synchronized (sub) {
                if (sub.client.terminated()) {
                    remove(sub);
                } else {
                    try {
                        sub.client.sendComment("keep-alive");
                    } catch (RuntimeException e) {
                        remove(sub);
                    }
                }
            }
        }));
    }

    private void remove(Subscriber sub) {
        Set<Subscriber> subs = subscribers.get(sub.conversationId);
        if (subs != null) {
            subs.remove(sub);
        }
    }

    /** Open streams, for tests and metrics. */
    public int openStreams() {
        return subscribers.values().stream().mapToInt(Set::size).sum();
    }

    @Override
    public void close() {
        heartbeat.shutdownNow();
        subscribers.values().forEach(subs -> subs.forEach(sub -> {
            try {
                sub.client.close();
            } catch (RuntimeException e) {
                // already gone
            }
        }));
        subscribers.clear();
    }
}
