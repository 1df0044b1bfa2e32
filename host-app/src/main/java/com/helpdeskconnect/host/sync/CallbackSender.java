package com.helpdeskconnect.host.sync;

import com.helpdeskconnect.host.integrations.IntegrationService;
import com.helpdeskconnect.host.storage.CallbackStore;
import com.helpdeskconnect.host.storage.IntegrationStore.StoredIntegration;
import com.helpdeskconnect.api.net.OutboundDeniedException;
import com.helpdeskconnect.api.net.OutboundPolicy;
import java.io.IOException;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Delivers the callback outbox: each row is POSTed to its integration's callback URL, signed by
 * {@link CallbackSigner}; any 2xx is delivered, anything else is retried with {@link Backoff}
 * and parked after the attempt limit (visible in the conversation's {@code callbacks}).
 * Every call goes through the host's {@link OutboundPolicy}: the URL is checked, names resolve
 * to permitted addresses only, the socket refuses a denied one, redirects are not followed and no
 * system proxy is used (a proxy would hide the address actually connected to).
 */
public final class CallbackSender implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final CallbackStore store;
    private final IntegrationService integrations;
    private final Backoff backoff;
    private final int maxAttempts;
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

    private final OutboundPolicy outbound;
    private final OkHttpClient http;
    private final Poller poller;

    public CallbackSender(CallbackStore store, IntegrationService integrations, Backoff backoff, int maxAttempts,
                          OutboundPolicy outbound) {
        this.outbound = outbound;
        this.http = new OkHttpClient.Builder()
                .dns(outbound::lookup)
                .socketFactory(outbound.socketFactory())
                .proxy(Proxy.NO_PROXY)
                .followRedirects(false)
                .followSslRedirects(false)
                .retryOnConnectionFailure(false)
                .connectTimeout(TIMEOUT)
                .readTimeout(TIMEOUT)
                .callTimeout(TIMEOUT.multipliedBy(2))
                .build();
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
            URI url = URI.create(target.callbackUrl());
            outbound.checkUrl(url);
            Request.Builder request = new Request.Builder().url(url.toString())
                    .header("User-Agent", "Helpdesk-Connect")
                    .header(CallbackSigner.EVENT_HEADER, row.eventType())
                    .header(CallbackSigner.DELIVERY_HEADER, row.eventId())
                    .post(RequestBody.create(body, JSON));
            CallbackSigner.headers(target.callbackSecret(), row.eventId(), Instant.now(), body).forEach(request::header);
            try (Response response = http.newCall(request.build()).execute()) {
                if (response.isSuccessful()) {
                    store.delivered(row.id());
                    return;
                }
                error = "The callback URL answered HTTP " + response.code();
            }
        } catch (OutboundDeniedException e) {
            error = "The callback URL is refused: " + e.getMessage();
        } catch (IllegalArgumentException e) {
            error = "The callback URL is refused: " + e.getMessage();
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                return; // shutting down: the row stays pending
            }
            error = "The callback URL could not be reached: " + e.getClass().getSimpleName();
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
