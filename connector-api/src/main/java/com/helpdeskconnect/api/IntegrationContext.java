package com.helpdeskconnect.api;

import com.helpdeskconnect.api.net.OutboundPolicy;
import com.helpdeskconnect.api.state.ConnectorState;
import java.net.URI;

/**
 * What the host gives a connection about its integration. Implemented by the host; the contract-test
 * kit has its own.
 *
 * @since 2.0.0
 */
public interface IntegrationContext {

    /** The host's integration id, stable for the integration's lifetime. */
    String integrationId();

    /**
     * The validated settings as the connector's own record type ({@link ConnectorDescriptor#settingsType()}).
     * The host binds and validates them before {@link HelpdeskConnector#open}, so they are never invalid.
     */
    <S extends Record> S settings(Class<S> type);

    /**
     * The integration's durable key-value state (id mappings, echo ledgers), kept by the host in its
     * database, shared by every host process, and deleted with the integration.
     */
    ConnectorState state();

    /**
     * Where the connection may connect: every HTTP client it builds uses
     * {@link OutboundPolicy#lookup} (or the policy's socket factory), and every URL from settings
     * passes {@link OutboundPolicy#checkUrl} first.
     */
    OutboundPolicy outbound();

    /** The URL the helpdesk must call for this integration (shown to the admin for the helpdesk's setup). */
    URI webhookUrl();
}
