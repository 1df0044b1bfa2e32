package com.helpdeskconnect.api.webhook;

import com.helpdeskconnect.api.cases.CaseRef;
import com.helpdeskconnect.api.cases.Visibility;
import java.time.Instant;

/**
 * An agent wrote to the customer. The text was read from the helpdesk, not taken from the call.
 *
 * @param author     the agent's display name; may be empty
 * @param text       what the agent wrote, plain text
 * @param occurredAt when the agent wrote it
 * @param visibility {@link Visibility#PUBLIC} for a reply to the customer, {@link Visibility#INTERNAL}
 *                   for an agents-only note (the host does not forward those to the customer); since 2.0.0
 */
public record AgentReplied(String eventId, CaseRef caseRef, String author, String text, Instant occurredAt,
                           Visibility visibility) implements HelpdeskEvent {

    public AgentReplied {
        visibility = visibility == null ? Visibility.PUBLIC : visibility;
    }

    /** A public reply. */
    public AgentReplied(String eventId, CaseRef caseRef, String author, String text, Instant occurredAt) {
        this(eventId, caseRef, author, text, occurredAt, Visibility.PUBLIC);
    }
}
