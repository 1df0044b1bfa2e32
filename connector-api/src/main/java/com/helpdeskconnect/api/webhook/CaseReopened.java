package com.helpdeskconnect.api.webhook;

import com.helpdeskconnect.api.cases.CaseRef;

/**
 * A resolved or closed case became open again.
 *
 * @param status the new status's display name
 */
public record CaseReopened(String eventId, CaseRef caseRef, String status) implements HelpdeskEvent {}
