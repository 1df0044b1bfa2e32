package com.helpdeskconnect.testkit;

/**
 * The connection's write operations, as named to {@link ConnectorFixture#loseNextAnswer(WriteOperation)}
 * so the fixture can pick the request that makes the operation's change.
 */
public enum WriteOperation {
    /** {@code createCase}: the request that creates the case (the ticket, not a contact lookup). */
    CREATE_CASE,
    /**
     * {@code appendActivity} / {@code appendActivities}, and the messages of {@code appendAndHandOff}:
     * the request that adds the (first) message (for a connector that sends messages and summary in one
     * request, that request).
     */
    APPEND_ACTIVITY,
    /**
     * {@code handOff} and {@code appendAndHandOff}: the request that writes the summary (or, if the
     * connector writes it first, the assignment).
     */
    HAND_OFF,
    /** {@code resolve}: the request that sets the resolved status. */
    RESOLVE,
    /** {@code fillFields}: the request that writes the field values. */
    FILL_FIELDS
}
