package com.helpdeskconnect.host.integrations;

import com.helpdeskconnect.api.Integration;
import com.helpdeskconnect.host.plugins.LoadedConnector;

/**
 * A stored integration ready for use: its connector and its bound settings record.
 *
 * @param createCaseOnlyOnHandoff from the raw setting {@code createCaseOnlyOnHandoff}, if the
 *                                connector declares it; the host, not the connector, acts on it
 */
public record ActiveIntegration(LoadedConnector connector, Integration integration, boolean createCaseOnlyOnHandoff) {

    public String id() {
        return integration.id();
    }
}
