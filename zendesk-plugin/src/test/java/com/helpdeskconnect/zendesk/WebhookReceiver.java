package com.helpdeskconnect.zendesk;

import com.helpdeskconnect.api.webhook.WebhookRequest;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;

/** A tiny HTTP server on a random port: what the sandbox's webhook posts, as the host would receive it. */
final class WebhookReceiver implements AutoCloseable {
    private final HttpServer server;
    private final LinkedBlockingQueue<WebhookRequest> received = new LinkedBlockingQueue<>();

    WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, List<String>> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, List.copyOf(v)));
            received.add(new WebhookRequest(headers, Map.of(), body, Instant.now()));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** Everything received so far, after the sandbox delivered all it had queued. */
    List<WebhookRequest> take(com.helpdeskconnect.zendesk.sandbox.ZendeskSandbox sandbox) {
        try {
            sandbox.webhooks().awaitIdle(java.time.Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<WebhookRequest> all = new ArrayList<>();
        received.drainTo(all);
        return all;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
