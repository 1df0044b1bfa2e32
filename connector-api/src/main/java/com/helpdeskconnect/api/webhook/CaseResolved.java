package com.helpdeskconnect.api.webhook;

import com.helpdeskconnect.api.cases.CaseRef;

/**
 * An agent marked the case resolved (a status flagged as resolved, not yet final).
 *
 * @param solution the case's solution text; may be empty
 */
public record CaseResolved(String eventId, CaseRef caseRef, String solution) implements HelpdeskEvent {}
