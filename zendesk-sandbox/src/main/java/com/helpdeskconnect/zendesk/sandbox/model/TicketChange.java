package com.helpdeskconnect.zendesk.sandbox.model;

/**
 * A ticket write, as trigger conditions see it ("Ticket is Created/Updated", "Current user",
 * "Comment is public/private", "Status changed").
 *
 * @param comment the comment added, or null
 * @param previousStatus the status before, or null when the status did not change
 */
public record TicketChange(Ticket ticket, Audit audit, Actor actor, boolean created, Comment comment,
        Status previousStatus) {

    public boolean statusChanged() {
        return previousStatus != null;
    }
}
