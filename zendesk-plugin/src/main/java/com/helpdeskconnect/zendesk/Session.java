package com.helpdeskconnect.zendesk;

import com.helpdeskconnect.api.cases.CaseRef;
import com.helpdeskconnect.api.errors.NotFoundException;
import com.helpdeskconnect.zendesk.fields.FieldCatalog;
import com.helpdeskconnect.zendesk.http.ZendeskClient;
import com.helpdeskconnect.zendesk.state.Ledger;
import java.net.URI;
import java.time.Clock;

/**
 * Everything one integration's connection works with: its settings, the Zendesk client, the
 * durable ledger, and the caches (users, ticket fields). Writers take it as their one argument.
 */
public record Session(String integrationId, ZendeskSettings settings, ZendeskClient client, Ledger ledger,
                      Users users, FieldCatalog fields, Clock clock) {

    /** The reference the host keeps: id and number are the ticket id, the link opens it in the agent UI. */
    public CaseRef caseRef(long ticketId) {
        return new CaseRef(Long.toString(ticketId), Long.toString(ticketId),
                URI.create(client.root() + "/agent/tickets/" + ticketId));
    }

    /** A case id the host gave back: a ticket id. */
    public static long ticketId(CaseRef ref) {
        try {
            long id = Long.parseLong(ref.id().trim());
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // falls through
        }
        throw new NotFoundException("'" + abbreviate(ref.id()) + "' is not a Zendesk ticket id");
    }

    static String abbreviate(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }
}
