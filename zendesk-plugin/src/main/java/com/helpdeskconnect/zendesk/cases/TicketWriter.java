package com.helpdeskconnect.zendesk.cases;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.helpdeskconnect.api.OperationContext;
import com.helpdeskconnect.api.cases.Activity;
import com.helpdeskconnect.api.cases.CaseDraft;
import com.helpdeskconnect.api.cases.CaseRef;
import com.helpdeskconnect.api.cases.Customer;
import com.helpdeskconnect.api.errors.NotFoundException;
import com.helpdeskconnect.zendesk.Session;
import com.helpdeskconnect.zendesk.http.ZendeskApiException;
import com.helpdeskconnect.zendesk.http.ZendeskClient;
import com.helpdeskconnect.zendesk.state.Ledger;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens tickets: one per conversation, never two. Zendesk chooses ticket ids, so three guards
 * stack up (reference §2):
 * <ol>
 *   <li>the conversation's ticket in the connector state, recorded as soon as Zendesk answers;</li>
 *   <li>on a retry ({@code attempt > 1}), a search by the ticket's {@code external_id}, which
 *       carries the conversation: a lost answer, a killed host, or a retry after the idempotency
 *       key's two hours still find the ticket;</li>
 *   <li>the {@code Idempotency-Key} header, derived from the conversation, with a byte-identical
 *       body on every try: Zendesk answers a repeat with the first ticket.</li>
 * </ol>
 * The first messages go in the ticket's first comment (one request for the whole opening).
 */
public final class TicketWriter {
    /** Every ticket the connector opens carries it: views, and trigger conditions on our tickets only. */
    public static final String TAG = "helpdesk_connect";

    private static final Logger LOG = LoggerFactory.getLogger(TicketWriter.class);
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    private static final int MAX_EXTERNAL_ID = 255;
    private static final int MAX_SUBJECT = 150;

    private TicketWriter() {}

    public static CaseRef create(Session session, UpdateBudget budget, OperationContext op, CaseDraft draft,
                                 List<Activity> first) {
        String conversation = draft.conversationId();
        Ledger ledger = session.ledger();
        OptionalLong known = ledger.caseTicket(conversation);
        if (known.isPresent()) {
            // Opened before; first messages that had to follow in their own update are written now if missing.
            return CommentWriter.append(session, budget, op, session.caseRef(known.getAsLong()), first);
        }
        List<List<Activity>> runs = CommentBody.runs(first, session.settings().publicChatMessages());
        List<Activity> opening = runs.isEmpty() ? List.of() : runs.get(0);
        List<Activity> rest = first.subList(opening.size(), first.size());
        String externalId = externalId(session, conversation);
        if (op.attempt() > 1) {
            Optional<JsonNode> found = earlierTicket(session, externalId);
            if (found.isPresent()) {
                return adopt(session, budget, op, found.get(), opening, rest);
            }
        }

        ObjectNode ticket = session.client().json().createObjectNode();
        ticket.put("subject", subject(draft));
        Customer customer = draft.customer();
        boolean anonymous = customer.email() == null || !EMAIL.matcher(customer.email().strip()).matches();
        ticket.putObject("comment")
                .put("body", CommentBody.firstComment(opening, draft.description(), draft.subject(), customer, anonymous))
                .put("public", !opening.isEmpty() && CommentBody.isPublic(opening.get(0),
                        session.settings().publicChatMessages()));
        ObjectNode requester = ticket.putObject("requester");
        String name = customer.name() == null || customer.name().isBlank() ? null : customer.name().strip();
        if (anonymous) {
            requester.put("name", "Chat visitor").put("email", session.settings().anonymousRequesterEmail());
        } else {
            requester.put("name", name != null ? name : customer.email().strip().split("@")[0])
                    .put("email", customer.email().strip());
        }
        ticket.put("external_id", externalId);
        ticket.putArray("tags").add(TAG);
        Long group = id(draft.groupId(), "group", session.settings().defaultGroupId());
        Long assignee = id(draft.ownerId(), "owner", session.settings().defaultAssigneeId());
        if (group != null) {
            ticket.put("group_id", group);
        }
        if (assignee != null) {
            ticket.put("assignee_id", assignee);
        }
        ObjectNode envelope = session.client().json().createObjectNode();
        envelope.set("ticket", ticket);

        String key = "hc-" + Ledger.sha256(session.integrationId() + "\n" + conversation);
        ZendeskClient.Answer answer;
        try {
            answer = session.client().post("tickets", session.client().bytes(envelope),
                    Map.of("Idempotency-Key", key), null);
        } catch (ZendeskApiException e) {
            // The same key with another body: an earlier try (before a settings change) got through.
            if (e.status() == 400 && "IdempotentRequestError".equals(e.error())) {
                Optional<JsonNode> earlier = earlierTicket(session, externalId);
                if (earlier.isPresent()) {
                    return adopt(session, budget, op, earlier.get(), opening, rest);
                }
            }
            throw e;
        }
        CaseRef ref = recordCreated(session, conversation, opening, answer.body());
        return rest.isEmpty() ? ref : CommentWriter.append(session, budget, op, ref, rest);
    }

    /** The conversation's first ticket, by external id (follow-ups share it). */
    private static Optional<JsonNode> earlierTicket(Session session, String externalId) {
        return byExternalId(session.client(), externalId).stream().filter(t -> !isFollowUp(t))
                .min(Comparator.comparingLong(t -> t.path("id").asLong()));
    }

    /** Takes over a ticket an earlier try opened: its opening messages are in it; the rest may be missing. */
    private static CaseRef adopt(Session session, UpdateBudget budget, OperationContext op, JsonNode ticket,
                                 List<Activity> opening, List<Activity> rest) {
        long id = ticket.path("id").asLong();
        LOG.info("Found ticket {} of an earlier try by its external id", id);
        String conversation = op.conversationId();
        session.ledger().recordTicket(conversation, id, ticket.path("requester_id").asLong());
        opening.forEach(a -> session.ledger().recordActivity(conversation, a.externalId(), 0));
        CaseRef ref = session.caseRef(id);
        return rest.isEmpty() ? ref : CommentWriter.append(session, budget, op, ref, rest);
    }

    /**
     * A follow-up of a closed ticket for the conversation's next messages ({@code via_followup_source_id}),
     * found again on a retry by external id and source.
     */
    static CaseRef followUp(Session session, OperationContext op, long closedId, List<Activity> batch) {
        String conversation = op.conversationId();
        Ledger ledger = session.ledger();
        String externalId = externalId(session, conversation);
        if (op.attempt() > 1) {
            Optional<JsonNode> found = byExternalId(session.client(), externalId).stream()
                    .filter(t -> t.path("via").path("source").path("from").path("ticket_id").asLong() == closedId)
                    .findFirst();
            if (found.isPresent()) {
                long id = found.get().path("id").asLong();
                ledger.recordTicket(conversation, id, found.get().path("requester_id").asLong());
                ledger.recordFollowUp(closedId, id);
                batch.forEach(a -> ledger.recordActivity(conversation, a.externalId(), 0));
                return session.caseRef(id);
            }
        }
        JsonNode closed = session.client().get("tickets/" + closedId, Map.of()).path("ticket");
        long requesterId = closed.path("requester_id").asLong();
        ObjectNode ticket = session.client().json().createObjectNode();
        ticket.put("subject", closed.path("subject").asText("Chat"));
        CommentBody.comment(ticket.putObject("comment"), batch, requesterId,
                CommentBody.isPublic(batch.get(0), session.settings().publicChatMessages()));
        ticket.put("requester_id", requesterId);
        ticket.put("via_followup_source_id", closedId);
        ticket.put("external_id", externalId);
        ticket.putArray("tags").add(TAG);
        if (session.settings().defaultGroupId() != null) {
            ticket.put("group_id", session.settings().defaultGroupId());
        }
        if (session.settings().defaultAssigneeId() != null) {
            ticket.put("assignee_id", session.settings().defaultAssigneeId());
        }
        ObjectNode envelope = session.client().json().createObjectNode();
        envelope.set("ticket", ticket);
        String key = "hc-" + Ledger.sha256(session.integrationId() + "\n" + conversation + "\nfollow-up\n" + closedId);
        ZendeskClient.Answer answer = session.client().post("tickets", session.client().bytes(envelope),
                Map.of("Idempotency-Key", key), Markers.activities(conversation, batch));
        CaseRef ref = recordCreated(session, conversation, batch, answer.body());
        ledger.recordFollowUp(closedId, Long.parseLong(ref.id()));
        LOG.info("Ticket {} is closed; the conversation continues on follow-up ticket {}", closedId, ref.id());
        return ref;
    }

    private static CaseRef recordCreated(Session session, String conversation, List<Activity> first, JsonNode answer) {
        JsonNode created = answer.path("ticket");
        long id = created.path("id").asLong();
        long commentId = CommentWriter.commentId(answer);
        Ledger ledger = session.ledger();
        ledger.recordTicket(conversation, id, created.path("requester_id").asLong());
        if (commentId > 0) {
            ledger.recordOwnComment(commentId);
        }
        first.forEach(a -> ledger.recordActivity(conversation, a.externalId(), commentId));
        return session.caseRef(id);
    }

    /** Tickets with this external id (not unique in Zendesk: a follow-up shares its source's). */
    static List<JsonNode> byExternalId(ZendeskClient client, String externalId) {
        JsonNode answer = client.get("tickets", Map.of("external_id", externalId));
        return StreamSupport.stream(answer.path("tickets").spliterator(), false).toList();
    }

    /** {@code helpdesk-connect:<integration>:<conversation>}, hashed when longer than Zendesk keeps. */
    static String externalId(Session session, String conversation) {
        String id = "helpdesk-connect:" + session.integrationId() + ":" + conversation;
        return id.length() <= MAX_EXTERNAL_ID ? id : "helpdesk-connect:" + Ledger.sha256(id);
    }

    private static boolean isFollowUp(JsonNode ticket) {
        return "follow_up".equals(ticket.path("via").path("source").path("rel").asText(""));
    }

    private static String subject(CaseDraft draft) {
        String subject = draft.subject().strip().replaceAll("\\s+", " ");
        if (subject.isEmpty()) {
            subject = "Chat";
        }
        return subject.length() > MAX_SUBJECT ? subject.substring(0, MAX_SUBJECT - 1) + "…" : subject;
    }

    /** A Zendesk id given by the host (owner, group), or the setting's default. */
    static Long id(String given, String what, Long fallback) {
        if (given == null || given.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(given.strip());
        } catch (NumberFormatException e) {
            throw new NotFoundException("The " + what + " id '" + given.strip() + "' is not a Zendesk id (a number)");
        }
    }
}
