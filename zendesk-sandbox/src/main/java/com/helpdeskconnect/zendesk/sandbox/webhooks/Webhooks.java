package com.helpdeskconnect.zendesk.sandbox.webhooks;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.helpdeskconnect.zendesk.sandbox.model.Actor;
import com.helpdeskconnect.zendesk.sandbox.model.TicketChange;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The account's one webhook and the trigger that notifies it, as an admin wires them for a
 * connector: trigger "Ticket is Updated" → "Notify active webhook" with the JSON body
 * {@code {"ticket_id":"{{ticket.id}}"}}. Deliveries are asynchronous, signed as Zendesk signs
 * them, and retried by Zendesk's rules (see {@link #retryDecision}). Settings can change at any
 * time; each attempt reads them when it is made.
 */
public final class Webhooks implements Consumer<TicketChange>, AutoCloseable {
    public static final String SIGNATURE_HEADER = "X-Zendesk-Webhook-Signature";
    public static final String TIMESTAMP_HEADER = "X-Zendesk-Webhook-Signature-Timestamp";
    public static final String INVOCATION_HEADER = "X-Zendesk-Webhook-Invocation-Id";
    public static final String WEBHOOK_ID_HEADER = "X-Zendesk-Webhook-Id";
    public static final String ACCOUNT_ID_HEADER = "X-Zendesk-Account-Id";
    public static final String DEFAULT_BODY = "{\"ticket_id\":\"{{ticket.id}}\"}";
    /** The sandbox account's id in {@code X-Zendesk-Account-Id}. */
    public static final String ACCOUNT_ID = "10000001";

    private static final Logger LOG = LoggerFactory.getLogger(Webhooks.class);
    private static final int MAX_RETRIES_CONFLICT = 3;
    private static final int MAX_RETRIES_THROTTLED = 3;
    private static final int MAX_RETRIES_NETWORK = 5;
    private static final long MAX_RETRY_AFTER_SECONDS = 60;

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "zendesk-sandbox-webhooks");
        thread.setDaemon(true);
        return thread;
    });
    private final List<WebhookAttempt> attempts = new CopyOnWriteArrayList<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final Set<Long> excludedUsers = ConcurrentHashMap.newKeySet();
    private final Clock wallClock = Clock.systemUTC();
    private final String webhookId = ulid();

    private volatile URI url;
    private volatile String signingSecret;
    private volatile boolean active = true;
    private volatile boolean onApiUpdates = true;
    private volatile boolean onCreate;
    private volatile String bodyTemplate = DEFAULT_BODY;
    private volatile Duration retryDelay = Duration.ofMillis(500);
    private volatile Duration timeout = Duration.ofSeconds(10);
    private volatile Duration timestampSkew = Duration.ZERO;

    /** Where the webhook posts and its signing secret; a null url means no webhook is wired. */
    public Webhooks configure(String newUrl, String newSigningSecret) {
        this.url = newUrl == null || newUrl.isBlank() ? null : URI.create(newUrl);
        this.signingSecret = newSigningSecret;
        return this;
    }

    /** Activates or deactivates the webhook (Admin Center's "Deactivate"); inactive sends nothing. */
    public Webhooks active(boolean isActive) {
        this.active = isActive;
        return this;
    }

    public boolean active() {
        return active;
    }

    /**
     * Whether updates made through the REST API fire the trigger (default true: a trigger without a
     * "Current user is not …" condition fires for the integration's own writes, which a connector
     * must then recognise as its own echoes).
     */
    public Webhooks onApiUpdates(boolean fire) {
        this.onApiUpdates = fire;
        return this;
    }

    /** Also fire on ticket creation ("Ticket is Created"); off by default. */
    public Webhooks onCreate(boolean fire) {
        this.onCreate = fire;
        return this;
    }

    /** The trigger condition "Current user is not {@code userId}" (repeatable). */
    public Webhooks excludeUpdatesBy(long userId) {
        excludedUsers.add(userId);
        return this;
    }

    /**
     * The trigger's JSON body; placeholders {@code {{ticket.id}}}, {@code {{ticket.external_id}}},
     * {@code {{ticket.status}}}, {@code {{current_user.id}}}, {@code {{current_user.email}}} are
     * replaced JSON-escaped.
     */
    public Webhooks bodyTemplate(String template) {
        this.bodyTemplate = template;
        return this;
    }

    /** The wait before the first retry, doubled for each further one (unless Retry-After says more). */
    public Webhooks retryDelay(Duration delay) {
        this.retryDelay = delay;
        return this;
    }

    /** How long the receiver may take to answer (Zendesk: 10 s). */
    public Webhooks timeout(Duration receiverTimeout) {
        this.timeout = receiverTimeout;
        return this;
    }

    /** Shifts the signature timestamps, to test a receiver's replay window. */
    public Webhooks timestampSkew(Duration skew) {
        this.timestampSkew = skew;
        return this;
    }

    public URI url() {
        return url;
    }

    /** The webhook's id (a ULID, as Zendesk's), sent as {@code X-Zendesk-Webhook-Id}. */
    public String webhookId() {
        return webhookId;
    }

    /** Every attempt so far, in order. */
    public List<WebhookAttempt> deliveries() {
        return List.copyOf(attempts);
    }

    public void clearDeliveries() {
        attempts.clear();
    }

    /** Back to the settings a sandbox starts with, keeping url and secret. */
    public void resetTrigger() {
        active = true;
        onApiUpdates = true;
        onCreate = false;
        excludedUsers.clear();
        bodyTemplate = DEFAULT_BODY;
        timestampSkew = Duration.ZERO;
    }

    /** Waits until no delivery is queued or waiting for a retry. */
    public boolean awaitIdle(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (pending.get() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    /** The trigger: decides whether a ticket write notifies the webhook, and queues the invocation. */
    @Override
    public void accept(TicketChange change) {
        if (url == null || !active) {
            return;
        }
        if (change.created() ? !onCreate : change.audit().events().isEmpty()) {
            return;
        }
        if (!onApiUpdates && change.actor().channel().equals(Actor.API)) {
            return;
        }
        if (excludedUsers.contains(change.actor().user().id())) {
            return;
        }
        String body = render(change);
        String invocationId = UUID.randomUUID().toString();
        pending.incrementAndGet();
        executor.execute(() -> attempt(invocationId, change.ticket().id(), body, 1, 0));
    }

    private String render(TicketChange change) {
        return bodyTemplate
                .replace("{{ticket.id}}", String.valueOf(change.ticket().id()))
                .replace("{{ticket.external_id}}", escape(change.ticket().externalId()))
                .replace("{{ticket.status}}", change.ticket().status().wire())
                .replace("{{current_user.id}}", String.valueOf(change.actor().user().id()))
                .replace("{{current_user.email}}", escape(change.actor().user().email()));
    }

    private static String escape(String text) {
        if (text == null) {
            return "";
        }
        String quoted = JsonNodeFactory.instance.textNode(text).toString();
        return quoted.substring(1, quoted.length() - 1);
    }

    private void attempt(String invocationId, long ticketId, String body, int attempt, int retriesUsed) {
        URI target = url;
        String secret = signingSecret;
        if (target == null || !active) {
            pending.decrementAndGet();
            return;
        }
        String timestamp = wallClock.instant().plus(timestampSkew).truncatedTo(ChronoUnit.SECONDS).toString();
        String signature = secret == null ? null : Signatures.sign(secret, timestamp, body);
        int status = 0;
        String error = null;
        boolean timedOut = false;
        HttpResponse<Void> response = null;
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(target)
                    .timeout(timeout)
                    .header("Content-Type", "application/json; charset=utf-8")
                    .header("User-Agent", "Zendesk Webhook")
                    .header(ACCOUNT_ID_HEADER, ACCOUNT_ID)
                    .header(WEBHOOK_ID_HEADER, webhookId)
                    .header(INVOCATION_HEADER, invocationId)
                    .header(TIMESTAMP_HEADER, timestamp)
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            if (signature != null) {
                request.header(SIGNATURE_HEADER, signature);
            }
            response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
            status = response.statusCode();
        } catch (HttpTimeoutException e) {
            timedOut = true;
            error = "timeout after " + timeout.toMillis() + " ms";
        } catch (IOException e) {
            error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pending.decrementAndGet();
            return;
        }
        long delayMillis = retryDecision(status, timedOut || error != null, response, retriesUsed);
        boolean retry = delayMillis >= 0;
        attempts.add(new WebhookAttempt(invocationId, ticketId, body, attempt, timestamp, signature, status, error,
                retry, Instant.now()));
        if (retry) {
            LOG.info("Webhook for ticket {} failed (attempt {}: {}), retrying", ticketId, attempt,
                    error != null ? error : "HTTP " + status);
            executor.schedule(() -> attempt(invocationId, ticketId, body, attempt + 1, retriesUsed + 1), delayMillis,
                    TimeUnit.MILLISECONDS);
        } else {
            if (status < 200 || status >= 300) {
                LOG.warn("Webhook for ticket {} not delivered (attempt {}: {})", ticketId, attempt,
                        error != null ? error : "HTTP " + status);
            }
            pending.decrementAndGet();
        }
    }

    /**
     * Zendesk's retry rules as far as they are known: a 409 is retried up to 3 times; a 429 or
     * 503 whose {@code Retry-After} is under 60 s up to 3 times after that wait; a timeout or
     * network failure up to 5 times; any other answer is final.
     *
     * @return the delay before the next attempt in ms, or -1 for none
     */
    private long retryDecision(int status, boolean networkFailure, HttpResponse<Void> response, int retriesUsed) {
        long backoff = retryDelay.toMillis() << Math.min(retriesUsed, 10);
        if (networkFailure) {
            return retriesUsed < MAX_RETRIES_NETWORK ? backoff : -1;
        }
        if (status == 409) {
            return retriesUsed < MAX_RETRIES_CONFLICT ? backoff : -1;
        }
        if (status == 429 || status == 503) {
            long retryAfter = response.headers().firstValue("Retry-After").map(Webhooks::seconds).orElse(-1L);
            if (retryAfter < 0 || retryAfter >= MAX_RETRY_AFTER_SECONDS || retriesUsed >= MAX_RETRIES_THROTTLED) {
                return -1;
            }
            return Math.max(backoff, retryAfter * 1000);
        }
        return -1;
    }

    private static long seconds(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A ULID-shaped id: 26 Crockford base-32 characters. */
    private static String ulid() {
        String alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        StringBuilder id = new StringBuilder(26);
        long time = System.currentTimeMillis();
        for (int i = 9; i >= 0; i--) {
            id.append(alphabet.charAt((int) ((time >>> (i * 5)) & 31)));
        }
        java.util.Random random = new java.security.SecureRandom();
        for (int i = 0; i < 16; i++) {
            id.append(alphabet.charAt(random.nextInt(32)));
        }
        return id.toString();
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
