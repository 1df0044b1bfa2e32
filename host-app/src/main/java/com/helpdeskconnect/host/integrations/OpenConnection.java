package com.helpdeskconnect.host.integrations;

import com.helpdeskconnect.api.HelpdeskConnection;
import com.helpdeskconnect.host.plugins.LoadedConnector;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One integration's open {@link HelpdeskConnection}, shared by everyone working for it. Counted: the
 * service's cache holds one reference and every {@link ActiveIntegration} lent out another; the
 * connection is closed when the last one is given back, so an integration saved again (or deleted)
 * never has its connection closed under a call still running on it.
 */
final class OpenConnection {
    private static final Logger log = LoggerFactory.getLogger(OpenConnection.class);

    final String integrationId;
    final LoadedConnector connector;
    final HelpdeskConnection connection;
    final IntegrationOptions options;
    private final AtomicInteger users = new AtomicInteger(1);

    OpenConnection(String integrationId, LoadedConnector connector, HelpdeskConnection connection, IntegrationOptions options) {
        this.integrationId = integrationId;
        this.connector = connector;
        this.connection = connection;
        this.options = options;
    }

    /** Takes a reference; false once the connection is closed (or closing). */
    boolean tryAcquire() {
        while (true) {
            int n = users.get();
            if (n == 0) {
                return false;
            }
            if (users.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Gives a reference back; the last one closes the connection. */
    void release() {
        if (users.decrementAndGet() == 0) {
            closeQuietly(connector, connection, integrationId);
        }
    }

    static void closeQuietly(LoadedConnector connector, HelpdeskConnection connection, String integrationId) {
        try {
            connector.inPlugin(() -> {
                connection.close();
                return null;
            });
        } catch (RuntimeException e) {
            log.warn("Connector '{}' failed to close the connection of integration '{}': {}", connector.id(), integrationId,
                    e.getClass().getSimpleName());
        }
    }
}
