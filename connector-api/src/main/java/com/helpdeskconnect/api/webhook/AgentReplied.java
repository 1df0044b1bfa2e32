package com.helpdeskconnect.api.webhook;

import com.helpdeskconnect.api.cases.CaseRef;
import java.time.Instant;

/**
 * An agent wrote to the customer. The text was read from the helpdesk, not taken from the call.
 *
 * @param author     the agent's display name; may be empty
 * @param text       what the agent wrote, plain text
 * @param occurredAt when the agent wrote it
 */
public record AgentReplied(String eventId, CaseRef caseRef, String author, String text, Instant occurredAt)
        implements HelpdeskEvent {}
