package com.helpdeskconnect.host.sync;

import com.helpdeskconnect.api.net.OutboundDeniedException;
import com.helpdeskconnect.api.net.OutboundPolicy;
import com.helpdeskconnect.host.integrations.IntegrationService;
import com.helpdeskconnect.host.storage.CallbackStore;
import com.helpdeskconnect.host.storage.IntegrationStore.StoredIntegration;
import java.io.IOException;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Delivers the callback outbox: each row is POSTed to its integration's callback URL, signed by
 * {@link CallbackSigner}; any 2xx is delivered, anything else goes through the {@link RetryPolicy}
 * (a 429/503 with Retry-After waits as asked) and is parked after the attempt limit (visible in the
 * conversation's {@code callbacks}). A conversation's callbacks go out one at a time, in order.
 * Every call goes through the host's {@link OutboundPolicy}: the URL is checked, names resolve
 * to permitted addresses only, the socket refuses a denied one, redirects are not followed and no
 * system proxy is used (a proxy would hide the address actually connected to).
 */
public final class CallbackSender implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final CallbackStore store;
    private final IntegrationService integrations;
    private final RetryPolicy retry;
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

    private final OutboundPolicy outbound;
    private final OkHttpClient http;
    private final QueueWorker<CallbackStore.Row> worker;

    public CallbackSender(CallbackStore store, IntegrationService integrations, RetryPolicy retry, int threads,
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
        this.retry = retry;
        this.worker = new QueueWorker<>("callbacks", threads, store.queue(), store::due, CallbackStore.Row::claim, this::send);
    }

    public void start() {
        worker.start();
    }

    public void wake() {
        worker.wake();
    }

    void send(CallbackStore.Row row) {
        Optional<StoredIntegration> integration = integrations.find(row.integrationId());
        if (integration.isEmpty() || integration.get().callbackUrl() == null) {
            store.queue().park(row.claim(), "No callback URL is configured for integration '" + row.integrationId() + "'");
            return;
        }
        StoredIntegration target = integration.get();
        byte[] body = row.payload().getBytes(StandardCharsets.UTF_8);
        RetryPolicy.Failure failure;
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
                    store.queue().done(row.claim(), null);
                    return;
                }
                failure = answered(response);
            }
        } catch (OutboundDeniedException | IllegalArgumentException e) {
            // the admin may still fix the URL or the allow-list: retried until the attempt limit like any failure
            failure = RetryPolicy.Failure.transientError("The callback URL is refused: " + e.getMessage());
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                return; // shutting down: the row stays pending
            }
            failure = RetryPolicy.Failure.transientError("The callback URL could not be reached: " + e.getClass().getSimpleName());
        }
        retry.settle(store.queue(), row.claim(), failure, until -> " (retrying at " + until + ")");
    }

    /** A 429 or 503 with a Retry-After is a wait the platform asked for; anything else is retried with backoff. */
    private static RetryPolicy.Failure answered(Response response) {
        String error = "The callback URL answered HTTP " + response.code();
        if (response.code() == 429 || response.code() == 503) {
            Optional<Duration> after = retryAfter(response.header("Retry-After"));
            if (after.isPresent()) {
                return RetryPolicy.Failure.rateLimited(error, after.get());
            }
        }
        return RetryPolicy.Failure.transientError(error);
    }

    /** Retry-After in seconds (the date form is not used by the platforms we call), at most an hour. */
    static Optional<Duration> retryAfter(String header) {
        if (header == null) {
            return Optional.empty();
        }
        try {
            long seconds = Long.parseLong(header.strip());
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(Math.min(seconds, 3600)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        worker.close();
    }
}
