package com.helpdeskconnect.zendesk.sandbox;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A tiny HTTP server on a random port that keeps what the sandbox posts to it, raw. */
final class WebhookReceiver implements AutoCloseable {
    record Received(Headers headers, byte[] rawBody) {
        String body() {
            return new String(rawBody, StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.getFirst(name);
        }
    }

    /** A canned answer for the next delivery. */
    record Answer(int status, String retryAfter) {
    }

    private final HttpServer server;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();

    WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new Received(exchange.getRequestHeaders(), body));
            Answer answer = answers.poll();
            if (answer != null && answer.retryAfter() != null) {
                exchange.getResponseHeaders().add("Retry-After", answer.retryAfter());
            }
            exchange.sendResponseHeaders(answer == null ? 200 : answer.status(), -1);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** The next delivery gets this answer (queue several for several deliveries). */
    void answerNext(int status, String retryAfter) {
        answers.add(new Answer(status, retryAfter));
    }

    Received next() throws InterruptedException {
        Received next = received.poll(15, TimeUnit.SECONDS);
        if (next == null) {
            throw new AssertionError("no webhook arrived within 5 s");
        }
        return next;
    }

    Received poll(long millis) throws InterruptedException {
        return received.poll(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
