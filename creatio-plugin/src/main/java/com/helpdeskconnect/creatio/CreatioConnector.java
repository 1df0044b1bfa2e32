package com.helpdeskconnect.creatio;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.helpdeskconnect.api.Capability;
import com.helpdeskconnect.api.ConnectorDescriptor;
import com.helpdeskconnect.api.HelpdeskConnection;
import com.helpdeskconnect.api.HelpdeskConnector;
import com.helpdeskconnect.api.IntegrationContext;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import org.pf4j.Extension;

/**
 * The Creatio (Service Creatio) connector type: OAuth 2.0 client credentials and OData 4. It holds
 * the HTTP connection pool every integration shares; each {@link CreatioConnection} builds its own
 * client on it, with the host's outbound policy.
 */
@Extension
public final class CreatioConnector implements HelpdeskConnector {
    private static final ConnectorDescriptor DESCRIPTOR = ConnectorDescriptor.of("creatio", "Creatio",
            version(), "Service Creatio cases over OAuth 2.0 client credentials and OData 4.",
            CreatioSettings.class, EnumSet.allOf(Capability.class));

    /** The pool and timeouts every connection's client starts from. */
    private final OkHttpClient http;
    private final ObjectMapper json = new ObjectMapper();
    private final Clock clock;

    public CreatioConnector() {
        this(Clock.systemUTC(), Duration.ofSeconds(30));
    }

    CreatioConnector(Clock clock) {
        this(clock, Duration.ofSeconds(30));
    }

    /** @param readTimeout how long a silent Creatio is waited for; a whole call gets twice that */
    CreatioConnector(Clock clock, Duration readTimeout) {
        this.clock = clock;
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(256);
        dispatcher.setMaxRequestsPerHost(64);
        this.http = new OkHttpClient.Builder()
                .connectionPool(new ConnectionPool(32, 5, TimeUnit.MINUTES))
                .dispatcher(dispatcher)
                .connectTimeout(Duration.ofSeconds(10))
                .readTimeout(readTimeout)
                .writeTimeout(readTimeout)
                .callTimeout(readTimeout.multipliedBy(2))
                .followRedirects(false)
                .build();
    }

    @Override
    public ConnectorDescriptor describe() {
        return DESCRIPTOR;
    }

    /** Binds nothing new and calls nothing: the settings come validated, the client is built here. */
    @Override
    public HelpdeskConnection open(IntegrationContext context) {
        return new CreatioConnection(context.integrationId(), context.settings(CreatioSettings.class),
                context.outbound(), http, json, clock);
    }

    @Override
    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    private static String version() {
        String v = CreatioConnector.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0" : v;
    }
}
