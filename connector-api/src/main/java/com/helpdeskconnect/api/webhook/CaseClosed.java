package com.helpdeskconnect.api.webhook;

import com.helpdeskconnect.api.cases.CaseRef;

/**
 * The case reached a final status (closed, canceled).
 *
 * @param status the status's display name
 */
public record CaseClosed(String eventId, CaseRef caseRef, String status) implements HelpdeskEvent {}
