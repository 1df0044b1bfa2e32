package com.helpdeskconnect.api.cases;

import java.time.Instant;
import java.util.Objects;

/**
 * A case to open for a conversation.
 *
 * @param conversationId the platform's conversation id: the idempotency key of createCase
 * @param subject        a one-line subject
 * @param description    what the customer needs (the first message or the AI's summary); may be empty
 * @param customer       who is asking
 * @param origin         the channel, {@code "chat"} unless told otherwise
 * @param ownerId        helpdesk id of the assignee, overriding the integration's default; null for the default
 * @param groupId        helpdesk id of the assignee group, overriding the default; null for the default
 * @param openedAt       when the conversation started (the case's registration time)
 */
public record CaseDraft(
        String conversationId,
        String subject,
        String description,
        Customer customer,
        String origin,
        String ownerId,
        String groupId,
        Instant openedAt) {

    public CaseDraft {
        Objects.requireNonNull(conversationId, "conversationId");
        if (conversationId.isBlank()) {
            throw new IllegalArgumentException("conversationId must not be blank");
        }
        Objects.requireNonNull(subject, "subject");
        description = description == null ? "" : description;
        customer = customer == null ? Customer.anonymous() : customer;
        origin = origin == null ? "chat" : origin;
        openedAt = openedAt == null ? Instant.now() : openedAt;
    }

    /** A chat case with default owner and group. */
    public static CaseDraft of(String conversationId, String subject, String description, Customer customer) {
        return new CaseDraft(conversationId, subject, description, customer, "chat", null, null, null);
    }
}
