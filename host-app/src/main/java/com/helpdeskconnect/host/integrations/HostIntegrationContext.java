package com.helpdeskconnect.host.integrations;

import com.helpdeskconnect.api.IntegrationContext;
import com.helpdeskconnect.api.net.OutboundPolicy;
import com.helpdeskconnect.api.state.ConnectorState;
import java.net.URI;
import java.util.Objects;
import java.util.function.Supplier;

/** What the host tells a connection about its integration (see {@link IntegrationContext}). */
final class HostIntegrationContext implements IntegrationContext {
    private final String integrationId;
    private final Record settings;
    private final ConnectorState state;
    private final OutboundPolicy outbound;
    private final Supplier<URI> webhookUrl;

    HostIntegrationContext(String integrationId, Record settings, ConnectorState state, OutboundPolicy outbound,
                           Supplier<URI> webhookUrl) {
        this.integrationId = Objects.requireNonNull(integrationId);
        this.settings = Objects.requireNonNull(settings);
        this.state = Objects.requireNonNull(state);
        this.outbound = Objects.requireNonNull(outbound);
        this.webhookUrl = Objects.requireNonNull(webhookUrl);
    }

    @Override
    public String integrationId() {
        return integrationId;
    }

    @Override
    public <S extends Record> S settings(Class<S> type) {
        if (!type.isInstance(settings)) {
            throw new IllegalArgumentException("The settings of integration '" + integrationId + "' are a "
                    + settings.getClass().getName() + ", not a " + type.getName());
        }
        return type.cast(settings);
    }

    @Override
    public ConnectorState state() {
        return state;
    }

    @Override
    public OutboundPolicy outbound() {
        return outbound;
    }

    /** Read when asked: the public URL is known only once the API listens. */
    @Override
    public URI webhookUrl() {
        return webhookUrl.get();
    }

    @Override
    public String toString() {
        return "IntegrationContext[" + integrationId + "]";
    }
}
