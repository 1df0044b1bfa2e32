package com.helpdeskconnect.zendesk.sandbox.inspection;

import com.helpdeskconnect.zendesk.sandbox.model.Desk;
import com.helpdeskconnect.zendesk.sandbox.model.Ticket;
import com.helpdeskconnect.zendesk.sandbox.model.User;
import com.helpdeskconnect.zendesk.sandbox.webhooks.WebhookAttempt;
import com.helpdeskconnect.zendesk.sandbox.webhooks.Webhooks;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Read-only views of the sandbox's data and traffic for tests and the demo. */
public final class Inspector {
    private final Desk desk;
    private final RequestJournal journal;
    private final Webhooks webhooks;

    public Inspector(Desk desk, RequestJournal journal, Webhooks webhooks) {
        this.desk = desk;
        this.journal = journal;
        this.webhooks = webhooks;
    }

    /** Every ticket in creation order, each with its comments and audits. */
    public List<TicketView> tickets() {
        return desk.tickets().stream().map(this::view).toList();
    }

    public Optional<TicketView> ticket(long id) {
        return desk.ticket(id).map(this::view);
    }

    /** Tickets with this {@code external_id} (there may be several: Zendesk does not keep it unique). */
    public List<TicketView> ticketsByExternalId(String externalId) {
        return desk.ticketsByExternalId(externalId).stream().map(this::view).toList();
    }

    public List<User> users() {
        return desk.users();
    }

    public Optional<User> userByEmail(String email) {
        return desk.userByEmail(email);
    }

    /** {@code requestCount("POST", "/api/v2/tickets")}, {@code requestCount("PUT", "/api/v2/tickets/{id}")}. */
    public int requestCount(String method, String pathTemplate) {
        return journal.count(method, pathTemplate);
    }

    /** Counts keyed {@code "METHOD /path/template"} ({@code .json} dropped, numeric ids as {@code {id}}). */
    public Map<String, Integer> requestCounts() {
        return journal.counts();
    }

    /** All API requests so far (the sandbox's own {@code /_sandbox} calls are not counted). */
    public int totalRequests() {
        return journal.total();
    }

    public List<RecordedRequest> requests() {
        return journal.requests();
    }

    /** Every webhook delivery attempt so far, in order. */
    public List<WebhookAttempt> webhookDeliveries() {
        return webhooks.deliveries();
    }

    private TicketView view(Ticket ticket) {
        return new TicketView(ticket, desk.comments(ticket.id()), desk.audits(ticket.id()));
    }
}
