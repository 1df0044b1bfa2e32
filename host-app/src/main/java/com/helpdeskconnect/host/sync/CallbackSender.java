package com.helpdeskconnect.host.sync;

import com.helpdeskconnect.host.integrations.IntegrationService;
import com.helpdeskconnect.host.storage.CallbackStore;
import com.helpdeskconnect.host.storage.IntegrationStore.StoredIntegration;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Delivers the callback outbox: each row is POSTed to its integration's callback URL, signed by
 * {@link CallbackSigner}; any 2xx is delivered, anything else is retried with {@link Backoff}
 * and parked after the attempt limit (visible in the conversation's {@code callbacks}).
 */
public final class CallbackSender implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final CallbackStore store;
    private final IntegrationService integrations;
    private final Backoff backoff;
    private final int maxAttempts;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final Poller poller;

    public CallbackSender(CallbackStore store, IntegrationService integrations, Backoff backoff, int maxAttempts) {
        this.store = store;
        this.integrations = integrations;
        this.backoff = backoff;
        this.maxAttempts = maxAttempts;
        this.poller = new Poller("callback-sender", 250, this::drain);
    }

    public void start() {
        poller.start();
    }

    public void wake() {
        poller.wake();
    }

    private int drain() {
        List<CallbackStore.Row> due = store.due(16);
        due.forEach(this::send);
        return due.size();
    }

    void send(CallbackStore.Row row) {
        Optional<StoredIntegration> integration = integrations.find(row.integrationId());
        if (integration.isEmpty() || integration.get().callbackUrl() == null) {
            store.park(row.id(), "No callback URL is configured for integration '" + row.integrationId() + "'");
            return;
        }
        StoredIntegration target = integration.get();
        byte[] body = row.payload().getBytes(StandardCharsets.UTF_8);
        String error;
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(target.callbackUrl()))
                    .timeout(TIMEOUT)
                    .header("Content-Type", "application/json; charset=utf-8")
                    .header("User-Agent", "Helpdesk-Connect")
                    .header(CallbackSigner.EVENT_HEADER, row.eventType())
                    .header(CallbackSigner.DELIVERY_HEADER, row.eventId())
                    .header(CallbackSigner.SIGNATURE_HEADER, CallbackSigner.sign(target.callbackSecret(), body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 == 2) {
                store.delivered(row.id());
                return;
            }
            error = "The callback URL answered HTTP " + response.statusCode();
        } catch (IOException | IllegalArgumentException e) {
            error = "The callback URL could not be reached: " + e.getClass().getSimpleName();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return; // shutting down: the row stays pending
        }
        if (row.attempts() + 1 >= maxAttempts) {
            store.park(row.id(), "Gave up after " + (row.attempts() + 1) + " attempts: " + error);
        } else {
            store.retryLater(row.id(), Instant.now().plus(backoff.delay(row.attempts() + 1)), error);
        }
    }

    @Override
    public void close() {
        poller.close();
    }
}
