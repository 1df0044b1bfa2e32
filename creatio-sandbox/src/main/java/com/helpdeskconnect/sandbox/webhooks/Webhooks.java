package com.helpdeskconnect.sandbox.webhooks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The "Call web service" end of the admin's business processes: where payloads go, with which
 * secret, and the asynchronous delivery with retries a process with error handling would do.
 * Settings can change at any time; each delivery reads them when it is attempted.
 */
public final class Webhooks implements AutoCloseable {
    public static final String SECRET_HEADER = "X-Helpdesk-Connect-Secret";

    private static final Logger LOG = LoggerFactory.getLogger(Webhooks.class);

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "creatio-sandbox-webhooks");
        thread.setDaemon(true);
        return thread;
    });
    private final List<WebhookDelivery> deliveries = new CopyOnWriteArrayList<>();
    private final AtomicInteger pending = new AtomicInteger();

    private volatile URI url;
    private volatile String secret;
    private volatile boolean createdByFilter;
    private volatile boolean taskActivities;
    private volatile int maxAttempts = 4;
    private volatile Duration retryDelay = Duration.ofMillis(200);

    /** Sets where payloads go and the secret header value; null url stops deliveries. */
    public Webhooks configure(String newUrl, String newSecret) {
        this.url = newUrl == null || newUrl.isBlank() ? null : URI.create(newUrl);
        this.secret = newSecret;
        return this;
    }

    /**
     * Turns on the recommended process filter "Created by ≠ the integration's system user" (and
     * "Modified by" for status changes). Off by default, as admins often forget it.
     */
    public Webhooks createdByFilter(boolean enabled) {
        this.createdByFilter = enabled;
        return this;
    }

    public boolean createdByFilter() {
        return createdByFilter;
    }

    /**
     * Widens process 1 ("Agent reply") from Type = Email to Type in (Email, Task), as an admin does
     * who wants agents' internal notes (Task activities on a case) passed on too. Off by default.
     */
    public Webhooks taskActivities(boolean enabled) {
        this.taskActivities = enabled;
        return this;
    }

    public boolean taskActivities() {
        return taskActivities;
    }

    /** Attempts per event (first try included) and the delay before the first retry, doubled each time. */
    public Webhooks retries(int attempts, Duration firstDelay) {
        this.maxAttempts = Math.max(1, attempts);
        this.retryDelay = firstDelay;
        return this;
    }

    public URI url() {
        return url;
    }

    /** Every attempt so far, in order. */
    public List<WebhookDelivery> deliveries() {
        return List.copyOf(deliveries);
    }

    public void clearDeliveries() {
        deliveries.clear();
    }

    /** Waits until no delivery is queued or being retried. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pending.get() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    /** Queues a delivery; returns at once. Called by the processes while the store lock is held. */
    public void send(WebhookEvent event) {
        if (url == null) {
            return;
        }
        pending.incrementAndGet();
        executor.execute(() -> attempt(event, 1));
    }

    private void attempt(WebhookEvent event, int attempt) {
        URI target = url;
        if (target == null) {
            pending.decrementAndGet();
            return;
        }
        int status = 0;
        String error = null;
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(target)
                    // generous: a late answer would be redelivered, and a busy receiver is not a failed one
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(event.toJson()));
            String currentSecret = secret;
            if (currentSecret != null) {
                request.header(SECRET_HEADER, currentSecret);
            }
            status = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            error = e.getClass().getSimpleName() + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pending.decrementAndGet();
            return;
        }
        WebhookDelivery delivery = new WebhookDelivery(event, attempt, status, error, Instant.now());
        deliveries.add(delivery);
        if (delivery.succeeded()) {
            LOG.debug("Delivered {} for case {} (attempt {})", event.event(), event.caseId(), attempt);
            pending.decrementAndGet();
        } else if (attempt < maxAttempts) {
            LOG.info("Webhook {} for case {} failed (attempt {}: {}), retrying", event.event(), event.caseId(),
                    attempt, error != null ? error : "HTTP " + status);
            long delay = retryDelay.toMillis() << (attempt - 1);
            executor.schedule(() -> attempt(event, attempt + 1), delay, TimeUnit.MILLISECONDS);
        } else {
            LOG.warn("Webhook {} for case {} given up after {} attempts", event.event(), event.caseId(), attempt);
            pending.decrementAndGet();
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
