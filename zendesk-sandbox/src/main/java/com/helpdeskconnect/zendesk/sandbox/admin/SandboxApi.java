package com.helpdeskconnect.zendesk.sandbox.admin;

import static com.helpdeskconnect.sandbox.support.AdminJson.body;
import static com.helpdeskconnect.sandbox.support.AdminJson.readTree;
import static com.helpdeskconnect.sandbox.support.AdminJson.textOrNull;
import static com.helpdeskconnect.sandbox.support.AdminJson.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.helpdeskconnect.zendesk.sandbox.ZendeskSandbox;
import com.helpdeskconnect.zendesk.sandbox.agent.Agent;
import com.helpdeskconnect.zendesk.sandbox.api.ZendeskJson;
import com.helpdeskconnect.zendesk.sandbox.faults.ActiveFault;
import com.helpdeskconnect.zendesk.sandbox.faults.FaultRule;
import com.helpdeskconnect.zendesk.sandbox.inspection.TicketView;
import com.helpdeskconnect.zendesk.sandbox.model.SeedData;
import com.helpdeskconnect.zendesk.sandbox.model.Status;
import com.helpdeskconnect.zendesk.sandbox.model.User;
import com.helpdeskconnect.zendesk.sandbox.webhooks.WebhookAttempt;
import com.helpdeskconnect.zendesk.sandbox.webhooks.Webhooks;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.Locale;

/**
 * The sandbox's own HTTP API under {@code /_sandbox/} for the demo, scripts and tests in other
 * processes: the agent, inspection, webhook settings, limits, the clock and faults. Not part of
 * Zendesk; no authentication (loopback only); never counted or faulted. Errors are
 * {@code 400 {"error": "…"}}.
 */
public final class SandboxApi {
    private static final String ROOT = ZendeskSandbox.SANDBOX_ROOT;

    private final ZendeskSandbox sandbox;
    private final ZendeskJson json;

    public SandboxApi(ZendeskSandbox sandbox) {
        this.sandbox = sandbox;
        this.json = new ZendeskJson(sandbox::baseUrl);
    }

    public void register(Javalin app) {
        Agent agent = sandbox.agent();
        app.post(ROOT + "/agent/tickets/{id}/replies", ctx -> {
            JsonNode body = body(ctx);
            Status status = body.hasNonNull("status") ? status(body.get("status").asText()) : null;
            long commentId = status == null
                    ? agent.reply(id(ctx), agentEmail(body), body.path("body").asText(""))
                    : agent.reply(id(ctx), agentEmail(body), body.path("body").asText(""), status);
            write(ctx, 201, ZendeskJson.MAPPER.createObjectNode().put("comment_id", commentId));
        });
        app.post(ROOT + "/agent/tickets/{id}/notes", ctx -> {
            JsonNode body = body(ctx);
            long commentId = agent.note(id(ctx), agentEmail(body), body.path("body").asText(""));
            write(ctx, 201, ZendeskJson.MAPPER.createObjectNode().put("comment_id", commentId));
        });
        app.post(ROOT + "/agent/tickets/{id}/status", ctx -> {
            JsonNode body = body(ctx);
            agent.changeStatus(id(ctx), agentEmail(body), status(body.path("status").asText("")));
            ctx.status(204);
        });
        app.post(ROOT + "/agent/tickets/{id}/solve", ctx -> {
            agent.solve(id(ctx), agentEmail(body(ctx)));
            ctx.status(204);
        });
        app.post(ROOT + "/agent/tickets/{id}/close", ctx -> {
            agent.close(id(ctx));
            ctx.status(204);
        });
        app.post(ROOT + "/agent/tickets/{id}/customer-replies", ctx -> {
            long commentId = agent.customerReply(id(ctx), body(ctx).path("body").asText(""));
            write(ctx, 201, ZendeskJson.MAPPER.createObjectNode().put("comment_id", commentId));
        });
        app.get(ROOT + "/agents", this::agents);
        app.get(ROOT + "/tickets", ctx -> {
            ArrayNode list = ZendeskJson.MAPPER.createArrayNode();
            sandbox.inspect().tickets().forEach(view -> list.add(ticket(view)));
            write(ctx, 200, list);
        });
        app.get(ROOT + "/tickets/{id}", ctx -> write(ctx, 200, ticket(sandbox.inspect().ticket(id(ctx))
                .orElseThrow(() -> new IllegalArgumentException("No ticket " + ctx.pathParam("id"))))));
        app.get(ROOT + "/requests", ctx -> write(ctx, 200,
                ZendeskJson.MAPPER.valueToTree(sandbox.inspect().requestCounts())));
        app.post(ROOT + "/reset", ctx -> {
            sandbox.reset();
            ctx.status(204);
        });
        app.post(ROOT + "/clock/advance", ctx -> {
            sandbox.advanceClock(Duration.ofSeconds(body(ctx).path("seconds").asLong()));
            ctx.status(204);
        });
        app.put(ROOT + "/limits", this::limits);
        app.put(ROOT + "/webhooks", this::configureWebhooks);
        app.get(ROOT + "/webhooks/deliveries", this::deliveries);
        app.post(ROOT + "/faults", this::addFault);
        app.get(ROOT + "/faults", this::listFaults);
        app.delete(ROOT + "/faults", ctx -> {
            sandbox.faults().clear();
            ctx.status(204);
        });
        app.delete(ROOT + "/faults/{id}", ctx -> {
            sandbox.faults().remove(Integer.parseInt(ctx.pathParam("id")));
            ctx.status(204);
        });
        app.exception(IllegalArgumentException.class, (e, ctx) ->
                write(ctx, 400, ZendeskJson.MAPPER.createObjectNode().put("error", e.getMessage())));
    }

    private ObjectNode ticket(TicketView view) {
        ObjectNode node = json.ticket(view.ticket(), sandbox.desk().ticketFields());
        ArrayNode comments = node.putArray("comments");
        view.comments().forEach(c -> comments.add(json.comment(c)));
        return node;
    }

    private void agents(Context ctx) {
        ArrayNode list = ZendeskJson.MAPPER.createArrayNode();
        for (User user : sandbox.inspect().users()) {
            if (user.isStaff()) {
                list.add(json.user(user));
            }
        }
        write(ctx, 200, list);
    }

    /** Body {@code {"accountPerMinute", "updateTicketPerMinute", "ticketUpdates", "ticketWindowSeconds"}}, any part. */
    private void limits(Context ctx) {
        JsonNode body = body(ctx);
        if (body.has("accountPerMinute")) {
            sandbox.limits().accountPerMinute(body.get("accountPerMinute").asInt());
        }
        if (body.has("updateTicketPerMinute")) {
            sandbox.limits().updateTicketPerMinute(body.get("updateTicketPerMinute").asInt());
        }
        if (body.has("ticketUpdates")) {
            sandbox.limits().ticketUpdates(body.get("ticketUpdates").asInt(),
                    Duration.ofSeconds(body.path("ticketWindowSeconds").asLong(600)));
        }
        ctx.status(204);
    }

    /**
     * Body {@code {"url", "secret", "active", "onApiUpdates", "onCreate", "excludeUserIds": […],
     * "bodyTemplate"}}, any subset; {@code "url": null} unwires the webhook.
     */
    private void configureWebhooks(Context ctx) {
        JsonNode body = body(ctx);
        Webhooks webhooks = sandbox.webhooks();
        if (body.has("url") || body.has("secret")) {
            String url = body.has("url") ? textOrNull(body, "url")
                    : webhooks.url() == null ? null : webhooks.url().toString();
            sandbox.webhook(url, body.has("secret") ? textOrNull(body, "secret") : sandbox.signingSecret());
        }
        if (body.has("active")) {
            webhooks.active(body.get("active").asBoolean());
        }
        if (body.has("onApiUpdates")) {
            webhooks.onApiUpdates(body.get("onApiUpdates").asBoolean());
        }
        if (body.has("onCreate")) {
            webhooks.onCreate(body.get("onCreate").asBoolean());
        }
        body.path("excludeUserIds").forEach(id -> webhooks.excludeUpdatesBy(id.asLong()));
        if (body.hasNonNull("bodyTemplate")) {
            webhooks.bodyTemplate(body.get("bodyTemplate").asText());
        }
        ctx.status(204);
    }

    private void deliveries(Context ctx) {
        ArrayNode list = ZendeskJson.MAPPER.createArrayNode();
        for (WebhookAttempt attempt : sandbox.webhooks().deliveries()) {
            ObjectNode node = list.addObject().put("invocationId", attempt.invocationId())
                    .put("ticketId", attempt.ticketId()).put("attempt", attempt.attempt())
                    .put("timestamp", attempt.timestamp()).put("status", attempt.status())
                    .put("retried", attempt.retried());
            node.set("body", readTree(attempt.body()));
            if (attempt.error() != null) {
                node.put("error", attempt.error());
            }
        }
        write(ctx, 200, list);
    }

    /**
     * Body: {@code {"method":"POST","path":"/api/v2/tickets","kind":"lose_answer","times":1}}; kinds
     * latency (latencyMs, jitterMs), status (status), too_many_requests (retryAfterSeconds),
     * connection_reset, lose_answer, slow_body (chunkBytes, chunkPauseMs); optional times, probability.
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
        write(ctx, 201, ZendeskJson.MAPPER.createObjectNode().put("id", sandbox.faults().add(rule)));
    }

    private void listFaults(Context ctx) {
        ArrayNode list = ZendeskJson.MAPPER.createArrayNode();
        for (ActiveFault fault : sandbox.faults().active()) {
            list.addObject().put("id", fault.id()).put("method", fault.rule().method())
                    .put("path", fault.rule().pathPrefix())
                    .put("kind", fault.rule().kind().name().toLowerCase(Locale.ROOT))
                    .put("remaining", fault.remaining()).put("injected", fault.injected())
                    .put("probability", fault.rule().probability());
        }
        write(ctx, 200, list);
    }

    private static String agentEmail(JsonNode body) {
        return body.hasNonNull("agent") ? body.get("agent").asText() : SeedData.ALICE_EMAIL;
    }

    private static Status status(String text) {
        return Status.parse(text).orElseThrow(() -> new IllegalArgumentException("Unknown status '" + text
                + "' (new, open, pending, hold, solved, closed)"));
    }

    private static long id(Context ctx) {
        try {
            return Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Not a ticket id: " + ctx.pathParam("id"), e);
        }
    }
}
