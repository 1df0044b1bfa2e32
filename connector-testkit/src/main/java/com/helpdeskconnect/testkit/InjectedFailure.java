package com.helpdeskconnect.testkit;

/** Failures a fixture's helpdesk double can produce on its next requests. */
public enum InjectedFailure {
    /** HTTP 5xx (or the helpdesk's equivalent outage answer). */
    SERVER_ERROR,
    /** HTTP 429 with a {@code Retry-After}. */
    RATE_LIMITED,
    /** The connection drops without an answer. */
    CONNECTION_RESET
}
