package com.helpdeskconnect.api.webhook;

import com.helpdeskconnect.api.Experimental;
import com.helpdeskconnect.api.cases.CaseRef;

/**
 * An agent changed an auto-fillable field.
 *
 * @param field the field name, as in {@code describeFields}
 * @param value the new value, as its display text
 */
@Experimental(since = "1.0.0")
public record FieldChanged(String eventId, CaseRef caseRef, String field, String value) implements HelpdeskEvent {}
