package com.helpdeskconnect.zendesk.cases;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.helpdeskconnect.api.OperationContext;
import com.helpdeskconnect.api.cases.CaseRef;
import com.helpdeskconnect.api.cases.FieldValues;
import com.helpdeskconnect.api.cases.FillResult;
import com.helpdeskconnect.api.cases.Handoff;
import com.helpdeskconnect.api.cases.Resolution;
import com.helpdeskconnect.zendesk.Session;
import com.helpdeskconnect.zendesk.fields.FieldMapper;
import com.helpdeskconnect.zendesk.http.ZendeskApiException;
import com.helpdeskconnect.zendesk.state.Ledger;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The updates beyond chat messages: the handoff (summary note, group and assignee, fields: one
 * update), filling fields, and resolving (status and the solution as a note: one update). Each
 * runs once per operation: its outcome is kept in the ledger, and a retry first looks for the
 * update's marker among the ticket's newest comments.
 */
public final class TicketUpdates {
    private static final Logger LOG = LoggerFactory.getLogger(TicketUpdates.class);

    private TicketUpdates() {}

    public static FillResult handOff(Session session, UpdateBudget budget, FieldMapper mapper, OperationContext op,
                                     CaseRef caseRef, Handoff handoff) {
        long ticketId = Session.ticketId(caseRef);
        Ledger ledger = session.ledger();
        Optional<FillResult> done = ledger.operation(op.idempotencyKey()).flatMap(o -> outcome(session, o));
        if (done.isPresent()) {
            return done.get();
        }
        FieldMapper.Plan plan = handoff.fields().isEmpty() ? emptyPlan()
                : mapper.plan(handoff.fields(), session.fields().fields());
        String marker = Markers.operation(op.idempotencyKey());
        if (op.attempt() > 1) {
            Long landed = Markers.recent(session.client(), ticketId).get(marker);
            if (landed != null) {
                return finish(session, op, plan, landed, handoff);
            }
        }
        Long group = TicketWriter.id(handoff.groupId(), "group", null);
        Long owner = TicketWriter.id(handoff.ownerId(), "owner", null);
        for (int tries = 0; ; tries++) {
            ObjectNode envelope = session.client().json().createObjectNode();
            ObjectNode ticket = envelope.putObject("ticket");
            ticket.putObject("comment").put("body", CommentBody.handoffNote(handoff.summary())).put("public", false);
            if (group != null) {
                ticket.put("group_id", group);
            }
            if (owner != null) {
                ticket.put("assignee_id", owner);
            }
            plan.writeTo(ticket);
            budget.take(ticketId);
            try {
                JsonNode answer = session.client().put("tickets/" + ticketId, envelope, marker);
                return finish(session, op, plan, CommentWriter.commentId(answer), handoff);
            } catch (ZendeskApiException e) {
                plan = withoutRefusedFields(e, plan, tries);
            }
        }
    }

    public static FillResult fill(Session session, UpdateBudget budget, FieldMapper mapper, CaseRef caseRef,
                                  FieldValues values) {
        long ticketId = Session.ticketId(caseRef);
        FieldMapper.Plan plan = mapper.plan(values, session.fields().fields());
        for (int tries = 0; !plan.isEmpty(); tries++) {
            ObjectNode envelope = session.client().json().createObjectNode();
            plan.writeTo(envelope.putObject("ticket"));
            budget.take(ticketId);
            try {
                session.client().put("tickets/" + ticketId, envelope, null);
                break;
            } catch (ZendeskApiException e) {
                plan = withoutRefusedFields(e, plan, tries);
            }
        }
        return new FillResult(plan.applied(), plan.rejected());
    }

    /**
     * Sets the resolved status with the solution as an internal note. Resolving a ticket this
     * connection already resolved (and that was not reopened since) changes nothing; a closed ticket
     * is final and also left alone.
     */
    public static void resolve(Session session, UpdateBudget budget, OperationContext op, CaseRef caseRef,
                               Resolution resolution) {
        long ticketId = Session.ticketId(caseRef);
        Ledger ledger = session.ledger();
        String status = session.settings().solvedStatus().wire();
        if (ledger.resolvedStatus(ticketId).filter(status::equals).isPresent()) {
            return;
        }
        if (op.attempt() > 1) {
            String now = session.client().get("tickets/" + ticketId, Map.of()).path("ticket").path("status").asText("");
            if (now.equals(status) || now.equals("closed")) {
                ledger.recordResolved(ticketId, status);
                return;
            }
        }
        ObjectNode envelope = session.client().json().createObjectNode();
        ObjectNode ticket = envelope.putObject("ticket").put("status", status);
        String note = resolution.solution().strip();
        if (resolution.closureCode() != null && !resolution.closureCode().isBlank()) {
            note = (note.isEmpty() ? "" : note + "\n\n") + "Closure code: " + resolution.closureCode().strip();
        }
        if (!note.isEmpty()) {
            ticket.putObject("comment").put("body", "Resolved by the AI assistant\n\n" + note).put("public", false);
        }
        String marker = Markers.operation(op.idempotencyKey());
        JsonNode answer;
        budget.take(ticketId);
        try {
            answer = session.client().put("tickets/" + ticketId, envelope, marker);
        } catch (ZendeskApiException e) {
            if (e.isClosedTicket()) {
                ledger.recordResolved(ticketId, status);
                return;
            }
            if (e.status() != 422 || !e.hasDetail("assignee")) {
                throw e;
            }
            // Zendesk solves only assigned tickets: the integration's own user takes it (GUESS, reference §4).
            ticket.put("assignee_id", session.users().myId());
            budget.take(ticketId);
            answer = session.client().put("tickets/" + ticketId, envelope, marker);
        }
        long commentId = CommentWriter.commentId(answer);
        if (commentId > 0) {
            ledger.recordOwnComment(commentId);
        }
        ledger.recordResolved(ticketId, status);
    }

    private static FillResult finish(Session session, OperationContext op, FieldMapper.Plan plan, long commentId,
                                     Handoff handoff) {
        Ledger ledger = session.ledger();
        if (commentId > 0) {
            ledger.recordOwnComment(commentId);
        }
        if (op.conversationId() != null) {
            ledger.recordActivity(op.conversationId(), handoff.summary().externalId(), commentId);
        }
        FillResult result = new FillResult(plan.applied(), plan.rejected());
        ObjectNode outcome = session.client().json().createObjectNode().put("comment", commentId);
        ArrayNode applied = outcome.putArray("applied");
        plan.applied().forEach(applied::add);
        ObjectNode rejected = outcome.putObject("rejected");
        plan.rejected().forEach(rejected::put);
        ledger.recordOperation(op.idempotencyKey(), outcome.toString());
        return result;
    }

    private static Optional<FillResult> outcome(Session session, String stored) {
        try {
            JsonNode node = session.client().json().readTree(stored);
            Set<String> applied = new LinkedHashSet<>();
            node.path("applied").forEach(n -> applied.add(n.asText()));
            Map<String, String> rejected = new LinkedHashMap<>();
            node.path("rejected").properties().forEach(e -> rejected.put(e.getKey(), e.getValue().asText()));
            return Optional.of(new FillResult(applied, rejected));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * After a 422 that blames custom fields ({@code details.base[].field_key}), the same update
     * without them, once; any other refusal is thrown.
     */
    private static FieldMapper.Plan withoutRefusedFields(ZendeskApiException e, FieldMapper.Plan plan, int tries) {
        if (e.status() != 422 || tries > 0 || e.blamedFieldIds().isEmpty()) {
            throw e;
        }
        Map<Long, String> refused = new LinkedHashMap<>();
        e.blamedFieldIds().forEach(id -> refused.put(id, "Zendesk refused it: " + e.textFor(id)));
        FieldMapper.Plan reduced = plan.without(refused);
        if (reduced.applied().size() == plan.applied().size()) {
            throw e;
        }
        LOG.info("Zendesk refused {} field value(s); writing the rest", refused.size());
        return reduced;
    }

    private static FieldMapper.Plan emptyPlan() {
        return new FieldMapper.Plan(Map.of(), Map.of(), Map.of(), Set.of(), Map.of());
    }
}
