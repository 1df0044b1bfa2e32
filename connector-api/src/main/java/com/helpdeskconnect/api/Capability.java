package com.helpdeskconnect.api;

/**
 * Optional behaviours a connector declares in its {@link ConnectorDescriptor}.
 *
 * <p>A connector that does not declare a capability must answer the matching operation with
 * {@link UnsupportedOperationException} (the default methods of {@link HelpdeskConnector} do);
 * the host then skips that step, and the contract-test kit checks both directions.
 */
public enum Capability {
    /** {@link HelpdeskConnector#createCase}: every connector has it. */
    CREATE_CASE,
    /** {@link HelpdeskConnector#appendActivity}. */
    APPEND_ACTIVITY,
    /** {@link HelpdeskConnector#resolve}. */
    RESOLVE,
    /** {@link HelpdeskConnector#fillFields} and {@link HelpdeskConnector#describeFields}. */
    FILL_FIELDS,
    /** {@link HelpdeskConnector#onWebhook}: the helpdesk can call us back. */
    WEBHOOKS
}
