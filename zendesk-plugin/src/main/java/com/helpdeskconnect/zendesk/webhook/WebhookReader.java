package com.helpdeskconnect.zendesk.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.helpdeskconnect.api.OperationContext;
import com.helpdeskconnect.api.cases.CaseRef;
import com.helpdeskconnect.api.cases.Visibility;
import com.helpdeskconnect.api.errors.PermanentException;
import com.helpdeskconnect.api.webhook.AgentReplied;
import com.helpdeskconnect.api.webhook.CaseClosed;
import com.helpdeskconnect.api.webhook.CaseReopened;
import com.helpdeskconnect.api.webhook.CaseResolved;
import com.helpdeskconnect.api.webhook.HelpdeskEvent;
import com.helpdeskconnect.api.webhook.WebhookRequest;
import com.helpdeskconnect.zendesk.Session;
import com.helpdeskconnect.zendesk.Users;
import com.helpdeskconnect.zendesk.state.Ledger;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a trigger's webhook call into agent-side events. The body carries only
 * {@code {"ticket_id":"{{ticket.id}}"}}; everything else is re-read with our credentials from the
 * ticket's audits ({@code GET /api/v2/tickets/{id}/audits}), which hold each comment (author,
 * public or not) and each status change with stable ids.
 *
 * <ul>
 *   <li>A comment by an agent or admin → {@link AgentReplied}, event id = the comment id; public
 *       → {@link Visibility#PUBLIC}, an internal note → {@link Visibility#INTERNAL}. Comments by end
 *       users (the customer's mail replies, CCs) are not agent replies.</li>
 *   <li>Status → solved: {@link CaseResolved}; → closed: {@link CaseClosed}; solved or closed →
 *       anything else: {@link CaseReopened}. Event id {@code status:<audit event id>}.</li>
 *   <li>Our own writes are never events: a comment in the echo ledger, or any audit written with
 *       our User-Agent or by the integration's user through the API.</li>
 *   <li>Tickets this connection did not open are ignored without a call.</li>
 * </ul>
 *
 * Which audits count: those after the ticket's watermark (the newest audit an earlier call read).
 * A retry of the same call ({@code attempt > 1}, same idempotency key) reads from the watermark its
 * first attempt used, so it yields the same event ids; a retry in another process, which does not
 * know that watermark, also takes every audit of the day before the call arrived (the host drops
 * the events it already has by their ids). A call processed late loses nothing: the audits are
 * read when it is processed.
 */
public final class WebhookReader {
    public static final String INVOCATION_HEADER = "X-Zendesk-Webhook-Invocation-Id";
    static final Duration LOOK_BACK = Duration.ofHours(24);

    private static final Logger LOG = LoggerFactory.getLogger(WebhookReader.class);
    private static final Set<String> TERMINAL = Set.of("solved", "closed");
    private static final int REMEMBERED = 10_000;

    private final Session session;
    private final String userAgentProduct;
    // Zendesk may deliver one invocation twice; a second stored call of it needs no Zendesk reads.
    private final Map<String, String> invocations = lru();
    // The watermark each call's first attempt started from, so its retries read the same audits.
    private final Map<String, Long> startedFrom = lru();

    public WebhookReader(Session session, String userAgentProduct) {
        this.session = session;
        this.userAgentProduct = userAgentProduct;
    }

    public List<HelpdeskEvent> read(OperationContext op, WebhookRequest request) {
        long ticketId = ticketId(request);
        Optional<Ledger.TicketInfo> ours = session.ledger().ticket(ticketId);
        if (ours.isEmpty()) {
            LOG.debug("Webhook for ticket {}, which this integration did not open: ignored", ticketId);
            return List.of();
        }
        String invocation = request.header(INVOCATION_HEADER).orElse(null);
        if (invocation != null) {
            synchronized (invocations) {
                String first = invocations.putIfAbsent(invocation, op.idempotencyKey());
                if (first != null && !first.equals(op.idempotencyKey())) {
                    LOG.debug("Webhook invocation delivered twice: the second delivery is ignored");
                    return List.of();
                }
            }
        }
        CaseRef ref = session.caseRef(ticketId);
        long me = session.users().myId();
        long seen = session.ledger().seenAudit(ticketId);
        Long from;
        synchronized (startedFrom) {
            from = startedFrom.get(op.idempotencyKey());
            if (from == null && op.attempt() == 1) {
                from = seen;
                startedFrom.put(op.idempotencyKey(), from);
            }
        }
        Instant dayBefore = request.receivedAt().minus(LOOK_BACK);
        long newest = seen;
        List<HelpdeskEvent> events = new ArrayList<>();
        for (JsonNode audit : session.client().getAll("tickets/" + ticketId + "/audits", Map.of(), "audits")) {
            long auditId = audit.path("id").asLong();
            newest = Math.max(newest, auditId);
            Instant at = time(audit.path("created_at").asText(""));
            boolean counts = from != null ? auditId > from
                    : auditId > seen || at != null && !at.isBefore(dayBefore);
            if (!counts) {
                continue;
            }
            boolean own = isOwn(audit, me);
            String solution = "";
            for (JsonNode event : audit.path("events")) {
                if ("Comment".equals(event.path("type").asText())) {
                    long commentId = event.path("id").asLong();
                    if (own || session.ledger().isOwnComment(commentId)) {
                        continue;
                    }
                    Optional<Users.User> author = session.users().get(event.path("author_id").asLong());
                    if (author.isEmpty() || !author.get().isStaff()) {
                        continue; // the customer's mail reply, a CC: not an agent's
                    }
                    String text = event.has("plain_body") ? event.path("plain_body").asText("")
                            : event.path("body").asText("");
                    boolean isPublic = event.path("public").asBoolean(true);
                    if (isPublic) {
                        solution = text;
                    }
                    events.add(new AgentReplied(Long.toString(commentId), ref, author.get().name(), text,
                            at == null ? request.receivedAt() : at, isPublic ? Visibility.PUBLIC : Visibility.INTERNAL));
                }
            }
            if (!own) {
                statusEvent(audit, ref, solution, ticketId).ifPresent(events::add);
            }
        }
        if (newest > seen) {
            session.ledger().recordSeenAudit(ticketId, newest);
        }
        return events;
    }

    private Optional<HelpdeskEvent> statusEvent(JsonNode audit, CaseRef ref, String solution, long ticketId) {
        for (JsonNode event : audit.path("events")) {
            if (!"Change".equals(event.path("type").asText()) || !"status".equals(event.path("field_name").asText())) {
                continue;
            }
            String to = event.path("value").asText("");
            String from = event.path("previous_value").asText("");
            String id = "status:" + event.path("id").asText();
            if (to.equals("solved")) {
                return Optional.of(new CaseResolved(id, ref, solution));
            }
            if (to.equals("closed")) {
                return Optional.of(new CaseClosed(id, ref, "closed"));
            }
            if (TERMINAL.contains(from)) {
                session.ledger().clearResolved(ticketId);
                return Optional.of(new CaseReopened(id, ref, to));
            }
        }
        return Optional.empty();
    }

    /** Written by this integration: our User-Agent, or the integration's user through the API. */
    private boolean isOwn(JsonNode audit, long me) {
        String client = audit.path("metadata").path("system").path("client").asText("");
        if (client.startsWith(userAgentProduct)) {
            return true;
        }
        return audit.path("author_id").asLong() == me && "api".equals(audit.path("via").path("channel").asText(""));
    }

    private static <V> Map<String, V> lru() {
        return new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > REMEMBERED;
            }
        };
    }

    private long ticketId(WebhookRequest request) {
        JsonNode body;
        try {
            body = session.client().json().readTree(request.body());
        } catch (IOException e) {
            body = null;
        }
        JsonNode id = body == null ? null : body.get("ticket_id");
        if (id != null && (id.isIntegralNumber() || id.isTextual() && id.asText().strip().matches("[0-9]{1,19}"))) {
            long ticketId = id.isIntegralNumber() ? id.asLong() : Long.parseLong(id.asText().strip());
            if (ticketId > 0) {
                return ticketId;
            }
        }
        throw new PermanentException("The webhook body must be the trigger's JSON {\"ticket_id\":\"{{ticket.id}}\"} "
                + "(see docs/zendesk-setup.md)");
    }

    private static Instant time(String text) {
        try {
            return text.isEmpty() ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
