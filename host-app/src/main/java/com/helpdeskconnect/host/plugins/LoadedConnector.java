package com.helpdeskconnect.host.plugins;

import com.helpdeskconnect.api.ConnectorDescriptor;
import com.helpdeskconnect.api.HelpdeskConnector;
import java.util.Objects;
import java.util.function.Function;

/**
 * One connector instance from a started plugin. The host reaches plugin code only through
 * {@link #call} and {@link #inPlugin}, which run it with the plugin's class loader as the thread
 * context loader (libraries inside the plugin look up services and resources through it): the
 * connector itself, and the connections it opened.
 */
public final class LoadedConnector {
    private final String pluginId;
    private final ClassLoader classLoader;
    private final HelpdeskConnector connector;
    private final ConnectorDescriptor descriptor;

    LoadedConnector(String pluginId, ClassLoader classLoader, HelpdeskConnector connector, ConnectorDescriptor descriptor) {
        this.pluginId = Objects.requireNonNull(pluginId);
        this.classLoader = Objects.requireNonNull(classLoader);
        this.connector = Objects.requireNonNull(connector);
        this.descriptor = Objects.requireNonNull(descriptor);
    }

    public String id() {
        return descriptor.id();
    }

    public String pluginId() {
        return pluginId;
    }

    /** Read once when the plugin started; {@code describe()} is constant by contract. */
    public ConnectorDescriptor descriptor() {
        return descriptor;
    }

    /** Runs {@code operation} against the connector with the plugin's context class loader. */
    public <T> T call(Function<HelpdeskConnector, T> operation) {
        return withContextLoader(classLoader, () -> operation.apply(connector));
    }

    /** Runs plugin code that is not the connector itself (a connection it opened) with the plugin's context class loader. */
    public <T> T inPlugin(java.util.function.Supplier<T> body) {
        return withContextLoader(classLoader, body);
    }

    /** Same as {@link #call} for operations without a result. */
    public void run(java.util.function.Consumer<HelpdeskConnector> operation) {
        call(c -> {
            operation.accept(c);
            return null;
        });
    }

    static <T> T withContextLoader(ClassLoader loader, java.util.function.Supplier<T> body) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return body.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
