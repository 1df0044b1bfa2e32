package com.helpdeskconnect.zendesk.sandbox.model;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** One ticket write: who, through which channel and client, and its events in order. */
public record Audit(long id, long ticketId, long authorId, String channel, String client, Instant createdAt,
        List<AuditEvent> events) {

    public Audit {
        events = List.copyOf(events);
    }

    /** The comment this write added, if any. */
    public Optional<Comment> comment() {
        return events.stream().filter(e -> e.comment() != null).map(AuditEvent::comment).findFirst();
    }
}
