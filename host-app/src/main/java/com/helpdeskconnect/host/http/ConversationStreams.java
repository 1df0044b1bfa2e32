package com.helpdeskconnect.host.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.helpdeskconnect.host.storage.ConversationStore;
import com.helpdeskconnect.host.storage.ConversationStore.TranscriptEntry;
import com.helpdeskconnect.host.security.Principal;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 *
 * <p>A change that produced no local notice still arrives: an entry another host wrote on a shared
 * database (the customer's message accepted there, an agent reply from a webhook that reached it),
 * or one whose notice was lost. Every {@value #POLL_MS} ms one query asks which conversations have
 * entries past the highest seq seen, and their streams look again; such entries arrive up to that
 * much later than notified ones. With no stream open the poll only reads the highest seq.
 *
 * <p>A stream whose catch-up fails (the database unreachable for a moment) is closed rather than
 * left open without entries: the client opens it again with {@code Last-Event-ID} and resumes.
 *
 * <p>Streams are counted per credential (API key or chat link) and in total; one over either limit
 * is refused with 429 before the stream starts. A chat link's stream ends when the link expires.
 */
public final class ConversationStreams implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConversationStreams.class);
    private static final long HEARTBEAT_SECONDS = 15;
    static final long POLL_MS = 500;

    private final ConversationStore store;
    private final ObjectMapper mapper;
    private final Map<String, Set<Subscriber>> subscribers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> perCredential = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();
    private final int maxPerCredential;
    private final int maxTotal;
    private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sse-heartbeat");
        t.setDaemon(true);
        return t;
    });
    /** The highest transcript seq the poll has looked at; only the heartbeat thread uses it. */
    private long polledSeq;

    public ConversationStreams(ConversationStore store, ObjectMapper mapper, int maxPerCredential, int maxTotal) {
        this.store = store;
        this.mapper = mapper;
        this.maxPerCredential = maxPerCredential;
        this.maxTotal = maxTotal;
        // a comment now and then keeps proxies from closing idle streams and finds dead clients
        heartbeat.scheduleAtFixedRate(this::ping, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
        // taken before any stream opens: a stream's own catch-up covers everything up to here
        polledSeq = store.lastSeq();
        heartbeat.scheduleWithFixedDelay(this::poll, POLL_MS, POLL_MS, TimeUnit.MILLISECONDS);
    }

    /** Streams whose conversation got entries without a notice look again (see the class comment). */
    private void poll() {
        try {
            if (noStreams()) {
                long last = store.lastSeq();
                if (noStreams()) {
                    // a stream opened after this check catches up past last by itself
                    polledSeq = Math.max(polledSeq, last);
                    return;
                }
            }
            for (ConversationStore.Changed changed : store.changedSince(polledSeq)) {
                polledSeq = Math.max(polledSeq, changed.maxSeq());
                Set<Subscriber> subs = subscribers.get(changed.conversationId());
                if (subs != null) {
                    subs.stream().filter(s -> s.integrationId.equals(changed.integrationId())).forEach(this::flush);
                }
            }
        } catch (RuntimeException e) {
            log.debug("Polling the transcript for unnoticed entries failed: {}", e.toString());
        }
    }

    /** A conversation's set leaves the map with its last stream (see {@link #remove}), so an empty map means none. */
    private boolean noStreams() {
        return subscribers.isEmpty();
    }

    /** Transcript entries a customer never sees: agents-only notes from the helpdesk. */
    static final Set<String> AGENTS_ONLY = Set.of("agent_note");

    private static final class Subscriber {
        final String integrationId;
        final String conversationId;
        final SseClient client;
        final Instant expiresAt;
        /** Opened with a chat link: the customer's own view, without agents-only entries. */
        final boolean customer;
        long lastSeq;

        Subscriber(String integrationId, String conversationId, SseClient client, Instant expiresAt, boolean customer,
                   long lastSeq) {
            this.integrationId = integrationId;
            this.conversationId = conversationId;
            this.client = client;
            this.expiresAt = expiresAt;
            this.customer = customer;
            this.lastSeq = lastSeq;
        }
    }

    /** The route's handler: admits the stream (429 over the limits), then serves it as SSE. */
    void handle(Context ctx) throws Exception {
        // as on every conversation route: an id that can never exist gets no stream (nor a stream slot)
        ConversationsApi.conversationId(ctx);
        String integrationId = Authorizer.integrationFor(ctx, ctx.queryParam("integrationId"));
        Principal principal = Authorizer.principal(ctx);
        String credential = principal.id();
        if (!"text/event-stream".equals(ctx.header("Accept"))) {
            // Javalin's SseHandler would answer an empty 200; say what this route serves instead
            throw new ApiException(406, "not_acceptable", "This route serves 'Accept: text/event-stream' only");
        }
        if (!admit(credential)) {
            throw new ApiException(429, "too_many_streams", "At most " + maxPerCredential + " open streams per credential and "
                    + maxTotal + " in all");
        }
        Instant expiresAt = principal.chatLink().map(l -> l.expiresAt()).orElse(null);
        try {
            // the stream opens on another thread (ctx.async); from then on its onClose releases the slot
            boolean customer = principal.chatLink().isPresent();
            new SseHandler(client -> open(client, integrationId, expiresAt, customer, () -> release(credential))).handle(ctx);
        } catch (Exception | Error e) {
            release(credential);
            throw e;
        }
    }

    private boolean admit(String credential) {
        AtomicInteger mine = perCredential.computeIfAbsent(credential, k -> new AtomicInteger());
        if (mine.incrementAndGet() > maxPerCredential) {
            mine.decrementAndGet();
            return false;
        }
        if (total.incrementAndGet() > maxTotal) {
            total.decrementAndGet();
            mine.decrementAndGet();
            return false;
        }
        return true;
    }

    private void release(String credential) {
        total.decrementAndGet();
        perCredential.computeIfPresent(credential, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
    }

    private void open(SseClient client, String integrationId, Instant expiresAt, boolean customer, Runnable released) {
        String conversationId = client.ctx().pathParam("conversationId");
        Subscriber sub = new Subscriber(integrationId, conversationId, client, expiresAt, customer, lastEventId(client));
        // every write to a stream holds its monitor: once registered, a change's flush may write at
        // once, and two threads writing one response at the same time break it
        synchronized (sub) {
            client.onClose(() -> {
                remove(sub);
                released.run();
            });
            client.keepAlive();
            // added inside compute: a set emptied and dropped by remove() at the same time is never added to
            subscribers.compute(conversationId, (id, subs) -> {
                Set<Subscriber> set = subs == null ? ConcurrentHashMap.newKeySet() : subs;
                set.add(sub);
                return set;
            });
            try {
                client.sendComment("stream of conversation " + conversationId);
            } catch (RuntimeException e) {
                end(sub);
                return;
            }
            flush(sub);
        }
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

    /**
     * Called after a committed change of the conversation's transcript or status. Ids are unique per
     * integration only: streams of a same-named conversation of another integration look again too
     * and find nothing new (each reads its own integration's rows).
     */
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
                for (TranscriptEntry e : store.transcriptAfter(sub.integrationId, sub.conversationId, sub.lastSeq)) {
                    if (!(sub.customer && AGENTS_ONLY.contains(e.type()))) {
                        sub.client.sendEvent("transcript", json(e), Long.toString(e.seq()));
                    }
                    sub.lastSeq = e.seq();
                }
            } catch (RuntimeException e) {
                log.warn("Closing a stream of conversation {}: {} (its client resumes from Last-Event-ID)",
                        sub.conversationId, e.toString());
                end(sub);
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
                try {
                    if (sub.client.terminated()) {
                        remove(sub);
                    } else if (sub.expiresAt != null && !Instant.now().isBefore(sub.expiresAt)) {
                        sub.client.sendComment("chat link expired");
                        end(sub);
                    } else {
                        sub.client.sendComment("keep-alive");
                    }
                } catch (RuntimeException e) {
                    // one stream's failure must not cancel the heartbeat of all the others
                    end(sub);
                }
            }
        }));
    }

    /** Ends a stream: its client closes (onClose releases its slot) and it gets no more entries. */
    private void end(Subscriber sub) {
        remove(sub);
        try {
            sub.client.close();
        } catch (RuntimeException e) {
            // already gone
        }
    }

    private void remove(Subscriber sub) {
        // the conversation's set goes with its last stream, so the map holds open conversations only
        subscribers.computeIfPresent(sub.conversationId, (id, subs) -> {
            subs.remove(sub);
            return subs.isEmpty() ? null : subs;
        });
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
