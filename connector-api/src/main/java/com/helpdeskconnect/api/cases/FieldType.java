package com.helpdeskconnect.api.cases;

/** The type of an auto-fillable case field, and so which Java values {@link FieldValues} may carry for it. */
public enum FieldType {
    /** {@link String}. */
    TEXT,
    /** {@link Number}. */
    NUMBER,
    /** {@link Boolean}. */
    BOOLEAN,
    /** {@link java.time.LocalDate}, or an ISO-8601 date string. */
    DATE,
    /** {@link java.time.Instant}, or an ISO-8601 date-time string. */
    DATE_TIME,
    /** One of {@link FieldDescriptor#allowedValues()}, by display name. */
    LOOKUP
}
