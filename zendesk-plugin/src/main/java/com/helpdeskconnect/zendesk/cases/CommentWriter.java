package com.helpdeskconnect.zendesk.cases;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.helpdeskconnect.api.OperationContext;
import com.helpdeskconnect.api.cases.Activity;
import com.helpdeskconnect.api.cases.CaseRef;
import com.helpdeskconnect.api.cases.Direction;
import com.helpdeskconnect.zendesk.Session;
import com.helpdeskconnect.zendesk.http.ZendeskApiException;
import com.helpdeskconnect.zendesk.state.Ledger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends chat messages to a ticket: the messages due together as one internal note in one update
 * ({@link CommentBody}), each message once (the ledger, and on a retry the update's marker among the
 * ticket's newest comments), within the per-ticket update budget. A customer message on a pending,
 * on-hold or solved ticket reopens it; on a closed ticket, which Zendesk no longer changes, the
 * messages open a follow-up ticket and the conversation moves there.
 */
public final class CommentWriter {
    private static final Logger LOG = LoggerFactory.getLogger(CommentWriter.class);
    private static final Set<String> WAITING = Set.of("pending", "hold", "solved");

    private CommentWriter() {}

    public static CaseRef append(Session session, UpdateBudget budget, OperationContext op, CaseRef caseRef,
                                 List<Activity> activities) {
        String conversation = op.conversationId();
        Ledger ledger = session.ledger();
        long ticketId = current(ledger, Session.ticketId(caseRef));
        List<Activity> pending = new ArrayList<>();
        for (Activity a : activities) {
            if (!ledger.activityWritten(conversation, a.externalId())) {
                pending.add(a);
            }
        }
        if (pending.isEmpty()) {
            if (ledger.reopenOwed(ticketId)) {
                reopen(session, budget, ticketId);
            }
            return session.caseRef(ticketId);
        }
        if (op.attempt() > 1) {
            pending = withoutLanded(session, conversation, ticketId, pending);
            if (pending.isEmpty()) {
                return session.caseRef(ticketId);
            }
        }
        CaseRef ref = session.caseRef(ticketId);
        for (List<Activity> run : CommentBody.runs(pending, session.settings().publicChatMessages())) {
            ref = write(session, budget, op, Session.ticketId(ref), run);
        }
        return ref;
    }

    /** Writes one run of messages (they share a visibility) as one comment. */
    static CaseRef write(Session session, UpdateBudget budget, OperationContext op, long ticketId,
                         List<Activity> batch) {
        String conversation = op.conversationId();
        Ledger ledger = session.ledger();
        long requesterId = ledger.ticket(ticketId).map(Ledger.TicketInfo::requesterId).orElse(0L);
        ObjectNode envelope = session.client().json().createObjectNode();
        CommentBody.comment(envelope.putObject("ticket").putObject("comment"), batch, requesterId,
                CommentBody.isPublic(batch.get(0), session.settings().publicChatMessages()));
        budget.take(ticketId);
        JsonNode answer;
        try {
            answer = session.client().put("tickets/" + ticketId, envelope, Markers.activities(conversation, batch));
        } catch (ZendeskApiException e) {
            if (!e.isClosedTicket()) {
                throw e;
            }
            OptionalLong followUp = ledger.followUp(ticketId);
            if (followUp.isPresent()) {
                return write(session, budget, op, followUp.getAsLong(), batch);
            }
            return TicketWriter.followUp(session, op, ticketId, batch);
        }
        long commentId = commentId(answer);
        if (commentId > 0) {
            ledger.recordOwnComment(commentId);
        }
        batch.forEach(a -> ledger.recordActivity(conversation, a.externalId(), commentId));
        String status = answer.path("ticket").path("status").asText("");
        ledger.resolvedStatus(ticketId).filter(s -> !s.equals(status)).ifPresent(s -> ledger.clearResolved(ticketId));
        if (WAITING.contains(status) && batch.stream().anyMatch(a -> a.direction() == Direction.CUSTOMER)) {
            ledger.owesReopen(ticketId, true);
            reopen(session, budget, ticketId);
        }
        return session.caseRef(ticketId);
    }

    /** The ticket the conversation is on now: the given one, or the follow-up that replaced it. */
    private static long current(Ledger ledger, long ticketId) {
        long current = ticketId;
        for (int hops = 0; hops < 10; hops++) {
            OptionalLong next = ledger.followUp(current);
            if (next.isEmpty()) {
                break;
            }
            current = next.getAsLong();
        }
        return current;
    }

    /** A customer wrote: the ticket goes back to agents (as Zendesk does when a requester replies). */
    private static void reopen(Session session, UpdateBudget budget, long ticketId) {
        ObjectNode envelope = session.client().json().createObjectNode();
        envelope.putObject("ticket").put("status", "open");
        budget.take(ticketId);
        try {
            session.client().put("tickets/" + ticketId, envelope, null);
        } catch (ZendeskApiException e) {
            if (!e.isClosedTicket()) {
                throw e;
            }
        }
        session.ledger().owesReopen(ticketId, false);
        session.ledger().clearResolved(ticketId);
        LOG.debug("Reopened ticket {} for a customer message", ticketId);
    }

    /** Drops the leading messages an earlier try wrote (its answer lost), recording them. */
    private static List<Activity> withoutLanded(Session session, String conversation, long ticketId,
                                                List<Activity> pending) {
        Map<String, Long> markers = Markers.recent(session.client(), ticketId);
        List<Activity> rest = new ArrayList<>(pending);
        boolean found = true;
        while (found && !rest.isEmpty()) {
            found = false;
            for (int n = rest.size(); n >= 1; n--) {
                List<Activity> head = rest.subList(0, n);
                Long landed = markers.get(Markers.activities(conversation, head));
                if (landed != null) {
                    LOG.info("An earlier try already wrote {} message(s) to ticket {}", n, ticketId);
                    session.ledger().recordOwnComment(landed);
                    head.forEach(a -> session.ledger().recordActivity(conversation, a.externalId(), landed));
                    rest = new ArrayList<>(rest.subList(n, rest.size()));
                    found = true;
                    break;
                }
            }
        }
        return rest;
    }

    /** The id of the comment an update or create added: its audit's {@code Comment} event. */
    static long commentId(JsonNode answer) {
        for (JsonNode event : answer.path("audit").path("events")) {
            if ("Comment".equals(event.path("type").asText())) {
                return event.path("id").asLong();
            }
        }
        return 0;
    }
}
