package com.helpdeskconnect.host.integrations;

import com.helpdeskconnect.api.Capability;
import com.helpdeskconnect.api.ConnectorDescriptor;
import com.helpdeskconnect.api.HelpdeskConnection;
import com.helpdeskconnect.host.plugins.LoadedConnector;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * An integration's open connection lent to one user by {@link IntegrationService#acquire}: give it back
 * with {@link #close()} (try-with-resources). Every call into the connection runs with the plugin's
 * context class loader.
 */
public final class ActiveIntegration implements AutoCloseable {
    private final OpenConnection shared;
    private final AtomicBoolean returned = new AtomicBoolean();

    ActiveIntegration(OpenConnection shared) {
        this.shared = shared;
    }

    public String id() {
        return shared.integrationId;
    }

    public LoadedConnector connector() {
        return shared.connector;
    }

    public ConnectorDescriptor descriptor() {
        return shared.connector.descriptor();
    }

    /** Whether the connector declared {@code capability}: the host calls nothing it did not declare. */
    public boolean supports(Capability capability) {
        return descriptor().supports(capability);
    }

    /** The host-owned options, as when the connection was opened. */
    public IntegrationOptions options() {
        return shared.options;
    }

    /** Calls the connection with the plugin's context class loader. */
    public <T> T call(Function<HelpdeskConnection, T> operation) {
        return shared.connector.inPlugin(() -> operation.apply(shared.connection));
    }

    /** Same as {@link #call} for operations without a result. */
    public void run(Consumer<HelpdeskConnection> operation) {
        call(c -> {
            operation.accept(c);
            return null;
        });
    }

    @Override
    public void close() {
        if (returned.compareAndSet(false, true)) {
            shared.release();
        }
    }
}
