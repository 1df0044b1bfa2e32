package com.helpdeskconnect.zendesk.sandbox.model;

import java.time.Instant;

/**
 * A ticket comment; immutable, as in Zendesk.
 *
 * @param channel {@code via.channel}: {@code api} for REST writes, {@code web} for the agent UI,
 *     {@code email} for a customer's mail reply
 * @param client {@code metadata.system.client}: the writer's User-Agent
 */
public record Comment(long id, long ticketId, long auditId, long authorId, String body, String htmlBody,
        String plainBody, boolean isPublic, String channel, String client, Instant createdAt) {
}
