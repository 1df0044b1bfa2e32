package com.helpdeskconnect.testkit;

/**
 * Failures a fixture's helpdesk double can produce. A fixture lists those it can produce in
 * {@link ConnectorFixture#injectableFailures()}; checks that need another one are skipped.
 */
public enum InjectedFailure {
    /** HTTP 5xx (or the helpdesk's equivalent outage answer). */
    SERVER_ERROR,
    /** HTTP 429 with a {@code Retry-After}. */
    RATE_LIMITED,
    /** The connection drops without an answer, before the request is carried out. */
    CONNECTION_RESET,
    /**
     * The helpdesk carries out a write and then the connection drops: the change landed, the answer
     * is lost. Armed per operation with {@link ConnectorFixture#loseNextAnswer(WriteOperation)}.
     */
    LOSE_ANSWER
}
