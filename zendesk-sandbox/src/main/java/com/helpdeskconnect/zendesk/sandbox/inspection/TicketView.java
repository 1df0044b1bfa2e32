package com.helpdeskconnect.zendesk.sandbox.inspection;

import com.helpdeskconnect.zendesk.sandbox.model.Audit;
import com.helpdeskconnect.zendesk.sandbox.model.Comment;
import com.helpdeskconnect.zendesk.sandbox.model.Ticket;
import java.util.List;

/** A ticket with its comments and audits, oldest first. */
public record TicketView(Ticket ticket, List<Comment> comments, List<Audit> audits) {

    public TicketView {
        comments = List.copyOf(comments);
        audits = List.copyOf(audits);
    }

    public long id() {
        return ticket.id();
    }

    public List<Comment> publicComments() {
        return comments.stream().filter(Comment::isPublic).toList();
    }

    public List<Comment> internalNotes() {
        return comments.stream().filter(c -> !c.isPublic()).toList();
    }
}
