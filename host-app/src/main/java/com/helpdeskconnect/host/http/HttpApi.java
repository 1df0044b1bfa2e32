package com.helpdeskconnect.host.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.helpdeskconnect.host.integrations.IntegrationService;
import com.helpdeskconnect.host.plugins.PluginRuntime;
import com.helpdeskconnect.host.storage.ConversationStore;
import com.helpdeskconnect.host.sync.SyncWorker;
import com.helpdeskconnect.host.sync.WebhookProcessor;
import com.helpdeskconnect.host.storage.CallbackStore;
import com.helpdeskconnect.host.storage.WebhookInbox;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's HTTP API on Javalin: routes, request limits and the one JSON error shape.
 * Handlers live in one class per resource; this class only wires them.
 */
public final class HttpApi implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpApi.class);

    /** How long a stopping host lets running requests finish, answering new ones 503 meanwhile. */
    static final java.time.Duration DRAIN_TIMEOUT = java.time.Duration.ofSeconds(10);
    /** How long a stopping host answers 503 at least, so that busy clients hear it before the port closes. */
    static final java.time.Duration DRAIN_GRACE = java.time.Duration.ofMillis(500);

    private final Javalin app;
    private final HttpGuard guard;

    private volatile String baseUrl;

    public HttpApi(ObjectMapper mapper, long maxRequestBytes, String publicUrl, String adminToken, PluginRuntime plugins,
                   IntegrationService integrationService, ConversationStore conversationStore, SyncWorker worker,
                   PrometheusMeterRegistry metrics, TwoWay twoWay) {
        this.baseUrl = publicUrl;
        ConnectorsApi connectors = new ConnectorsApi(plugins);
        IntegrationsApi integrations = new IntegrationsApi(integrationService, mapper, () -> baseUrl, maxRequestBytes);
        ConversationsApi conversations = new ConversationsApi(conversationStore, integrationService, worker, mapper, metrics,
                twoWay.streams(), twoWay.callbacks(), maxRequestBytes);
        WebhooksApi webhooks = new WebhooksApi(integrationService, twoWay.inbox(), twoWay.processor(), mapper);
        String openApi = resource("/openapi.yaml");
        String chatPage = resource("/chat/index.html");
        String chatPolicy = SecurityHeaders.chatContentSecurityPolicy(chatPage);
        this.guard = new HttpGuard(maxRequestBytes, mapper);
        this.app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.startupWatcherEnabled = false;
            config.http.maxRequestSize = maxRequestBytes;
            config.jetty.modifyServletContextHandler(handler -> {
                handler.addFilter(new org.eclipse.jetty.servlet.FilterHolder(guard), "/*",
                        java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST));
                handler.setErrorHandler(new JsonErrorHandler(mapper));
            });
            config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler(mapper)));
            config.jsonMapper(new JavalinJackson(mapper, false));
            config.router.apiBuilder(() -> {
                if (adminToken != null) {
                    io.javalin.apibuilder.ApiBuilder.before(ctx -> AdminToken.check(ctx, adminToken));
                }
                io.javalin.apibuilder.ApiBuilder.get("/health", ctx -> {
                    Long pending = null;
                    try {
                        pending = conversationStore.count("PENDING");
                    } catch (RuntimeException e) {
                        log.warn("Health check: database unavailable: {}", e.toString());
                    }
                    Map<String, Object> health = new java.util.LinkedHashMap<>();
                    health.put("status", pending == null ? "DOWN" : "UP");
                    health.put("database", pending == null ? "DOWN" : "UP");
                    health.put("connectors", plugins.connectors().size());
                    health.put("pluginFailures", plugins.failures().size());
                    health.put("pendingOperations", pending);
                    ctx.status(pending == null ? 503 : 200).json(health);
                });
                io.javalin.apibuilder.ApiBuilder.get("/api/v1/connectors", connectors::list);
                io.javalin.apibuilder.ApiBuilder.put("/api/v1/integrations/{id}", integrations::put);
                io.javalin.apibuilder.ApiBuilder.get("/api/v1/integrations/{id}", integrations::get);
                io.javalin.apibuilder.ApiBuilder.delete("/api/v1/integrations/{id}", integrations::delete);
                io.javalin.apibuilder.ApiBuilder.get("/api/v1/integrations/{id}/fields", integrations::fields);
                io.javalin.apibuilder.ApiBuilder.post("/api/v1/conversations/{conversationId}/events", conversations::postEvent);
                io.javalin.apibuilder.ApiBuilder.get("/api/v1/conversations/{conversationId}", conversations::get);
                io.javalin.apibuilder.ApiBuilder.post("/api/v1/conversations/{conversationId}/retry", conversations::retry);
                io.javalin.apibuilder.ApiBuilder.post("/api/v1/conversations/{conversationId}/operations/{operationId}/discard",
                        conversations::discard);
                io.javalin.apibuilder.ApiBuilder.sse("/api/v1/conversations/{conversationId}/stream", twoWay.streams()::open);
                // the path is canonical; the first release's /api/v1 path stays as an alias
                io.javalin.apibuilder.ApiBuilder.post("/webhooks/{integrationId}", webhooks::receive);
                io.javalin.apibuilder.ApiBuilder.post("/api/v1/webhooks/{integrationId}", webhooks::receive);
                io.javalin.apibuilder.ApiBuilder.get("/api/v1/integrations/{integrationId}/webhooks", webhooks::recent);
                io.javalin.apibuilder.ApiBuilder.get("/chat", ctx -> {
                    SecurityHeaders.chat(ctx, chatPolicy);
                    ctx.contentType("text/html; charset=utf-8").result(chatPage);
                });
                io.javalin.apibuilder.ApiBuilder.get("/openapi.yaml", ctx -> ctx.contentType("application/yaml").result(openApi));
                io.javalin.apibuilder.ApiBuilder.get("/api/v1/openapi.yaml", ctx -> ctx.contentType("application/yaml").result(openApi));
                io.javalin.apibuilder.ApiBuilder.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                        .result(metrics.scrape()));
            });
        });
        app.exception(ApiException.class, (e, ctx) -> error(ctx, e.status(), e.code(), e.getMessage(), e.fields()));
        // Jackson's own message quotes the offending token, which may be a secret: say only where
        app.exception(JsonProcessingException.class, (e, ctx) ->
                error(ctx, 400, "invalid_json", "The request body is not valid JSON" + (e.getLocation() == null ? ""
                        : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"),
                        Map.of()));
        app.exception(HttpResponseException.class, (e, ctx) ->
                error(ctx, e.getStatus(), switch (e.getStatus()) {
                    case 404 -> "not_found";
                    case 405 -> "method_not_allowed";
                    case 413 -> "request_too_large";
                    default -> "http_error";
                }, e.getMessage(), Map.of()));
        // the client went away or sent a broken body mid-way
        app.exception(java.io.UncheckedIOException.class, (e, ctx) ->
                error(ctx, 400, "unreadable_body", "The request body could not be read", Map.of()));
        app.exception(Exception.class, (e, ctx) -> {
            log.error("Unhandled error on {} {}", ctx.method(), ctx.path(), e);
            error(ctx, 500, "internal_error", "Internal error; see the host log", Map.of());
        });
        app.error(404, ctx -> {
            if (ctx.result() == null || ctx.result().isEmpty()) {
                error(ctx, 404, "not_found", "No such resource: " + ctx.path(), Map.of());
            }
        });
        app.error(405, ctx -> error(ctx, 405, "method_not_allowed", ctx.method() + " is not allowed on " + ctx.path(), Map.of()));
    }

    /** The two-way sync parts the API hands requests to. */
    public record TwoWay(ConversationStreams streams, WebhookInbox inbox, WebhookProcessor processor, CallbackStore callbacks) {}

    private static String resource(String name) {
        try (java.io.InputStream in = HttpApi.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the host jar");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void error(Context ctx, int status, String code, String message, Map<String, String> fields) {
        ctx.status(status).json(new ErrorBody(code, message, fields));
    }

    /** Starts listening; returns the bound port (useful with port 0). */
    public int start(String host, int port) {
        app.start(host, port);
        if (baseUrl == null) {
            baseUrl = "http://" + host + ":" + app.port();
        }
        return app.port();
    }

    /**
     * Stops gracefully: new requests are answered 503 while those already running finish (at most
     * {@link #DRAIN_TIMEOUT}); then the server stops. The host closes workers and the database after.
     */
    @Override
    public void close() {
        long started = System.nanoTime();
        if (!guard.drain(DRAIN_TIMEOUT, DRAIN_GRACE)) {
            log.warn("{} requests still running after {} s; stopping anyway", guard.inFlight(), DRAIN_TIMEOUT.toSeconds());
        } else {
            log.info("Drained HTTP requests in {} ms", (System.nanoTime() - started) / 1_000_000);
        }
        app.stop();
    }
}
