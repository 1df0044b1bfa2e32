package com.helpdeskconnect.sandbox.admin;

import static com.helpdeskconnect.sandbox.support.AdminJson.body;
import static com.helpdeskconnect.sandbox.support.AdminJson.readTree;
import static com.helpdeskconnect.sandbox.support.AdminJson.textOrNull;
import static com.helpdeskconnect.sandbox.support.AdminJson.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.helpdeskconnect.sandbox.agent.Agent;
import com.helpdeskconnect.sandbox.faults.ActiveFault;
import com.helpdeskconnect.sandbox.faults.FaultInjector;
import com.helpdeskconnect.sandbox.faults.FaultRule;
import com.helpdeskconnect.sandbox.inspection.CaseView;
import com.helpdeskconnect.sandbox.inspection.Inspector;
import com.helpdeskconnect.sandbox.model.SchemaCatalog;
import com.helpdeskconnect.sandbox.odata.EntityJson;
import com.helpdeskconnect.sandbox.webhooks.WebhookDelivery;
import com.helpdeskconnect.sandbox.webhooks.Webhooks;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Duration;

/**
 * The sandbox's own HTTP API under {@code /sandbox/} on the site port, for the demo, scripts and
 * tests in other processes. Not part of Creatio; no authentication (loopback only).
 * Errors are {@code 400 {"error": "…"}}.
 */
public final class AdminApi {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SchemaCatalog schemas;
    private final Inspector inspector;
    private final Agent agent;
    private final Webhooks webhooks;
    private final FaultInjector faults;
    private final Runnable reset;
    private final Runnable revokeAllTokens;

    public AdminApi(SchemaCatalog schemas, Inspector inspector, Agent agent, Webhooks webhooks, FaultInjector faults,
            Runnable reset, Runnable revokeAllTokens) {
        this.schemas = schemas;
        this.inspector = inspector;
        this.agent = agent;
        this.webhooks = webhooks;
        this.faults = faults;
        this.reset = reset;
        this.revokeAllTokens = revokeAllTokens;
    }

    public void register(Javalin app) {
        app.get("/sandbox/cases", this::cases);
        app.post("/sandbox/cases/{id}/replies", ctx -> {
            String activityId = agent.reply(ctx.pathParam("id"), body(ctx).path("body").asText(""));
            write(ctx, 201, JSON.createObjectNode().put("id", activityId));
        });
        app.post("/sandbox/cases/{id}/notes", ctx -> {
            String activityId = agent.note(ctx.pathParam("id"), body(ctx).path("body").asText(""));
            write(ctx, 201, JSON.createObjectNode().put("id", activityId));
        });
        app.post("/sandbox/cases/{id}/status", ctx -> {
            agent.changeStatus(ctx.pathParam("id"), body(ctx).path("statusId").asText(""));
            ctx.status(204);
        });
        app.post("/sandbox/cases/{id}/resolve", ctx -> {
            agent.resolve(ctx.pathParam("id"), body(ctx).path("solution").asText(""));
            ctx.status(204);
        });
        app.post("/sandbox/cases/{id}/reopen", ctx -> {
            agent.reopen(ctx.pathParam("id"));
            ctx.status(204);
        });
        app.post("/sandbox/cases/{id}/portal-messages", ctx -> {
            String messageId = agent.portalMessage(ctx.pathParam("id"), body(ctx).path("message").asText(""));
            write(ctx, 201, JSON.createObjectNode().put("id", messageId));
        });
        app.get("/sandbox/requests", ctx -> write(ctx, 200, JSON.valueToTree(inspector.requestCounts())));
        app.post("/sandbox/reset", ctx -> {
            reset.run();
            ctx.status(204);
        });
        app.post("/sandbox/tokens/revoke", ctx -> {
            revokeAllTokens.run();
            ctx.status(204);
        });
        app.put("/sandbox/webhooks", this::configureWebhooks);
        app.get("/sandbox/webhooks/deliveries", this::deliveries);
        app.post("/sandbox/faults", this::addFault);
        app.get("/sandbox/faults", this::listFaults);
        app.delete("/sandbox/faults", ctx -> {
            faults.clear();
            ctx.status(204);
        });
        app.delete("/sandbox/faults/{id}", ctx -> {
            faults.remove(Integer.parseInt(ctx.pathParam("id")));
            ctx.status(204);
        });
        app.exception(IllegalArgumentException.class, (e, ctx) ->
                write(ctx, 400, JSON.createObjectNode().put("error", e.getMessage())));
    }

    private void cases(Context ctx) {
        ArrayNode list = JSON.createArrayNode();
        for (CaseView view : inspector.cases()) {
            ObjectNode node = EntityJson.write(schemas.find("Case").orElseThrow(), view.fields());
            ArrayNode activities = node.putArray("activities");
            view.activities().forEach(a -> activities.add(EntityJson.write(schemas.find("Activity").orElseThrow(), a)));
            ArrayNode messages = node.putArray("portalMessages");
            view.portalMessages().forEach(m ->
                    messages.add(EntityJson.write(schemas.find("PortalMessage").orElseThrow(), m)));
            list.add(node);
        }
        write(ctx, 200, list);
    }

    /** Body {@code {"url": "...", "secret": "...", "createdByFilter": true}}; url null stops deliveries. */
    private void configureWebhooks(Context ctx) {
        JsonNode body = body(ctx);
        webhooks.configure(textOrNull(body, "url"), textOrNull(body, "secret"));
        if (body.has("createdByFilter")) {
            webhooks.createdByFilter(body.get("createdByFilter").asBoolean());
        }
        ctx.status(204);
    }

    private void deliveries(Context ctx) {
        ArrayNode list = JSON.createArrayNode();
        for (WebhookDelivery delivery : webhooks.deliveries()) {
            ObjectNode node = list.addObject();
            node.set("payload", readTree(delivery.event().toJson()));
            node.put("attempt", delivery.attempt()).put("status", delivery.status());
            if (delivery.error() != null) {
                node.put("error", delivery.error());
            }
        }
        write(ctx, 200, list);
    }

    /**
     * Body: {@code {"method":"POST","path":"/0/odata/Case","kind":"status","status":503,"times":2}};
     * kinds latency (latencyMs, jitterMs), status (status), too_many_requests (retryAfterSeconds),
     * connection_reset, lose_answer, revoke_token, slow_body (chunkBytes, chunkPauseMs); optional times,
     * probability.
     */
    private void addFault(Context ctx) {
        JsonNode body = body(ctx);
        FaultRule.Target target = FaultRule.on(body.path("method").asText("*"), body.path("path").asText("/"));
        String kind = body.path("kind").asText("");
        FaultRule rule = switch (kind) {
            case "latency" -> target.latency(Duration.ofMillis(body.path("latencyMs").asLong()),
                    Duration.ofMillis(body.path("jitterMs").asLong()));
            case "status" -> target.status(body.path("status").asInt(503));
            case "too_many_requests" -> target.tooManyRequests(
                    Duration.ofSeconds(body.path("retryAfterSeconds").asLong(1)));
            case "connection_reset" -> target.resetConnection();
            case "lose_answer" -> target.loseAnswer();
            case "revoke_token" -> target.revokeToken();
            case "slow_body" -> target.slowBody(body.path("chunkBytes").asInt(16),
                    Duration.ofMillis(body.path("chunkPauseMs").asLong(50)));
            default -> throw new IllegalArgumentException("Unknown fault kind '" + kind + "'");
        };
        if (body.has("times")) {
            rule = rule.times(body.get("times").asInt());
        }
        if (body.has("probability")) {
            rule = rule.withProbability(body.get("probability").asDouble());
        }
        write(ctx, 201, JSON.createObjectNode().put("id", faults.add(rule)));
    }

    private void listFaults(Context ctx) {
        ArrayNode list = JSON.createArrayNode();
        for (ActiveFault fault : faults.active()) {
            ObjectNode node = list.addObject().put("id", fault.id())
                    .put("method", fault.rule().method()).put("path", fault.rule().pathPrefix())
                    .put("kind", fault.rule().kind().name().toLowerCase(java.util.Locale.ROOT))
                    .put("remaining", fault.remaining()).put("injected", fault.injected());
            node.put("probability", fault.rule().probability());
        }
        write(ctx, 200, list);
    }
}
