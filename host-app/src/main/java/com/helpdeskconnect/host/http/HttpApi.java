package com.helpdeskconnect.host.http;

import static io.javalin.apibuilder.ApiBuilder.delete;
import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.post;
import static io.javalin.apibuilder.ApiBuilder.put;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.helpdeskconnect.host.errors.HostException;
import com.helpdeskconnect.host.integrations.IntegrationService;
import com.helpdeskconnect.host.plugins.PluginRuntime;
import com.helpdeskconnect.host.security.ApiKeys;
import com.helpdeskconnect.host.security.Audit;
import com.helpdeskconnect.host.security.BootstrapToken;
import com.helpdeskconnect.host.security.ChatLinks;
import com.helpdeskconnect.host.security.RateLimiter;
import com.helpdeskconnect.host.storage.CallbackStore;
import com.helpdeskconnect.host.storage.ConversationStores;
import com.helpdeskconnect.host.storage.EventIntake;
import com.helpdeskconnect.host.storage.OutboxStore;
import com.helpdeskconnect.host.storage.WebhookInbox;
import com.helpdeskconnect.host.sync.SyncWorker;
import com.helpdeskconnect.host.sync.WebhookProcessor;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's HTTP API on Javalin: routes with their {@link Access} rule, request limits and the one
 * JSON error shape. Handlers live in one class per resource; this class only wires them.
 */
public final class HttpApi implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpApi.class);

    /** How long a stopping host lets running requests finish, answering new ones 503 meanwhile. */
    static final java.time.Duration DRAIN_TIMEOUT = java.time.Duration.ofSeconds(10);
    /** How long a stopping host answers 503 at least, so that busy clients hear it before the port closes. */
    static final java.time.Duration DRAIN_GRACE = java.time.Duration.ofMillis(500);

    private final Javalin app;
    private final HttpGuard guard;
    private final AdminApi admin;

    private volatile String baseUrl;

    /** The access layer's parts: credentials, chat links, rate limits, the audit log. */
    public record Security(BootstrapToken bootstrap, ApiKeys keys, ChatLinks links, RateLimiter limiter, Audit audit) {}

    public HttpApi(ObjectMapper mapper, long maxRequestBytes, String publicUrl, String bindHost, Security security,
                   PluginRuntime plugins, IntegrationService integrationService, ConversationStores conversationStore,
                   SyncWorker worker, PrometheusMeterRegistry metrics, TwoWay twoWay) {
        this.baseUrl = publicUrl;
        ConnectorsApi connectors = new ConnectorsApi(plugins);
        IntegrationsApi integrations = new IntegrationsApi(integrationService, mapper, () -> baseUrl, security.audit(), maxRequestBytes);
        ConversationsApi conversations = new ConversationsApi(conversationStore, integrationService, worker, mapper, metrics,
                twoWay.streams(), twoWay.callbacks(), security.links(), security.audit(), () -> baseUrl, maxRequestBytes);
        WebhooksApi webhooks = new WebhooksApi(integrationService, twoWay.inbox(), twoWay.processor(), mapper);
        ApiKeysApi apiKeys = new ApiKeysApi(security.keys(), security.audit(), mapper, maxRequestBytes);
        Authorizer authorizer = new Authorizer(security.bootstrap(), security.keys(), security.links(), security.limiter());
        HostHeaderCheck hostCheck = new HostHeaderCheck(publicUrl, bindHost);
        // the admin console (/admin) and its routes: see AdminApi
        this.admin = AdminApi.create(conversationStore, integrationService, plugins, worker, twoWay, security.audit(), mapper);
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
            config.router.mount(router -> {
                router.before(hostCheck::check);
                // authorisation by the matched route's Access rule, never by the raw path string
                router.beforeMatched(authorizer::check);
            });
            config.router.apiBuilder(() -> {
                get("/health", ctx -> {
                    Long pending = null;
                    try {
                        pending = conversationStore.outbox().count("PENDING");
                    } catch (RuntimeException e) {
                        log.warn("Health check: database unavailable: {}", e.toString());
                    }
                    Map<String, Object> health = new java.util.LinkedHashMap<>();
                    health.put("status", pending == null ? "DOWN" : "UP");
                    health.put("database", pending == null ? "DOWN" : "UP");
                    // counts only; the outbox size (business volume) is on the protected /metrics
                    health.put("connectors", plugins.connectors().size());
                    health.put("pluginFailures", plugins.failures().size());
                    ctx.status(pending == null ? 503 : 200).json(health);
                }, Access.PUBLIC);
                get("/api/v1/connectors", connectors::list, Access.INTEGRATIONS);
                put("/api/v1/integrations/{id}", integrations::put, Access.INTEGRATION_ADMIN);
                get("/api/v1/integrations/{id}", integrations::get, Access.INTEGRATION_ADMIN);
                delete("/api/v1/integrations/{id}", integrations::delete, Access.INTEGRATION_ADMIN);
                get("/api/v1/integrations/{id}/fields", integrations::fields, Access.INTEGRATION_ADMIN);
                get("/api/v1/integrations/{integrationId}/webhooks", webhooks::recent, Access.INTEGRATION_ADMIN);
                post("/api/v1/conversations/{conversationId}/events", conversations::postEvent, Access.EVENTS_WRITE);
                post("/api/v1/events", conversations::postEvents, Access.EVENTS_WRITE);
                get("/api/v1/conversations/{conversationId}", conversations::get, Access.CONVERSATION_READ);
                post("/api/v1/conversations/{conversationId}/retry", conversations::retry, Access.CONVERSATION_ADMIN);
                post("/api/v1/conversations/{conversationId}/operations/{operationId}/discard", conversations::discard,
                        Access.CONVERSATION_ADMIN);
                post("/api/v1/conversations/{conversationId}/chat-link", conversations::chatLink, Access.CONVERSATION_READ);
                get("/api/v1/conversations/{conversationId}/stream", twoWay.streams()::handle, Access.STREAM);
                post("/api/v1/api-keys", apiKeys::create, Access.ADMIN);
                get("/api/v1/api-keys", apiKeys::list, Access.ADMIN);
                delete("/api/v1/api-keys/{id}", apiKeys::revoke, Access.ADMIN);
                get("/api/v1/audit", apiKeys::audit, Access.ADMIN);
                get("/admin", admin::page, Access.PUBLIC);
                get("/admin/assets/{name}", admin::asset, Access.PUBLIC);
                get("/admin/guides/{connectorId}", admin::guide, Access.PUBLIC);
                get("/api/v1/integrations", admin::integrations, Access.INTEGRATIONS);
                get("/api/v1/integrations/{id}/health", admin::health, Access.INTEGRATION_ADMIN);
                get("/api/v1/integrations/{id}/conversations", admin::conversations, Access.INTEGRATION_ADMIN);
                post("/api/v1/integrations/{id}/setup-check", admin::startCheck, Access.INTEGRATION_ADMIN);
                get("/api/v1/integrations/{id}/setup-check", admin::latestCheck, Access.INTEGRATION_ADMIN);
                // the path is canonical; the first release's /api/v1 path stays as an alias
                post("/webhooks/{integrationId}", webhooks::receive, Access.WEBHOOK);
                post("/api/v1/webhooks/{integrationId}", webhooks::receive, Access.WEBHOOK);
                get("/chat", ctx -> {
                    SecurityHeaders.chat(ctx, chatPolicy);
                    ctx.contentType("text/html; charset=utf-8").result(chatPage);
                }, Access.CHAT_PAGE);
                get("/openapi.yaml", ctx -> ctx.contentType("application/yaml").result(openApi), Access.ANY_KEY);
                get("/api/v1/openapi.yaml", ctx -> ctx.contentType("application/yaml").result(openApi), Access.ANY_KEY);
                get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                        .result(metrics.scrape()), Access.METRICS);
            });
        });
        app.exception(ApiException.class, (e, ctx) -> error(ctx, e.status(), e.code(), e.getMessage(), e.fields()));
        app.exception(HostException.class, (e, ctx) -> {
            DomainErrors.Answer answer = DomainErrors.answer(e);
            error(ctx, answer.status(), answer.code(), e.getMessage(), e.fields());
        });
        // Jackson's own message quotes the offending token, which may be a secret: say only where
        app.exception(JsonProcessingException.class, (e, ctx) ->
                error(ctx, 400, "invalid_json", "The request body is not valid JSON" + (e.getLocation() == null ? ""
                        : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"),
                        Map.of()));
        app.exception(HttpResponseException.class, (e, ctx) ->
                error(ctx, e.getStatus(), switch (e.getStatus()) {
                    case 404 -> "not_found";
                    case 401 -> "unauthorized";
                    case 403 -> "forbidden";
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

    /** The public base URL: the configured one, else {@code http://bind-host:port} once listening. */
    public String baseUrl() {
        return baseUrl;
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
        admin.close();
    }
}
