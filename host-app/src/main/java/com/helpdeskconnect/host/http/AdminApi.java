package com.helpdeskconnect.host.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.helpdeskconnect.api.errors.ConnectorException;
import com.helpdeskconnect.host.admin.AdminQueries;
import com.helpdeskconnect.host.admin.ConsoleAssets;
import com.helpdeskconnect.host.admin.Guides;
import com.helpdeskconnect.host.admin.SetupCheck;
import com.helpdeskconnect.host.integrations.ActiveIntegration;
import com.helpdeskconnect.host.integrations.IntegrationService;
import com.helpdeskconnect.host.plugins.LoadedConnector;
import com.helpdeskconnect.host.plugins.PluginRuntime;
import com.helpdeskconnect.host.security.Audit;
import com.helpdeskconnect.host.security.Principal;
import com.helpdeskconnect.host.storage.ConversationStores;
import com.helpdeskconnect.host.storage.EventIntake;
import com.helpdeskconnect.host.storage.OutboxStore;
import com.helpdeskconnect.host.storage.WebhookInbox;
import com.helpdeskconnect.host.sync.SyncWorker;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The admin console ({@code /admin}, its files and per-connector guides) and the small API it adds:
 * the integration list, an integration's health, the setup check, conversations by id or case
 * number. Everything else the console shows comes from the existing routes.
 */
final class AdminApi implements AutoCloseable {
    private static final int MAX_QUERY = 200;

    private final ConsoleAssets assets = new ConsoleAssets();
    private final Guides guides;
    private final AdminQueries queries;
    private final SetupCheck check;
    private final IntegrationService integrations;
    private final PluginRuntime plugins;
    private final WebhookInbox inbox;
    private final Audit audit;
    private final ObjectMapper mapper;

    AdminApi(AdminQueries queries, IntegrationService integrations, PluginRuntime plugins, WebhookInbox inbox, Audit audit,
             ObjectMapper mapper, Guides guides, SetupCheck check) {
        this.queries = queries;
        this.integrations = integrations;
        this.plugins = plugins;
        this.inbox = inbox;
        this.audit = audit;
        this.mapper = mapper;
        this.guides = guides;
        this.check = check;
    }

    /** Builds the console's parts from the host's. */
    static AdminApi create(ConversationStores store, IntegrationService integrations, PluginRuntime plugins, SyncWorker worker,
                           HttpApi.TwoWay twoWay, Audit audit, ObjectMapper mapper) {
        Guides guides = new Guides(mapper);
        SetupCheck check = new SetupCheck(store, integrations, twoWay.inbox(), guides, conversationId -> {
            worker.wake();
            twoWay.streams().changed(conversationId);
        }, SetupCheck.Timing.DEFAULT);
        return new AdminApi(new AdminQueries(store.conversations().database()), integrations, plugins, twoWay.inbox(), audit, mapper, guides, check);
    }

    /** {@code GET /admin}: the page; it holds no data, every call it makes needs the admin's credential. */
    void page(Context ctx) {
        SecurityHeaders.admin(ctx);
        ctx.contentType(assets.page().contentType()).result(assets.page().body());
    }

    /** {@code GET /admin/assets/{name}}: the script and the style sheet. */
    void asset(Context ctx) {
        ConsoleAssets.Asset asset = assets.asset(ctx.pathParam("name"))
                .orElseThrow(() -> ApiException.notFound("No console file '" + ctx.pathParam("name") + "'"));
        SecurityHeaders.admin(ctx);
        ctx.contentType(asset.contentType()).result(asset.body());
    }

    /** {@code GET /admin/guides/{connectorId}}: the connector's wiring steps and troubleshooting, else the generic guide. */
    void guide(Context ctx) throws Exception {
        ctx.contentType("application/json").result(mapper.writeValueAsString(guides.guide(ctx.pathParam("connectorId"))));
    }

    /** {@code GET /api/v1/integrations}: the integrations the credential covers, without settings. */
    void integrations(Context ctx) {
        Principal who = Authorizer.principal(ctx);
        ctx.json(Map.of("integrations", queries.integrations().stream().filter(i -> who.covers(i.id())).map(i -> {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("id", i.id());
            json.put("connector", i.connectorId());
            Optional<LoadedConnector> connector = plugins.connector(i.connectorId());
            json.put("connectorName", connector.map(c -> c.descriptor().name()).orElse(null));
            json.put("connectorLoaded", connector.isPresent());
            json.put("createdAt", i.createdAt());
            json.put("updatedAt", i.updatedAt());
            return json;
        }).toList()));
    }

    /** {@code GET /api/v1/integrations/{id}/health}. */
    void health(Context ctx) {
        String id = existing(ctx);
        AdminQueries.Health h = queries.health(id);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("integrationId", id);
        json.put("conversations", h.conversationsByStatus());
        Map<String, Object> operations = new LinkedHashMap<>();
        operations.put("pending", h.pending());
        operations.put("parked", h.parked());
        operations.put("retrying", h.retrying().size());
        operations.put("rateLimited", h.rateLimited().size());
        json.put("operations", operations);
        json.put("lastSyncAt", h.lastSync());
        json.put("parked", h.parkedOperations().stream().map(AdminApi::operation).toList());
        json.put("retrying", h.retrying().stream().map(AdminApi::operation).toList());
        json.put("rateLimited", h.rateLimited().stream().map(AdminApi::operation).toList());
        json.put("recentErrors", h.recentErrors().stream().map(e -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("conversationId", e.conversationId());
            entry.put("error", e.error());
            entry.put("at", e.at());
            return entry;
        }).toList());
        Map<String, Object> webhooks = new LinkedHashMap<>();
        webhooks.put("byState", h.webhooksByState());
        webhooks.put("lastReceivedAt", h.lastWebhookAt());
        webhooks.put("recent", inbox.recent(id, 10).stream().map(s -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("webhookId", s.id());
            entry.put("state", s.state());
            entry.put("attempts", s.attempts());
            entry.put("note", s.note());
            entry.put("receivedAt", s.receivedAt());
            return entry;
        }).toList());
        json.put("webhooks", webhooks);
        json.put("callbacks", Map.of("byState", h.callbacksByState()));
        ctx.json(json);
    }

    /** {@code POST /api/v1/integrations/{id}/setup-check}: 202 with the run, then poll the GET. Audited at start and end. */
    void startCheck(Context ctx) {
        String id = existing(ctx);
        ActiveIntegration target;
        try {
            target = integrations.acquire(id).orElseThrow(() -> ApiException.notFound("No integration '" + id + "'"));
        } catch (IllegalStateException e) {
            throw new ApiException(409, "connector_not_loaded", "The integration's connector is not loaded; see /api/v1/connectors");
        } catch (ConnectorException e) {
            throw new ApiException(503, "helpdesk_unavailable", "The connector could not open the integration: " + e.getMessage());
        }
        Principal who = Authorizer.principal(ctx);
        SetupCheck.Run run;
        try {
            run = check.start(target, finished -> audit.record(who, "integration.setup_check.finished", id,
                    finished.checkId() + " " + finished.outcome().wire() + failedSteps(finished)));
        } catch (SetupCheck.AlreadyRunning e) {
            target.close();
            throw new ApiException(409, "check_running", e.getMessage());
        }
        audit.record(who, "integration.setup_check", id, run.checkId());
        ctx.status(202).json(run.view());
    }

    /** {@code GET /api/v1/integrations/{id}/setup-check}: the latest run (404 before the first). */
    void latestCheck(Context ctx) {
        String id = existing(ctx);
        ctx.json(check.latest(id).orElseThrow(() -> new ApiException(404, "no_check",
                "No setup check of '" + id + "' since the host started")).view());
    }

    /** {@code GET /api/v1/integrations/{id}/conversations?q=&limit=}: by conversation id (prefix) or case number/id. */
    void conversations(Context ctx) {
        String id = existing(ctx);
        String q = ctx.queryParam("q");
        if (q != null && q.length() > MAX_QUERY) {
            throw ApiException.badRequest("The search is too long", Map.of("q", "must have at most " + MAX_QUERY + " characters"));
        }
        int limit = 20;
        String rawLimit = ctx.queryParam("limit");
        if (rawLimit != null && !rawLimit.isBlank()) {
            try {
                limit = Integer.parseInt(rawLimit.strip());
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > AdminQueries.MAX_ROWS) {
                throw ApiException.badRequest("limit is out of range", Map.of("limit", "must be 1-" + AdminQueries.MAX_ROWS));
            }
        }
        ctx.json(Map.of("integrationId", id, "conversations", queries.conversations(id, q, limit).stream().map(c -> {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("conversationId", c.conversationId());
            json.put("case", c.caseId() == null ? null : Map.of("id", c.caseId(), "number", c.caseNumber() == null ? "" : c.caseNumber(),
                    "link", c.caseLink() == null ? "" : c.caseLink()));
            json.put("status", c.status());
            json.put("pending", c.pending());
            json.put("parked", c.parked());
            json.put("lastError", c.lastError());
            json.put("updatedAt", c.updatedAt());
            return json;
        }).toList()));
    }

    private String existing(Context ctx) {
        String id = ctx.pathParam("id");
        if (!integrations.exists(id)) {
            throw ApiException.notFound("No integration '" + id + "'");
        }
        return id;
    }

    private static String failedSteps(SetupCheck.Run run) {
        List<String> failed = run.steps().stream().filter(s -> s.outcome() == SetupCheck.Outcome.FAILED).map(SetupCheck.Step::id).toList();
        return failed.isEmpty() ? "" : " failed=" + failed;
    }

    private static Map<String, Object> operation(AdminQueries.OperationSummary o) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("conversationId", o.conversationId());
        json.put("operationId", o.operationId());
        json.put("operation", o.operation());
        json.put("eventId", o.eventId());
        json.put("attempts", o.attempts());
        json.put("nextAttemptAt", o.nextAttemptAt());
        json.put("error", o.error());
        return json;
    }

    @Override
    public void close() {
        check.close();
    }
}
