package com.helpdeskconnect.zendesk.sandbox.model;

/**
 * One event of a ticket audit: a {@code Comment} (with {@code comment}), a {@code Create} or a
 * {@code Change} of a field ({@code fieldName}, {@code value}, {@code previousValue}).
 */
public record AuditEvent(long id, String type, String fieldName, Object value, Object previousValue,
        Comment comment) {

    public static AuditEvent comment(Comment comment) {
        return new AuditEvent(comment.id(), "Comment", null, null, null, comment);
    }
}
