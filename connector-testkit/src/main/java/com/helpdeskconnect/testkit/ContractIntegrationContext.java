package com.helpdeskconnect.testkit;

import com.helpdeskconnect.api.IntegrationContext;
import com.helpdeskconnect.api.net.OutboundPolicy;
import com.helpdeskconnect.api.state.ConnectorState;
import java.net.URI;
import java.util.Objects;

/**
 * The {@link IntegrationContext} the suite opens connections with; plugins may use it in their own
 * tests too.
 *
 * @param integrationId the integration's id
 * @param settings      settings already bound and validated into the connector's record
 * @param state         the integration's state (the suite shares one between a connection and its
 *                      reopened successor, as the host's database would)
 * @param outbound      where the connection may connect
 * @param webhookUrl    the integration's webhook URL
 */
public record ContractIntegrationContext(String integrationId, Record settings, ConnectorState state,
                                         OutboundPolicy outbound, URI webhookUrl) implements IntegrationContext {

    public ContractIntegrationContext {
        Objects.requireNonNull(integrationId, "integrationId");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(outbound, "outbound");
        Objects.requireNonNull(webhookUrl, "webhookUrl");
    }

    @Override
    public <S extends Record> S settings(Class<S> type) {
        if (!type.isInstance(settings)) {
            throw new IllegalArgumentException("The settings are a " + settings.getClass().getName() + ", not a " + type.getName());
        }
        return type.cast(settings);
    }

    /** The same integration with another outbound policy. */
    public ContractIntegrationContext withOutbound(OutboundPolicy policy) {
        return new ContractIntegrationContext(integrationId, settings, state, policy, webhookUrl);
    }

    /** Settings values are left out: they hold secrets. */
    @Override
    public String toString() {
        return "ContractIntegrationContext[" + integrationId + "]";
    }
}
