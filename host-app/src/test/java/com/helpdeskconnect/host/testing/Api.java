package com.helpdeskconnect.host.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A small JSON client for the host's HTTP API, as the AI platform would call it, sending its
 * credential as {@code Authorization: Bearer} ({@code null}: no credential, as an attacker would).
 */
public final class Api {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String token;

    public Api(int port, String token) {
        this.base = "http://127.0.0.1:" + port;
        this.token = token;
    }

    /** The same host with another credential. */
    public Api as(String otherToken) {
        return new Api(Integer.parseInt(base.substring(base.lastIndexOf(':') + 1)), otherToken);
    }

    public String token() {
        return token;
    }

    /** Creates an API key with the admin credential of this client; returns the key. */
    public String createKey(String name, java.util.List<String> integrations, java.util.List<String> scopes) {
        Response r = post("/api/v1/api-keys", java.util.Map.of("name", name, "integrations", integrations, "scopes", scopes));
        if (r.status() != 201) {
            throw new IllegalStateException("creating key " + name + ": " + r.status() + " " + r.text());
        }
        return r.json().get("key").asText();
    }

    /** Any request; {@code body} null sends none. Extra headers may override the credential. */
    public Response send(String method, String path, Object body, java.util.Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : body(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        headers.forEach(b::header);
        return send(b);
    }

    /** The status, the raw body and, when it is JSON, the parsed body. */
    public record Response(int status, String text, JsonNode json) {}

    public Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    public Response delete(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE());
    }

    public Response put(String path, Object body) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).PUT(body(body)).header("Content-Type", "application/json"));
    }

    public Response post(String path, Object body) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).POST(body(body)).header("Content-Type", "application/json"));
    }

    private static HttpRequest.BodyPublisher body(Object body) {
        try {
            return HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Response send(HttpRequest.Builder request) {
        if (token != null && !request.build().headers().firstValue("Authorization").isPresent()) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode json = null;
            try {
                json = JSON.readTree(response.body());
            } catch (IOException notJson) {
                // e.g. /metrics
            }
            return new Response(response.statusCode(), response.body(), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
