package com.helpdeskconnect.sandbox;

import com.helpdeskconnect.sandbox.admin.AdminApi;
import com.helpdeskconnect.sandbox.agent.Agent;
import com.helpdeskconnect.sandbox.data.DataFile;
import com.helpdeskconnect.sandbox.data.DataStore;
import com.helpdeskconnect.sandbox.faults.FaultInjector;
import com.helpdeskconnect.sandbox.identity.BearerAuthenticator;
import com.helpdeskconnect.sandbox.identity.ClientRegistry;
import com.helpdeskconnect.sandbox.identity.RegisteredClient;
import com.helpdeskconnect.sandbox.identity.TokenEndpoint;
import com.helpdeskconnect.sandbox.identity.TokenStore;
import com.helpdeskconnect.sandbox.inspection.Inspector;
import com.helpdeskconnect.sandbox.inspection.RecordedRequest;
import com.helpdeskconnect.sandbox.inspection.RequestJournal;
import com.helpdeskconnect.sandbox.model.EdmType;
import com.helpdeskconnect.sandbox.model.SchemaCatalog;
import com.helpdeskconnect.sandbox.odata.ODataEndpoint;
import com.helpdeskconnect.sandbox.odata.ODataException;
import com.helpdeskconnect.sandbox.odata.ODataService;
import com.helpdeskconnect.sandbox.support.Redaction;
import com.helpdeskconnect.sandbox.webhooks.BusinessProcesses;
import com.helpdeskconnect.sandbox.webhooks.Webhooks;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A local Creatio: the identity service and the site on two loopback ports, an in-memory
 * database with the standard lookups, the admin's webhook processes, an agent, inspection and
 * fault injection. Start with {@link #builder()}, stop with {@link #close()}.
 *
 * <pre>{@code
 * try (CreatioSandbox creatio = CreatioSandbox.builder().start()) {
 *     String token = postForm(creatio.tokenUrl(), creatio.clientId(), creatio.clientSecret());
 *     get(creatio.odataUrl() + "/Case?$top=10", token);
 * }
 * }</pre>
 */
public final class CreatioSandbox implements AutoCloseable {
    private static final String HOST = "127.0.0.1";
    /** How long after a change the data file is written; a burst of changes costs one write. */
    private static final Duration DATA_FILE_DELAY = Duration.ofMillis(200);

    private final SchemaCatalog schemas = new SchemaCatalog();
    private final ClientRegistry clients = new ClientRegistry();
    private final RequestJournal journal = new RequestJournal();
    private final Webhooks webhooks = new Webhooks();
    private final Clock clock;
    private final TokenStore tokens;
    private final DataStore store;
    private final Inspector inspector;
    private final Agent agent;
    private final FaultInjector faults;
    private final DataFile dataFile;
    private final RegisteredClient client;
    private final Javalin identityServer;
    private final Javalin siteServer;
    private final String odataRoot;
    private volatile Duration tokenLifetime;

    private CreatioSandbox(Builder builder) {
        this.clock = builder.clock;
        this.client = builder.client;
        this.tokenLifetime = builder.tokenLifetime;
        this.odataRoot = builder.odataRoot;
        builder.customColumns.forEach(c -> schemas.addCustomColumn(c.entity(), c.name(), c.type()));
        clients.register(builder.client);
        builder.extraClients.forEach(clients::register);
        tokens = new TokenStore(clock);
        store = new DataStore(schemas, clock);
        try {
            dataFile = builder.dataFile == null ? null
                    : DataFile.open(builder.dataFile, schemas, store, DATA_FILE_DELAY);
        } catch (RuntimeException e) {
            webhooks.close();
            throw e;
        }
        inspector = new Inspector(store, journal);
        agent = new Agent(store, schemas, clock);
        faults = new FaultInjector(tokens, builder.seed);
        webhooks.configure(builder.webhookUrl, builder.webhookSecret).createdByFilter(builder.createdByFilter);
        store.onChange(new BusinessProcesses(webhooks, this::integrationUserContacts));

        identityServer = newServer();
        identityServer.before(ctx -> record(ctx, ""));
        identityServer.before(faults::before);
        identityServer.after(faults::after);
        identityServer.post("/connect/token", new TokenEndpoint(clients, tokens, () -> tokenLifetime));

        siteServer = newServer();
        siteServer.before(ctx -> {
            if (!isAdmin(ctx)) {
                record(ctx, ctx.path().startsWith(odataRoot + "/") ? "" : " (site)");
                faults.before(ctx);
            }
        });
        siteServer.after(ctx -> {
            if (!isAdmin(ctx)) {
                faults.after(ctx);
            }
        });
        ODataService odata = new ODataService(schemas, store, this::odataUrl);
        ODataEndpoint odataEndpoint = new ODataEndpoint(odata, new BearerAuthenticator(tokens, clients), odataRoot);
        for (HandlerType method : List.of(HandlerType.GET, HandlerType.POST, HandlerType.PATCH, HandlerType.PUT,
                HandlerType.DELETE)) {
            siteServer.addHttpHandler(method, odataRoot + "/<resource>", odataEndpoint);
        }
        siteServer.exception(ODataException.class, ODataEndpoint::writeError);
        SiteLoginPage loginPage = new SiteLoginPage();
        siteServer.get("/", loginPage);
        siteServer.post("/connect/token", loginPage);
        new AdminApi(schemas, inspector, agent, webhooks, faults, this::reset, this::revokeAllTokens)
                .register(siteServer);
    }

    public static Builder builder() {
        return new Builder();
    }

    private CreatioSandbox start(int sitePort, int identityPort) {
        identityServer.start(HOST, identityPort);
        siteServer.start(HOST, sitePort);
        return this;
    }

    /** The site, e.g. {@code http://127.0.0.1:41234}, what users paste as the instance URL. */
    public String baseUrl() {
        return "http://" + HOST + ":" + siteServer.port();
    }

    /** The OData 4 service root, {@code baseUrl() + "/0/odata"} (or {@code "/odata"}, see {@link Builder#odataRoot}). */
    public String odataUrl() {
        return baseUrl() + odataRoot;
    }

    /** The identity service, what Creatio's {@code OAuth20IdentityServerUrl} setting holds. */
    public String identityUrl() {
        return "http://" + HOST + ":" + identityServer.port();
    }

    public String tokenUrl() {
        return identityUrl() + "/connect/token";
    }

    public int port() {
        return siteServer.port();
    }

    public int identityPort() {
        return identityServer.port();
    }

    /** The client registered at start (the integration's OAuth app). */
    public RegisteredClient client() {
        return client;
    }

    public String clientId() {
        return client.clientId();
    }

    public String clientSecret() {
        return client.clientSecret();
    }

    /** Registers another OAuth app, e.g. one without the right to create cases. Replaces same id. */
    public void registerClient(RegisteredClient other) {
        clients.register(other);
    }

    /** Removes an app; its tokens stop working at once. */
    public void removeClient(String clientId) {
        clients.remove(clientId);
    }

    /** Lifetime of tokens issued from now on to clients without their own. */
    public void tokenLifetime(Duration lifetime) {
        this.tokenLifetime = lifetime;
    }

    /** Revokes every access token issued so far; the next call with one gets 401. */
    public void revokeAllTokens() {
        tokens.revokeAll();
    }

    /** Declares a custom column ({@code UsrSentiment}) on an entity; it shows in OData and $metadata. */
    public void addCustomColumn(String entity, String columnName, EdmType type) {
        schemas.addCustomColumn(entity, columnName, type);
    }

    public Inspector inspect() {
        return inspector;
    }

    public Agent agent() {
        return agent;
    }

    public Webhooks webhooks() {
        return webhooks;
    }

    /** Fault injection for this sandbox's two ports. */
    public FaultInjector faults() {
        return faults;
    }

    /** Back to the freshly started state: seed data only, no recorded requests, deliveries or faults. */
    public void reset() {
        store.reset();
        if (dataFile != null) {
            dataFile.changed();
        }
        journal.clear();
        webhooks.clearDeliveries();
        faults.clear();
    }

    @Override
    public void close() {
        siteServer.stop();
        identityServer.stop();
        webhooks.close();
        if (dataFile != null) {
            dataFile.close();
        }
    }

    /** The file the data is kept in, when started with {@link Builder#dataFile(Path)}. */
    public Optional<Path> dataFile() {
        return Optional.ofNullable(dataFile).map(DataFile::path);
    }

    private static boolean isAdmin(Context ctx) {
        return ctx.path().startsWith("/sandbox/");
    }

    private Set<String> integrationUserContacts() {
        return clients.all().stream().map(RegisteredClient::systemUserContactId).collect(Collectors.toSet());
    }

    private void record(Context ctx, String suffix) {
        String path = URLDecoder.decode(ctx.path().replace("+", "%2B"), StandardCharsets.UTF_8);
        Map<String, String> headers = Redaction.headers(ctx);
        String body = ctx.body().replaceAll("client_secret=[^&]*", "client_secret=***");
        String endpoint = ctx.method().name() + " " + RequestJournal.template(path) + suffix;
        journal.record(new RecordedRequest(ctx.method().name(), path, ctx.queryString(), endpoint, headers, body,
                clock.instant()));
    }

    private static Javalin newServer() {
        return Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.http.maxRequestSize = 16L * 1024 * 1024;
        });
    }

    /** A custom column to declare before start. */
    public record CustomColumn(String entity, String name, EdmType type) {
    }

    /** Options of a sandbox; every one has a test-friendly default (random ports, random client). */
    public static final class Builder {
        private int sitePort;
        private int identityPort;
        private RegisteredClient client = RegisteredClient.generate();
        private final List<RegisteredClient> extraClients = new ArrayList<>();
        private Duration tokenLifetime = Duration.ofHours(1);
        private String webhookUrl;
        private String webhookSecret;
        private boolean createdByFilter;
        private long seed;
        private Clock clock = Clock.systemUTC();
        private final List<CustomColumn> customColumns = new ArrayList<>();
        private Path dataFile;
        private String odataRoot = ODataEndpoint.ROOT;

        private Builder() {
        }

        /**
         * Where OData is served: {@code /0/odata} (the default, every cloud site) or {@code /odata}, as
         * on-site installs on .NET Core / .NET 8 serve it; the other root then answers 404.
         */
        public Builder odataRoot(String root) {
            if (!root.equals(ODataEndpoint.ROOT) && !root.equals(ODataEndpoint.NET_CORE_ROOT)) {
                throw new IllegalArgumentException("The OData root is " + ODataEndpoint.ROOT + " or "
                        + ODataEndpoint.NET_CORE_ROOT + ", not " + root);
            }
            this.odataRoot = root;
            return this;
        }

        /**
         * Keeps the data in this JSON file: loaded at start when it exists, written shortly after
         * each change and at {@link #close()}. Without it (the default) data lives in memory only.
         */
        public Builder dataFile(Path file) {
            this.dataFile = file;
            return this;
        }

        /** Site port; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.sitePort = port;
            return this;
        }

        /** Identity service port; 0 (the default) picks a free one. */
        public Builder identityPort(int port) {
            this.identityPort = port;
            return this;
        }

        /** The integration's OAuth app; random Creatio-shaped credentials when not set. */
        public Builder client(String clientId, String clientSecret) {
            this.client = RegisteredClient.of(clientId, clientSecret);
            return this;
        }

        public Builder client(RegisteredClient registeredClient) {
            this.client = registeredClient;
            return this;
        }

        /** Another OAuth app, e.g. {@code RegisteredClient.of(id, secret).deny("Case", Operation.CREATE)}. */
        public Builder addClient(RegisteredClient other) {
            extraClients.add(other);
            return this;
        }

        /** Default 3600 s, as Creatio's. */
        public Builder tokenLifetime(Duration lifetime) {
            this.tokenLifetime = lifetime;
            return this;
        }

        public Builder webhook(String url, String secret) {
            this.webhookUrl = url;
            this.webhookSecret = secret;
            return this;
        }

        /** See {@link Webhooks#createdByFilter(boolean)}. */
        public Builder createdByFilter(boolean enabled) {
            this.createdByFilter = enabled;
            return this;
        }

        /** Seed of every random choice of the fault injector. */
        public Builder seed(long randomSeed) {
            this.seed = randomSeed;
            return this;
        }

        public Builder clock(Clock sandboxClock) {
            this.clock = sandboxClock;
            return this;
        }

        public Builder customColumn(String entity, String name, EdmType type) {
            customColumns.add(new CustomColumn(entity, name, type));
            return this;
        }

        /** Starts both servers; returns once they listen. */
        public CreatioSandbox start() {
            CreatioSandbox sandbox = new CreatioSandbox(this);
            try {
                return sandbox.start(sitePort, identityPort);
            } catch (RuntimeException e) {
                sandbox.close();
                throw e;
            }
        }

    }
}
