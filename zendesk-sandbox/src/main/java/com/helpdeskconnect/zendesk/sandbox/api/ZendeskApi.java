package com.helpdeskconnect.zendesk.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.helpdeskconnect.zendesk.sandbox.auth.Credentials;
import com.helpdeskconnect.zendesk.sandbox.idempotency.IdempotencyKeys;
import com.helpdeskconnect.zendesk.sandbox.limits.RateLimited;
import com.helpdeskconnect.zendesk.sandbox.limits.RateLimits;
import com.helpdeskconnect.zendesk.sandbox.model.Actor;
import com.helpdeskconnect.zendesk.sandbox.model.Comment;
import com.helpdeskconnect.zendesk.sandbox.model.Desk;
import com.helpdeskconnect.zendesk.sandbox.model.Role;
import com.helpdeskconnect.zendesk.sandbox.model.Ticket;
import com.helpdeskconnect.zendesk.sandbox.model.TicketField;
import com.helpdeskconnect.zendesk.sandbox.model.User;
import com.helpdeskconnect.zendesk.sandbox.model.WriteResult;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The Zendesk Support REST API under {@code /api/v2} (every path also with a {@code .json} suffix)
 * and the OAuth token endpoint. Handlers parse, call the {@link Desk}, and write Zendesk's shapes;
 * one mapper writes every error envelope.
 */
public final class ZendeskApi {
    public static final String ROOT = "/api/v2";
    private static final String USER_ATTRIBUTE = "zendesk-sandbox.user";

    private final Desk desk;
    private final Credentials credentials;
    private final IdempotencyKeys idempotency;
    private final RateLimits limits;
    private final ZendeskJson json;

    public ZendeskApi(Desk desk, Credentials credentials, IdempotencyKeys idempotency, RateLimits limits,
            ZendeskJson json) {
        this.desk = desk;
        this.credentials = credentials;
        this.idempotency = idempotency;
        this.limits = limits;
        this.json = json;
    }

    public void register(Javalin app) {
        app.before(ROOT + "/*", this::authenticate);
        app.post("/oauth/tokens", this::oauthToken);
        route(app, HandlerType.GET, "/users/me", ctx -> write(ctx, 200, "user", json.user(user(ctx))));
        route(app, HandlerType.GET, "/users/search", this::searchUsers);
        route(app, HandlerType.GET, "/users", ctx -> list(ctx, "users",
                desk.users().stream().map(json::user).toList()));
        route(app, HandlerType.POST, "/users", this::createUser);
        route(app, HandlerType.GET, "/users/{id}", ctx -> write(ctx, 200, "user",
                json.user(desk.user(id(ctx)).orElseThrow(ZendeskError::notFound))));
        route(app, HandlerType.GET, "/groups", ctx -> list(ctx, "groups",
                desk.groups().stream().map(json::group).toList()));
        route(app, HandlerType.GET, "/groups/{id}", ctx -> write(ctx, 200, "group",
                json.group(desk.group(id(ctx)).orElseThrow(ZendeskError::notFound))));
        route(app, HandlerType.GET, "/ticket_fields", this::ticketFields);
        route(app, HandlerType.GET, "/ticket_fields/{id}", this::ticketField);
        route(app, HandlerType.GET, "/tickets", this::listTickets);
        route(app, HandlerType.POST, "/tickets", this::createTicket);
        route(app, HandlerType.GET, "/tickets/{id}", ctx -> write(ctx, 200, "ticket",
                ticketJson(desk.ticket(id(ctx)).orElseThrow(ZendeskError::notFound))));
        route(app, HandlerType.PUT, "/tickets/{id}", this::updateTicket);
        route(app, HandlerType.GET, "/tickets/{id}/comments", this::comments);
        route(app, HandlerType.GET, "/tickets/{id}/audits", this::audits);
        route(app, HandlerType.GET, "/search", this::search);
        for (HandlerType method : List.of(HandlerType.GET, HandlerType.POST, HandlerType.PUT, HandlerType.PATCH,
                HandlerType.DELETE)) {
            app.addHttpHandler(method, ROOT + "/<rest>", ctx -> {
                throw new ZendeskError(404, "InvalidEndpoint", "Not found", null);
            });
        }
        app.exception(ZendeskError.class, (e, ctx) -> writeError(ctx, e));
        app.exception(RateLimited.class, (e, ctx) -> writeRateLimited(ctx, e));
    }

    private static void route(Javalin app, HandlerType method, String path, Handler handler) {
        app.addHttpHandler(method, ROOT + path, handler);
        if (!path.endsWith("}")) {
            app.addHttpHandler(method, ROOT + path + ".json", handler);
        }
    }

    // ---- authentication and limits -------------------------------------------------------------

    private void authenticate(Context ctx) {
        User user = credentials.authenticate(ctx.header("Authorization"));
        ctx.attribute(USER_ATTRIBUTE, user);
        ctx.header("X-Rate-Limit", String.valueOf(limits.accountPerMinute()));
        int remaining = limits.takeAccountRequest();
        ctx.header("X-Rate-Limit-Remaining", String.valueOf(remaining));
        String path = stripJson(ctx.path());
        if (user.role() == Role.END_USER && !path.equals(ROOT + "/users/me")) {
            throw ZendeskError.forbidden();
        }
    }

    private void oauthToken(Context ctx) {
        String clientId;
        String clientSecret;
        String grantType;
        if (ctx.contentType() != null && ctx.contentType().startsWith("application/json")) {
            JsonNode body = parse(ctx);
            grantType = body.path("grant_type").asText(null);
            clientId = body.path("client_id").asText(null);
            clientSecret = body.path("client_secret").asText(null);
        } else {
            grantType = ctx.formParam("grant_type");
            clientId = ctx.formParam("client_id");
            clientSecret = ctx.formParam("client_secret");
        }
        if (!"client_credentials".equals(grantType)) {
            ctx.status(400).json(ZendeskJson.MAPPER.createObjectNode().put("error", "unsupported_grant_type")
                    .put("error_description", "The authorization grant type is not supported by the "
                            + "authorization server."));
            return;
        }
        credentials.issueAccessToken(clientId, clientSecret).ifPresentOrElse(
                token -> ctx.status(200).contentType("application/json; charset=utf-8").result(
                        ZendeskJson.MAPPER.createObjectNode().put("access_token", token).put("token_type", "bearer")
                                .put("scope", "read write").toString()),
                () -> ctx.status(401).contentType("application/json; charset=utf-8").result(
                        ZendeskJson.MAPPER.createObjectNode().put("error", "invalid_client")
                                .put("error_description", "Client authentication failed due to unknown client, no "
                                        + "client authentication included, or unsupported authentication method.")
                                .toString()));
    }

    // ---- users, groups, fields -----------------------------------------------------------------

    private void searchUsers(Context ctx) {
        String query = ctx.queryParam("query");
        String externalId = ctx.queryParam("external_id");
        List<User> found;
        if (query != null) {
            found = desk.searchUsers(query);
        } else if (externalId != null) {
            found = desk.searchUsers("external_id:" + externalId);
        } else {
            throw ZendeskError.badRequest("InvalidParameter", "Supply either a query or an external_id parameter");
        }
        list(ctx, "users", found.stream().map(json::user).toList());
    }

    private void createUser(Context ctx) {
        JsonNode body = envelope(ctx, "user");
        Role role = Role.END_USER;
        if (body.hasNonNull("role")) {
            try {
                role = Role.parse(body.get("role").asText());
            } catch (IllegalArgumentException e) {
                throw ZendeskError.invalid("role", "Role: is invalid", "InvalidValue");
            }
        }
        User created = desk.createUser(body.path("name").asText(null), body.path("email").asText(null), role,
                body.path("external_id").asText(null));
        write(ctx, 201, "user", json.user(created));
    }

    private void ticketFields(Context ctx) {
        List<TicketField> fields = desk.ticketFields();
        List<ObjectNode> nodes = new ArrayList<>();
        for (int i = 0; i < fields.size(); i++) {
            nodes.add(json.field(fields.get(i), i + 1));
        }
        list(ctx, "ticket_fields", nodes);
    }

    private void ticketField(Context ctx) {
        List<TicketField> fields = desk.ticketFields();
        long id = id(ctx);
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).id() == id) {
                write(ctx, 200, "ticket_field", json.field(fields.get(i), i + 1));
                return;
            }
        }
        throw ZendeskError.notFound();
    }

    // ---- tickets -------------------------------------------------------------------------------

    private void listTickets(Context ctx) {
        String externalId = ctx.queryParam("external_id");
        List<Ticket> found = externalId != null ? desk.ticketsByExternalId(externalId) : desk.tickets();
        list(ctx, "tickets", found.stream().map(this::ticketJson).toList());
    }

    private void createTicket(Context ctx) {
        byte[] raw = ctx.bodyAsBytes();
        JsonNode body = envelope(ctx, "ticket");
        Actor actor = actor(ctx);
        String key = ctx.header("Idempotency-Key");
        if (key == null || key.isBlank()) {
            writeCreated(ctx, desk.create(body, actor));
            return;
        }
        synchronized (desk) {
            IdempotencyKeys.Lookup lookup = idempotency.lookup(key, raw);
            if (lookup instanceof IdempotencyKeys.Hit hit) {
                ctx.header("x-idempotency-lookup", "hit");
                if (hit.stored().location() != null) {
                    ctx.header("Location", hit.stored().location());
                }
                ctx.status(hit.stored().status()).contentType("application/json; charset=utf-8")
                        .result(hit.stored().responseBody());
                return;
            }
            if (lookup instanceof IdempotencyKeys.Mismatch) {
                throw ZendeskError.badRequest("IdempotentRequestError",
                        "Request parameters don't match the given idempotency key");
            }
            WriteResult result = desk.create(body, actor);
            String answer = writeCreated(ctx, result);
            idempotency.store(key, raw, 201, answer, json.ticketUrl(result.ticket().id()));
            ctx.header("x-idempotency-lookup", "miss");
        }
    }

    private String writeCreated(Context ctx, WriteResult result) {
        ctx.header("Location", json.ticketUrl(result.ticket().id()));
        ObjectNode answer = ZendeskJson.MAPPER.createObjectNode();
        answer.set("ticket", ticketJson(result.ticket()));
        answer.set("audit", json.audit(result.audit()));
        String text = answer.toString();
        ctx.status(201).contentType("application/json; charset=utf-8").result(text);
        return text;
    }

    private void updateTicket(Context ctx) {
        long id = id(ctx);
        JsonNode body = envelope(ctx, "ticket");
        Actor actor = actor(ctx);
        if (desk.ticket(id).isEmpty()) {
            throw ZendeskError.notFound();
        }
        limits.takeTicketUpdate(actor.user().id(), id);
        WriteResult result = desk.update(id, body, actor);
        ObjectNode answer = ZendeskJson.MAPPER.createObjectNode();
        answer.set("ticket", ticketJson(result.ticket()));
        answer.set("audit", json.audit(result.audit()));
        ctx.status(200).contentType("application/json; charset=utf-8").result(answer.toString());
    }

    private void comments(Context ctx) {
        long id = id(ctx);
        desk.ticket(id).orElseThrow(ZendeskError::notFound);
        List<Comment> comments = new ArrayList<>(desk.comments(id));
        if ("desc".equalsIgnoreCase(ctx.queryParam("sort_order"))) {
            comments.sort(Comparator.comparing(Comment::id).reversed());
        }
        list(ctx, "comments", comments.stream().map(json::comment).toList());
    }

    private void audits(Context ctx) {
        long id = id(ctx);
        desk.ticket(id).orElseThrow(ZendeskError::notFound);
        list(ctx, "audits", desk.audits(id).stream().map(json::audit).toList());
    }

    /**
     * {@code GET /api/v2/search?query=…}: only ticket searches by {@code external_id:}, {@code status:}
     * and {@code requester:} (email) terms; {@code type:ticket} is accepted.
     */
    private void search(Context ctx) {
        String query = ctx.queryParam("query");
        if (query == null || query.isBlank()) {
            throw ZendeskError.badRequest("InvalidParameter", "Query parameter is required");
        }
        List<Ticket> found = desk.tickets();
        for (String term : query.trim().split("\\s+")) {
            int colon = term.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = term.substring(0, colon).toLowerCase(Locale.ROOT);
            String value = term.substring(colon + 1).replace("\"", "");
            found = switch (name) {
                case "type" -> value.equals("ticket") ? found : List.of();
                case "external_id" -> found.stream().filter(t -> value.equals(t.externalId())).toList();
                case "status" -> found.stream().filter(t -> t.status().wire().equals(value)).toList();
                case "requester" -> found.stream().filter(t -> desk.user(t.requesterId())
                        .map(u -> value.equalsIgnoreCase(u.email())).orElse(false)).toList();
                default -> found;
            };
        }
        List<ObjectNode> results = found.stream().map(t -> ticketJson(t).put("result_type", "ticket")).toList();
        ObjectNode answer = ZendeskJson.MAPPER.createObjectNode();
        ArrayNode array = answer.putArray("results");
        results.forEach(array::add);
        answer.putNull("facets").putNull("next_page").putNull("previous_page").put("count", results.size());
        ctx.status(200).contentType("application/json; charset=utf-8").result(answer.toString());
    }

    private ObjectNode ticketJson(Ticket ticket) {
        return json.ticket(ticket, desk.ticketFields());
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static User user(Context ctx) {
        return ctx.attribute(USER_ATTRIBUTE);
    }

    private static Actor actor(Context ctx) {
        return new Actor(user(ctx), Actor.API, ctx.header("User-Agent"));
    }

    /** A numeric path id, with or without {@code .json}; anything else is Zendesk's 404. */
    private static long id(Context ctx) {
        try {
            return Long.parseLong(stripJson(ctx.pathParam("id")));
        } catch (NumberFormatException e) {
            throw ZendeskError.notFound();
        }
    }

    private static String stripJson(String text) {
        return text.endsWith(".json") ? text.substring(0, text.length() - 5) : text;
    }

    /** The object inside {@code {"<name>": …}}; 400 when the body is no JSON or lacks the envelope. */
    private static JsonNode envelope(Context ctx, String name) {
        JsonNode inner = parse(ctx).get(name);
        if (inner == null || !inner.isObject()) {
            throw ZendeskError.badRequest("ParameterMissing", "param is missing or the value is empty: " + name);
        }
        return inner;
    }

    private static JsonNode parse(Context ctx) {
        try {
            JsonNode node = ZendeskJson.MAPPER.readTree(ctx.bodyAsBytes());
            if (node == null || !node.isObject()) {
                throw ZendeskError.badRequest("InvalidJSON", "The request body must be a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw ZendeskError.badRequest("InvalidJSON", "The request body is not valid JSON");
        }
    }

    private static void write(Context ctx, int status, String name, ObjectNode value) {
        ObjectNode answer = ZendeskJson.MAPPER.createObjectNode();
        answer.set(name, value);
        ctx.status(status).contentType("application/json; charset=utf-8").result(answer.toString());
    }

    /**
     * A list, offset-paginated ({@code page}, {@code per_page} up to 100; {@code next_page},
     * {@code previous_page}, {@code count}) or cursor-paginated when {@code page[size]} is given
     * ({@code meta.has_more}, {@code meta.after_cursor}, {@code links.next}).
     */
    private static void list(Context ctx, String name, List<ObjectNode> items) {
        ObjectNode answer = ZendeskJson.MAPPER.createObjectNode();
        ArrayNode array = answer.putArray(name);
        String url = ctx.fullUrl().replaceAll("[?].*$", "");
        String cursorSize = ctx.queryParam("page[size]");
        if (cursorSize != null) {
            int size = Math.max(1, Math.min(100, parseInt(cursorSize, 100)));
            int start = decodeCursor(ctx.queryParam("page[after]"));
            int end = Math.min(items.size(), start + size);
            items.subList(Math.min(start, end), end).forEach(array::add);
            boolean more = end < items.size();
            ObjectNode meta = answer.putObject("meta").put("has_more", more);
            meta.put("after_cursor", more ? encodeCursor(end) : null);
            meta.put("before_cursor", start > 0 ? encodeCursor(start) : null);
            ObjectNode links = answer.putObject("links");
            links.put("prev", (String) null);
            links.put("next", more ? url + "?page%5Bsize%5D=" + size + "&page%5Bafter%5D=" + encodeCursor(end) : null);
        } else {
            int perPage = Math.max(1, Math.min(100, parseInt(ctx.queryParam("per_page"), 100)));
            int page = Math.max(1, parseInt(ctx.queryParam("page"), 1));
            int start = Math.min(items.size(), (page - 1) * perPage);
            int end = Math.min(items.size(), start + perPage);
            items.subList(start, end).forEach(array::add);
            answer.put("next_page", end < items.size() ? url + "?page=" + (page + 1) + "&per_page=" + perPage : null);
            answer.put("previous_page", page > 1 ? url + "?page=" + (page - 1) + "&per_page=" + perPage : null);
            answer.put("count", items.size());
        }
        ctx.status(200).contentType("application/json; charset=utf-8").result(answer.toString());
    }

    private static int parseInt(String text, int fallback) {
        try {
            return text == null ? fallback : Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static String encodeCursor(int index) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("i" + index).getBytes(StandardCharsets.UTF_8));
    }

    private static int decodeCursor(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return 0;
        }
        try {
            return Integer.parseInt(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8)
                    .substring(1));
        } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
            throw ZendeskError.badRequest("InvalidPaginationParameter", "page[after] is not a valid cursor");
        }
    }

    /** The one error writer: Zendesk's JSON envelope; 401 adds Basic's challenge. */
    public static void writeError(Context ctx, ZendeskError error) {
        if (error.status() == 401) {
            ctx.header("WWW-Authenticate", "Basic realm=\"Web Password\"");
        }
        ctx.status(error.status()).contentType("application/json; charset=utf-8").result(error.toJson().toString());
    }

    /** 429 as Zendesk sends it: text/plain, {@code Retry-After} seconds, the limit headers. */
    public static void writeRateLimited(Context ctx, RateLimited limited) {
        ctx.status(429).contentType("text/plain; charset=utf-8")
                .header("Retry-After", String.valueOf(limited.retryAfterSeconds()))
                .header("X-Rate-Limit", String.valueOf(limited.limit()))
                .header("X-Rate-Limit-Remaining", "0")
                .result(limited.getMessage());
    }
}
