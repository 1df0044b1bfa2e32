package com.helpdeskconnect.api;

import org.pf4j.ExtensionPoint;

/**
 * A helpdesk connector type: the one type a helpdesk plugin implements (as a PF4J {@code @Extension}).
 * It describes itself and opens one {@link HelpdeskConnection} per configured integration, as
 * Trino's {@code ConnectorFactory} creates a {@code Connector} per catalog.
 *
 * <h2>Lifecycle</h2>
 * <ol>
 *   <li>The host creates one instance when the plugin starts and keeps it until the plugin stops.</li>
 *   <li>{@link #describe()} may be called at any time and must be cheap and constant.</li>
 *   <li>{@link #open} runs when an integration is saved (to verify it) and when the host first needs
 *       it; the host keeps the connection until the integration changes, is deleted or the host stops,
 *       then closes it. Several connections of one connector live at the same time.</li>
 *   <li>{@link #close()} runs once, when the plugin stops, after every connection was closed.</li>
 * </ol>
 *
 * @since 2.0.0
 */
public interface HelpdeskConnector extends ExtensionPoint {

    /** Who this connector is, which settings it takes and what it can do. Cheap, constant. */
    ConnectorDescriptor describe();

    /**
     * Opens a connection for one integration. Must not call the helpdesk (that is
     * {@link HelpdeskConnection#verify()}): it binds the settings, builds clients and returns.
     *
     * @param context the integration's id, validated settings, durable state and outbound policy
     */
    HelpdeskConnection open(IntegrationContext context);

    /** Releases what the connector type holds; called once when the plugin stops. */
    default void close() {}
}
