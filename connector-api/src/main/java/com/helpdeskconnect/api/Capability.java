package com.helpdeskconnect.api;

/**
 * Optional operations a connector declares in its {@link ConnectorDescriptor}. The host never calls
 * an operation its connector does not declare; it skips the step and shows it on the conversation.
 * The contract-test kit checks both directions.
 */
public enum Capability {
    /** {@link HelpdeskConnection#createCase}: every connector has it. */
    CREATE_CASE,
    /** {@link HelpdeskConnection#appendActivity} and {@link HelpdeskConnection#appendActivities}. */
    APPEND_ACTIVITY,
    /** {@link HelpdeskConnection#resolve}. */
    RESOLVE,
    /** {@link HelpdeskConnection#fillFields} and {@link HelpdeskConnection#describeFields}. */
    FILL_FIELDS,
    /** {@link HelpdeskConnection#authenticateWebhook} and {@link HelpdeskConnection#onWebhook}. */
    WEBHOOKS,
    /**
     * {@link HelpdeskConnection#handOff}, and {@link HelpdeskConnection#appendAndHandOff} (since 2.1.0;
     * with messages it also needs {@link #APPEND_ACTIVITY}).
     *
     * @since 2.0.0
     */
    HANDOFF,
    /**
     * {@link HelpdeskConnection#handOff} assigns the owner and group it is given (and
     * {@link HelpdeskConnection#createCase} the draft's); without it the host says they were not assigned.
     *
     * @since 2.0.0
     */
    ASSIGN
}
