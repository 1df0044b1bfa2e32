package com.helpdeskconnect.zendesk;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.helpdeskconnect.api.Capability;
import com.helpdeskconnect.api.ConnectorDescriptor;
import com.helpdeskconnect.api.HelpdeskConnection;
import com.helpdeskconnect.api.HelpdeskConnector;
import com.helpdeskconnect.api.IntegrationContext;
import com.helpdeskconnect.api.net.OutboundPolicy;
import com.helpdeskconnect.zendesk.cases.UpdateBudget;
import com.helpdeskconnect.zendesk.fields.FieldCatalog;
import com.helpdeskconnect.zendesk.http.ZendeskClient;
import com.helpdeskconnect.zendesk.state.Ledger;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import org.pf4j.Extension;

/** The Zendesk Support connector: the Ticketing REST API with API-token auth, and signed trigger webhooks. */
@Extension
public final class ZendeskConnector implements HelpdeskConnector {
    /** How our requests introduce themselves; Zendesk keeps it on every comment we write. */
    public static final String USER_AGENT_PRODUCT = "helpdesk-connect-zendesk/";

    private static final ConnectorDescriptor DESCRIPTOR = ConnectorDescriptor.of("zendesk", "Zendesk",
            version(), "Zendesk Support tickets over the REST API with an API token, and signed webhooks.",
            ZendeskSettings.class, EnumSet.allOf(Capability.class));

    private final OkHttpClient http;
    private final ObjectMapper json = new ObjectMapper();
    private final Clock clock;
    private final int ticketUpdates;

    public ZendeskConnector() {
        this(Clock.systemUTC(), Duration.ofSeconds(30), UpdateBudget.UPDATES);
    }

    /**
     * @param readTimeout   how long a silent Zendesk is waited for; a whole call gets twice that
     * @param ticketUpdates updates per ticket in 10 minutes (Zendesk's limit; tests use fewer)
     */
    ZendeskConnector(Clock clock, Duration readTimeout, int ticketUpdates) {
        this.clock = clock;
        this.ticketUpdates = ticketUpdates;
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
                .followSslRedirects(false)
                // A silent retry could repeat a comment whose answer was lost: the writers decide.
                .retryOnConnectionFailure(false)
                .build();
    }

    @Override
    public ConnectorDescriptor describe() {
        return DESCRIPTOR;
    }

    @Override
    public HelpdeskConnection open(IntegrationContext context) {
        ZendeskSettings settings = context.settings(ZendeskSettings.class);
        OutboundPolicy outbound = context.outbound();
        String urlProblem = null;
        try {
            outbound.checkUrl(settings.instanceUri());
        } catch (IllegalArgumentException e) {
            urlProblem = e.getMessage();
        }
        OkHttpClient client = http.newBuilder()
                .dns(hostname -> outbound.lookup(hostname))
                .socketFactory(outbound.socketFactory())
                .build();
        ZendeskClient zendesk = new ZendeskClient(client, settings.instanceUri(), settings.email(),
                settings.apiToken().reveal(), USER_AGENT_PRODUCT + version(), json);
        Ledger ledger = new Ledger(context.state(), json);
        Session session = new Session(context.integrationId(), settings, zendesk, ledger,
                new Users(zendesk, ledger, settings.email()), new FieldCatalog(zendesk, clock), clock);
        return new ZendeskConnection(session, urlProblem, new UpdateBudget(clock, ticketUpdates, UpdateBudget.WINDOW), USER_AGENT_PRODUCT);
    }

    @Override
    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    static String version() {
        String v = ZendeskConnector.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0" : v;
    }
}
