package com.helpdeskconnect.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/** A small real HTTP client for the tests: a connector's calls, nothing more. */
final class Http {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    record Response(int status, String contentType, String body, HttpResponse<String> raw) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    private Http() {
    }

    static Response postForm(String url, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    static String token(CreatioSandbox sandbox) {
        return token(sandbox, sandbox.clientId(), sandbox.clientSecret());
    }

    static String token(CreatioSandbox sandbox, String clientId, String clientSecret) {
        Response response = postForm(sandbox.tokenUrl(), Map.of("grant_type", "client_credentials",
                "client_id", clientId, "client_secret", clientSecret));
        if (response.status() != 200) {
            throw new IllegalStateException("token request answered " + response.status());
        }
        return response.json().get("access_token").asText();
    }

    static Response get(String url, String token) {
        return send(authorized(url, token).GET());
    }

    static Response post(String url, String token, String json) {
        return send(authorized(url, token).POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    static Response patch(String url, String token, String json) {
        return send(authorized(url, token).method("PATCH", HttpRequest.BodyPublishers.ofString(json)));
    }

    static Response delete(String url, String token) {
        return send(authorized(url, token).DELETE());
    }

    static Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = CLIENT.send(request.timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static HttpRequest.Builder authorized(String url, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url))
                .header("Accept", "application/json")
                .header("Content-Type", "application/json; charset=utf-8");
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    /** Encodes a query option value the way OData clients do (spaces as %20). */
    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
