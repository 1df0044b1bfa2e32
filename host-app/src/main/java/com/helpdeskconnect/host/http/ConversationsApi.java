package com.helpdeskconnect.host.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.helpdeskconnect.host.events.ConversationEvent;
import com.helpdeskconnect.host.events.EventType;
import com.helpdeskconnect.host.integrations.IntegrationService;
import com.helpdeskconnect.host.security.Audit;
import com.helpdeskconnect.host.security.ChatLinks;
import com.helpdeskconnect.host.storage.CallbackStore;
import com.helpdeskconnect.host.storage.ConversationStore.ConversationRow;
import com.helpdeskconnect.host.storage.ConversationStores;
import com.helpdeskconnect.host.storage.EventIntake;
import com.helpdeskconnect.host.storage.OutboxStore.OperationRow;
import com.helpdeskconnect.host.storage.OutboxStore;
import com.helpdeskconnect.host.sync.SyncWorker;
import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code /api/v1/conversations/{conversationId}}: accept events, show sync state, retry parked work,
 * issue chat links; {@code /api/v1/events}: accept a batch of events of any conversations.
 * Conversation ids are unique per integration; the integration comes from the credential, so a
 * conversation of an integration the credential does not cover is 404.
 */
final class ConversationsApi {
    private final ConversationStores store;
    private final IntegrationService integrations;
    private final SyncWorker worker;
    private final ObjectMapper mapper;
    private final MeterRegistry metrics;

    private final ConversationStreams streams;
    private final CallbackStore callbacks;
    private final java.util.Map<String, io.micrometer.core.instrument.Counter> eventCounters =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final ChatLinks links;
    private final Audit audit;
    private final Supplier<String> baseUrl;
    private final long maxBodyBytes;

    ConversationsApi(ConversationStores store, IntegrationService integrations, SyncWorker worker, ObjectMapper mapper,
                     MeterRegistry metrics, ConversationStreams streams, CallbackStore callbacks, ChatLinks links, Audit audit,
                     Supplier<String> baseUrl, long maxBodyBytes) {
        this.links = links;
        this.audit = audit;
        this.baseUrl = baseUrl;
        this.maxBodyBytes = maxBodyBytes;
        this.streams = streams;
        this.callbacks = callbacks;
        this.store = store;
        this.integrations = integrations;
        this.worker = worker;
        this.mapper = mapper;
        this.metrics = metrics;
    }

    /**
     * 202 once the event is committed; 200 with {@code "duplicate"} when its id was accepted before.
     * The integration comes from the credential (see {@link Authorizer#integrationFor}); a chat link
     * may post customer messages only.
     */
    void postEvent(Context ctx) throws Exception {
        String conversationId = ctx.pathParam("conversationId");
        JsonNode body = RequestBodies.json(ctx, mapper, maxBodyBytes);
        ConversationEvent event = checkedEvent(ctx, conversationId, body, Instant.now());
        EventIntake.Accepted accepted;
        try {
            accepted = store.intake().accept(event);
        } catch (EventIntake.ConflictingEventException e) {
            throw new ApiException(409, "conflict", e.getMessage());
        }
        eventCounter(event.type().wire(), accepted == EventIntake.Accepted.NEW ? "accepted" : "duplicate").increment();
        if (accepted == EventIntake.Accepted.NEW) {
            worker.wake();
            streams.changed(conversationId);
            ctx.status(202).json(Map.of("eventId", event.eventId(), "conversationId", conversationId, "status", "accepted"));
        } else {
            ctx.status(200).json(Map.of("eventId", event.eventId(), "conversationId", conversationId, "status", "duplicate"));
        }
    }

    /** The most events one {@code POST /api/v1/events} may carry (more: 413 {@code too_many_events}). */
    static final int MAX_BATCH_EVENTS = 100;

    /**
     * {@code POST /api/v1/events}: {@code {"events": [event with its "conversationId", ...]}}, 1 to
     * {@link #MAX_BATCH_EVENTS} events. Each is checked exactly as {@link #postEvent} checks one; the
     * valid ones are written in one transaction, in array order, and the answer comes after its
     * commit: 200 with each event's outcome in input order, also when some or all were refused (a
     * refusal is that event's outcome). Any other answer wrote none of them, so the whole request
     * may be sent again (the ids dedupe). Not for chat links: the chat page posts one message at a time.
     */
    void postEvents(Context ctx) throws Exception {
        if (Authorizer.principal(ctx).chatLink().isPresent()) {
            throw new ApiException(403, "forbidden", "A chat link may only post single customer messages to its conversation");
        }
        JsonNode body = RequestBodies.json(ctx, mapper, maxBodyBytes);
        if (!body.isObject()) {
            throw ApiException.badRequest("The body must be a JSON object: {\"events\": [...]}", Map.of());
        }
        JsonNode items = body.get("events");
        if (items == null || !items.isArray()) {
            throw ApiException.badRequest("The batch is not valid", Map.of("events", "must be an array of events"));
        }
        if (items.isEmpty()) {
            throw ApiException.badRequest("The batch is not valid", Map.of("events", "must hold at least one event"));
        }
        if (items.size() > MAX_BATCH_EVENTS) {
            throw new ApiException(413, "too_many_events", "A batch holds at most " + MAX_BATCH_EVENTS + " events; this one has "
                    + items.size() + ": send them in several requests",
                    Map.of("events", "at most " + MAX_BATCH_EVENTS + " events per request"));
        }
        Authorizer.chargeEvents(ctx, items.size());
        Instant now = Instant.now();
        BatchResult[] results = new BatchResult[items.size()];
        List<ConversationEvent> valid = new ArrayList<>(items.size());
        List<Integer> validIndex = new ArrayList<>(items.size());
        // conversations with a refused event: their later events here are held back, so that the
        // corrected event, sent again, does not land behind them
        Set<String> refused = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String conversationId = validId(item, "conversationId");
            try {
                if (!item.isObject()) {
                    throw ApiException.badRequest("The event must be a JSON object", Map.of());
                }
                JsonNode id = item.get("conversationId");
                if (id != null && !id.isNull() && !id.isTextual()) {
                    throw ApiException.badRequest("The event is not valid", Map.of("conversationId", "must be text"));
                }
                ConversationEvent event = checkedEvent(ctx, id != null && id.isTextual() ? id.asText() : null, item, now);
                if (refused.contains(event.integrationId() + '\n' + event.conversationId())
                        || refused.contains(ANY_INTEGRATION + '\n' + event.conversationId())) {
                    throw heldBack();
                }
                valid.add(event);
                validIndex.add(i);
            } catch (ApiException e) {
                results[i] = BatchResult.rejected(i, validId(item, "eventId"), conversationId, e);
                if (conversationId != null) {
                    refused.add(integrationHint(ctx, item) + '\n' + conversationId);
                }
            }
        }
        List<EventIntake.Outcome> outcomes = store.intake().acceptAll(valid);
        Set<String> changed = new LinkedHashSet<>();
        int accepted = 0;
        int duplicates = 0;
        for (int k = 0; k < valid.size(); k++) {
            ConversationEvent event = valid.get(k);
            EventIntake.Outcome outcome = outcomes.get(k);
            int index = validIndex.get(k);
            if (outcome.conflict() != null || outcome.heldBack()) {
                results[index] = BatchResult.rejected(index, event.eventId(), event.conversationId(), outcome.heldBack()
                        ? heldBack() : new ApiException(409, "conflict", outcome.conflict().getMessage()));
                continue;
            }
            boolean fresh = outcome.accepted() == EventIntake.Accepted.NEW;
            eventCounter(event.type().wire(), fresh ? "accepted" : "duplicate").increment();
            if (fresh) {
                accepted++;
                changed.add(event.conversationId());
            } else {
                duplicates++;
            }
            results[index] = new BatchResult(index, event.eventId(), event.conversationId(), fresh ? "accepted" : "duplicate", null);
        }
        if (!changed.isEmpty()) {
            worker.wake();
            changed.forEach(streams::changed);
        }
        ctx.status(200).json(new BatchAnswer(List.of(results), accepted, duplicates, items.size() - accepted - duplicates));
    }

    /** A refused event whose integration cannot be told holds back its conversation id in every integration. */
    private static final String ANY_INTEGRATION = "*";

    /** The integration a refused event names or would default to, as far as it can be told without failing. */
    private static String integrationHint(Context ctx, JsonNode item) {
        JsonNode named = item.isObject() ? item.get("integrationId") : null;
        if (named != null && named.isTextual() && !named.asText().isBlank()) {
            return named.asText();
        }
        String query = ctx.queryParam("integrationId");
        if (query != null) {
            return query;
        }
        return Authorizer.principal(ctx).soleIntegration().orElse(ANY_INTEGRATION);
    }

    /** 424 (failed dependency): the event waits for an earlier one of its conversation that was refused. */
    private static ApiException heldBack() {
        return new ApiException(424, "held_back", "Not written: an earlier event of this conversation in the batch was"
                + " refused; send this one again after that one is corrected and accepted");
    }

    /** The answer of {@link #postEvents}. */
    record BatchAnswer(List<BatchResult> results, int accepted, int duplicates, int rejected) {}

    /** One event's outcome: {@code accepted}, {@code duplicate} or {@code rejected} with its error. */
    record BatchResult(int index, String eventId, String conversationId, String status,
                       @JsonInclude(JsonInclude.Include.NON_NULL) BatchError error) {
        static BatchResult rejected(int index, String eventId, String conversationId, ApiException e) {
            return new BatchResult(index, eventId, conversationId, "rejected",
                    new BatchError(e.status(), e.code(), e.getMessage(), e.fields()));
        }
    }

    /** Why an event was refused: what the single route would have answered for it. */
    record BatchError(int status, String code, String message, @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> fields) {}

    /** An id of a refused event as sent, if it is a valid id (else null: the index identifies the event). */
    private static String validId(JsonNode item, String name) {
        JsonNode value = item.get(name);
        return value != null && value.isTextual() && Ids.valid(value.asText()) ? value.asText() : null;
    }

    /**
     * One event of a request, checked as both event routes check it: its integration (named in
     * the event or the query, else the credential's only one; see {@link Authorizer#integrationFor}),
     * its fields, what a chat link may post, and that the integration exists.
     */
    private ConversationEvent checkedEvent(Context ctx, String conversationId, JsonNode body, Instant now) {
        JsonNode named = body == null ? null : body.get("integrationId");
        if (named != null && !named.isNull() && !named.isTextual()) {
            throw ApiException.badRequest("The event is not valid", Map.of("integrationId", "must be text"));
        }
        String requested = named != null && named.isTextual() && !named.asText().isBlank() ? named.asText() : null;
        String integrationId = Authorizer.integrationFor(ctx, requested != null ? requested : ctx.queryParam("integrationId"));
        ConversationEvent event = parse(conversationId, integrationId, body, now);
        if (Authorizer.principal(ctx).chatLink().isPresent() && event.type() != EventType.CUSTOMER_MESSAGE) {
            throw new ApiException(403, "forbidden", "A chat link may only post customer messages");
        }
        if (!integrations.exists(event.integrationId())) {
            throw new ApiException(422, "unknown_integration", "No integration '" + event.integrationId() + "'",
                    Map.of("integrationId", "is not a saved integration"));
        }
        return event;
    }

    void get(Context ctx) {
        String conversationId = conversationId(ctx);
        String integrationId = Authorizer.integrationFor(ctx, ctx.queryParam("integrationId"));
        ConversationRow row = store.conversations().conversation(integrationId, conversationId)
                .orElseThrow(() -> ApiException.notFound("No conversation '" + conversationId + "'"));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("conversationId", conversationId);
        json.put("integrationId", row.integrationId());
        json.put("case", row.caseRef() == null ? null : Map.of("id", row.caseRef().id(), "number", row.caseRef().number(),
                "link", row.caseRef().link() == null ? "" : row.caseRef().link().toString()));
        json.put("status", row.status());
        json.put("transcript", store.conversations().transcript(integrationId, conversationId).stream().map(e -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("eventId", e.eventId());
            entry.put("type", e.type());
            entry.put("author", e.author());
            entry.put("text", e.text());
            entry.put("occurredAt", e.occurredAt());
            entry.put("syncedAt", e.syncedAt());
            return entry;
        }).toList());
        List<OperationRow> open = store.outbox().openOperations(integrationId, conversationId);
        json.put("pending", open.stream().filter(o -> o.state().equals("PENDING")).map(o -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("operationId", o.id());
            entry.put("operation", o.operation());
            entry.put("eventId", o.eventId());
            entry.put("attempts", o.attempts());
            entry.put("nextAttemptAt", o.nextAttemptAt());
            entry.put("error", o.lastError());
            return entry;
        }).toList());
        json.put("parked", open.stream().filter(o -> o.state().equals("PARKED")).map(o -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("operationId", o.id());
            entry.put("operation", o.operation());
            entry.put("eventId", o.eventId());
            entry.put("error", o.lastError());
            entry.put("attempts", o.attempts());
            return entry;
        }).toList());
        json.put("discarded", store.outbox().discardedOperations(integrationId, conversationId).stream().map(o -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("operationId", o.id());
            entry.put("operation", o.operation());
            entry.put("eventId", o.eventId());
            entry.put("error", o.lastError());
            entry.put("discardedAt", o.discardedAt());
            return entry;
        }).toList());
        // steps not run because the connector lacks their capability (see OperationRunner)
        json.put("skipped", store.outbox().skippedSteps(integrationId, conversationId).stream().map(o -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("operationId", o.operationId());
            entry.put("operation", o.operation());
            entry.put("eventId", o.eventId());
            entry.put("reason", o.reason());
            return entry;
        }).toList());
        json.put("lastError", row.lastError());
        json.put("callbacks", callbacks.forConversation(integrationId, conversationId).stream().map(c -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("eventId", c.eventId());
            entry.put("event", c.event());
            entry.put("state", c.state());
            entry.put("attempts", c.attempts());
            entry.put("error", c.error());
            entry.put("deliveredAt", c.deliveredAt());
            return entry;
        }).toList());
        ctx.json(json);
    }

    /** Puts parked operations back in the queue, after the operator fixed the cause. */
    void retry(Context ctx) {
        String conversationId = conversationId(ctx);
        String integrationId = Authorizer.integrationFor(ctx, ctx.queryParam("integrationId"));
        store.conversations().conversation(integrationId, conversationId)
                .orElseThrow(() -> ApiException.notFound("No conversation '" + conversationId + "'"));
        int n = store.outbox().unpark(integrationId, conversationId);
        audit.record(Authorizer.principal(ctx), "conversation.retry", integrationId + "/" + conversationId, "requeued " + n);
        worker.wake();
        ctx.status(202).json(Map.of("conversationId", conversationId, "integrationId", integrationId, "requeued", n));
    }

    /**
     * Issues a signed link to the conversation's chat page: {@code {"url", "token", "expiresAt"}}.
     * The conversation need not exist yet (the customer may not have written); the integration must.
     */
    void chatLink(Context ctx) {
        String conversationId = conversationId(ctx);
        JsonNode body = RequestBodies.optionalJson(ctx, mapper, maxBodyBytes);
        if (body == null) {
            body = mapper.createObjectNode();
        } else if (!body.isObject()) {
            throw ApiException.badRequest("The body must be a JSON object (or empty)", Map.of());
        }
        JsonNode named = body.get("integrationId");
        if (named != null && !named.isNull() && !named.isTextual()) {
            throw ApiException.badRequest("The chat link request is not valid", Map.of("integrationId", "must be text"));
        }
        String integrationId = Authorizer.integrationFor(ctx, named != null && named.isTextual() ? named.asText()
                : ctx.queryParam("integrationId"));
        if (!integrations.exists(integrationId)) {
            throw ApiException.notFound("No integration '" + integrationId + "'");
        }
        Duration ttl = ChatLinks.DEFAULT_TTL;
        JsonNode seconds = body.get("ttlSeconds");
        if (seconds != null && !seconds.isNull()) {
            if (!seconds.canConvertToLong() || seconds.asLong() < 60 || seconds.asLong() > ChatLinks.MAX_TTL.toSeconds()) {
                throw ApiException.badRequest("The link's lifetime is out of range",
                        Map.of("ttlSeconds", "must be a whole number from 60 to " + ChatLinks.MAX_TTL.toSeconds()));
            }
            ttl = Duration.ofSeconds(seconds.asLong());
        }
        String token = links.issue(integrationId, conversationId, ttl);
        Instant expiresAt = links.verify(token).orElseThrow().expiresAt();
        String url = baseUrl.get() + "/chat?conversation=" + URLEncoder.encode(conversationId, StandardCharsets.UTF_8)
                + "&token=" + token;
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("url", url);
        json.put("token", token);
        json.put("expiresAt", expiresAt.toString());
        ctx.status(201).json(json);
    }

    /**
     * {@code POST /api/v1/conversations/{conversationId}/operations/{operationId}/discard}: gives up
     * on one parked operation for good (an admin decision: the helpdesk will never see it), so the
     * conversation's later operations run. The discard shows in the conversation's {@code discarded}.
     */
    void discard(Context ctx) {
        String conversationId = conversationId(ctx);
        String integrationId = Authorizer.integrationFor(ctx, ctx.queryParam("integrationId"));
        long operationId;
        try {
            operationId = Long.parseLong(ctx.pathParam("operationId"));
        } catch (NumberFormatException e) {
            throw ApiException.notFound("No operation '" + ctx.pathParam("operationId") + "'");
        }
        store.conversations().conversation(integrationId, conversationId).orElseThrow(() -> ApiException.notFound("No conversation '" + conversationId + "'"));
        switch (store.outbox().discard(integrationId, conversationId, operationId)) {
            case DISCARDED -> {
                audit.record(Authorizer.principal(ctx), "conversation.discard", integrationId + "/" + conversationId,
                        "operation " + operationId);
                worker.wake();
                streams.changed(conversationId);
                ctx.json(Map.of("conversationId", conversationId, "operationId", operationId, "state", "discarded"));
            }
            case NOT_PARKED -> throw new ApiException(409, "not_parked",
                    "Operation " + operationId + " is not parked; only parked operations can be discarded");
            case NOT_FOUND -> throw ApiException.notFound("No operation " + operationId + " in conversation '" + conversationId + "'");
        }
    }

    /** The path's conversation id; 400 naming the field when it is outside {@link Ids}' pattern. */
    static String conversationId(Context ctx) {
        String id = ctx.pathParam("conversationId");
        if (!Ids.valid(id)) {
            throw ApiException.badRequest("Invalid conversation id", Map.of("conversationId", Ids.RULE));
        }
        return id;
    }

    /** The accepted-events counter of a type and result, looked up once (not per request). */
    private io.micrometer.core.instrument.Counter eventCounter(String type, String result) {
        return eventCounters.computeIfAbsent(type + '/' + result, k -> metrics.counter("helpdesk_connect.events",
                "type", type, "result", result));
    }

    private static ConversationEvent parse(String conversationId, String integrationId, JsonNode body, Instant now) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("The body must be a JSON object", Map.of());
        }
        Map<String, String> errors = new LinkedHashMap<>();
        if (!Ids.valid(conversationId)) {
            errors.put("conversationId", conversationId == null ? "is required" : Ids.RULE);
        }
        String eventId = text(body, "eventId", true, errors);
        if (eventId != null && !Ids.valid(eventId)) {
            errors.put("eventId", Ids.RULE);
        }
        String typeName = text(body, "type", true, errors);
        EventType type = null;
        if (typeName != null) {
            type = EventType.fromWire(typeName).orElse(null);
            if (type == null) {
                errors.put("type", "must be one of customer_message, ai_reply, handoff, resolved");
            }
        }
        Instant occurredAt = null;
        String when = text(body, "occurredAt", true, errors);
        if (when != null) {
            try {
                occurredAt = Instant.parse(when);
                if (!Ids.plausible(occurredAt, now)) {
                    errors.put("occurredAt", "must be between " + Ids.EARLIEST + " and one day from now");
                    occurredAt = null;
                }
            } catch (DateTimeParseException e) {
                errors.put("occurredAt", "must be an ISO-8601 instant such as 2025-01-31T12:00:00Z");
            }
        }
        String text = null;
        ConversationEvent.Contact customer = null;
        String summary = null;
        Map<String, Object> fields = Map.of();
        String resolution = null;
        String closureCode = null;
        if (type == EventType.CUSTOMER_MESSAGE || type == EventType.AI_REPLY) {
            text = text(body, "text", true, errors);
            JsonNode c = body.get("customer");
            if (c != null && !c.isNull()) {
                if (!c.isObject()) {
                    errors.put("customer", "must be an object with name, email, phone");
                } else {
                    customer = new ConversationEvent.Contact(text(c, "name", false, errors), text(c, "email", false, errors),
                            text(c, "phone", false, errors));
                }
            }
        } else if (type == EventType.HANDOFF) {
            summary = text(body, "summary", true, errors);
            JsonNode f = body.get("fields");
            if (f != null && !f.isNull()) {
                if (!f.isObject()) {
                    errors.put("fields", "must be an object of field names to values");
                } else {
                    Map<String, Object> values = new LinkedHashMap<>();
                    f.properties().forEach(e -> {
                        JsonNode v = e.getValue();
                        if (v.isNull() || v.isContainerNode()) {
                            errors.put("fields." + e.getKey(), "must be text, a number or true/false");
                        } else {
                            values.put(e.getKey(), v.isNumber() ? v.numberValue() : v.isBoolean() ? v.booleanValue() : v.asText());
                        }
                    });
                    fields = values;
                }
            }
        } else if (type == EventType.RESOLVED) {
            resolution = text(body, "resolution", false, errors);
            closureCode = text(body, "closureCode", false, errors);
        }
        String ownerId = type == EventType.HANDOFF ? text(body, "ownerId", false, errors) : null;
        String groupId = type == EventType.HANDOFF ? text(body, "groupId", false, errors) : null;
        if (!errors.isEmpty()) {
            throw ApiException.badRequest("The event is not valid", errors);
        }
        return new ConversationEvent(eventId, conversationId, integrationId, type, occurredAt, text, customer, summary,
                fields, ownerId, groupId, resolution, closureCode);
    }

    private static String text(JsonNode node, String name, boolean required, Map<String, String> errors) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            if (required) {
                errors.put(name, "is required");
            }
            return null;
        }
        if (!value.isTextual()) {
            errors.put(name, "must be text");
            return null;
        }
        if (required && value.asText().isBlank()) {
            errors.put(name, "must not be blank");
            return null;
        }
        return value.asText();
    }
}
