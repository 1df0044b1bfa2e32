package com.helpdeskconnect.creatio;

import com.helpdeskconnect.api.webhook.WebhookRequest;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A real HTTP endpoint on a random loopback port that records the sandbox's webhook calls. */
final class WebhookReceiver implements AutoCloseable {
    private final HttpServer server;
    private final List<WebhookRequest> received = new ArrayList<>();

    WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/webhooks", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                exchange.getRequestHeaders().forEach(headers::put);
                WebhookRequest request = new WebhookRequest(headers, Map.of(), in.readAllBytes(), Instant.now());
                synchronized (received) {
                    received.add(request);
                }
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/webhooks";
    }

    /** Removes and returns the calls about one case. */
    List<WebhookRequest> take(String caseId) {
        List<WebhookRequest> taken = new ArrayList<>();
        synchronized (received) {
            received.removeIf(r -> {
                if (new String(r.body(), StandardCharsets.UTF_8).toLowerCase().contains(caseId.toLowerCase())) {
                    taken.add(r);
                    return true;
                }
                return false;
            });
        }
        return taken;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
