package com.helpdeskconnect.zendesk.sandbox;

import com.helpdeskconnect.sandbox.support.Redaction;
import com.helpdeskconnect.zendesk.sandbox.admin.SandboxApi;
import com.helpdeskconnect.zendesk.sandbox.agent.Agent;
import com.helpdeskconnect.zendesk.sandbox.api.ZendeskApi;
import com.helpdeskconnect.zendesk.sandbox.api.ZendeskJson;
import com.helpdeskconnect.zendesk.sandbox.auth.ApiToken;
import com.helpdeskconnect.zendesk.sandbox.auth.Credentials;
import com.helpdeskconnect.zendesk.sandbox.auth.OAuthClient;
import com.helpdeskconnect.zendesk.sandbox.faults.FaultInjector;
import com.helpdeskconnect.zendesk.sandbox.idempotency.IdempotencyKeys;
import com.helpdeskconnect.zendesk.sandbox.inspection.Inspector;
import com.helpdeskconnect.zendesk.sandbox.inspection.RecordedRequest;
import com.helpdeskconnect.zendesk.sandbox.inspection.RequestJournal;
import com.helpdeskconnect.zendesk.sandbox.limits.RateLimits;
import com.helpdeskconnect.zendesk.sandbox.model.Desk;
import com.helpdeskconnect.zendesk.sandbox.model.Group;
import com.helpdeskconnect.zendesk.sandbox.model.Role;
import com.helpdeskconnect.zendesk.sandbox.model.SeedData;
import com.helpdeskconnect.zendesk.sandbox.model.TicketField;
import com.helpdeskconnect.zendesk.sandbox.model.User;
import com.helpdeskconnect.zendesk.sandbox.webhooks.Webhooks;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local Zendesk Support account on a loopback port: the REST API under {@code /api/v2} with
 * API-token (and OAuth client-credentials) auth, seeded users, groups and ticket fields, tickets
 * with comments and audits, idempotent creation, rate limits, a trigger-driven signed webhook,
 * agents, inspection and fault injection. Start with {@link #builder()}, stop with {@link #close()}.
 *
 * <pre>{@code
 * try (ZendeskSandbox zendesk = ZendeskSandbox.builder().webhook(url, secret).start()) {
 *     post(zendesk.apiUrl() + "/tickets", zendesk.basicAuthorization(), "{\"ticket\":{…}}");
 *     zendesk.agent().reply(ticketId, "Hello from Alice");
 * }
 * }</pre>
 */
public final class ZendeskSandbox implements AutoCloseable {
    private static final String HOST = "127.0.0.1";
    /** The sandbox's own HTTP API (agent, inspection, faults); not Zendesk, not authenticated. */
    public static final String SANDBOX_ROOT = "/_sandbox";

    private final SandboxClock clock;
    private final String email;
    private final String apiToken;
    private final String restrictedEmail;
    private final String restrictedToken;
    private final String oauthClientId;
    private final String oauthClientSecret;
    private final List<TicketField> extraFields = new CopyOnWriteArrayList<>();
    private final Desk desk;
    private final Credentials credentials;
    private final IdempotencyKeys idempotency;
    private final RateLimits limits;
    private final RequestJournal journal = new RequestJournal();
    private final Webhooks webhooks = new Webhooks();
    private final Inspector inspector;
    private final Agent agent;
    private final FaultInjector faults;
    private final Javalin server;
    private volatile String signingSecret;

    private ZendeskSandbox(Builder builder) {
        this.clock = new SandboxClock(builder.clock);
        this.email = builder.email;
        this.apiToken = builder.apiToken;
        this.restrictedEmail = builder.restrictedEmail;
        this.restrictedToken = builder.restrictedToken;
        this.oauthClientId = builder.oauthClientId;
        this.oauthClientSecret = builder.oauthClientSecret;
        this.signingSecret = builder.signingSecret;
        this.extraFields.addAll(builder.extraFields);
        desk = new Desk(clock, this::seed);
        credentials = new Credentials(desk);
        credentials.addApiToken(new ApiToken(apiToken, SeedData.USER_INTEGRATION));
        credentials.addApiToken(new ApiToken(restrictedToken, SeedData.USER_RESTRICTED));
        credentials.addOAuthClient(new OAuthClient(oauthClientId, oauthClientSecret, SeedData.USER_INTEGRATION));
        idempotency = new IdempotencyKeys(clock);
        idempotency.lifetime(builder.idempotencyLifetime);
        limits = new RateLimits(clock)
                .accountPerMinute(builder.accountPerMinute)
                .updateTicketPerMinute(builder.updateTicketPerMinute)
                .ticketUpdates(builder.ticketUpdates, builder.ticketWindow);
        webhooks.configure(builder.webhookUrl, signingSecret).retryDelay(builder.webhookRetryDelay)
                .active(builder.webhookActive);
        desk.onChange(webhooks);
        inspector = new Inspector(desk, journal, webhooks);
        agent = new Agent(desk);
        faults = new FaultInjector(builder.seed);

        server = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.http.maxRequestSize = 16L * 1024 * 1024;
        });
        server.before(ctx -> {
            if (!isSandboxPath(ctx)) {
                record(ctx);
                faults.before(ctx);
            }
        });
        server.after(ctx -> {
            if (!isSandboxPath(ctx)) {
                faults.after(ctx);
            }
        });
        new SandboxApi(this).register(server);
        new ZendeskApi(desk, credentials, idempotency, limits, new ZendeskJson(this::baseUrl))
                .register(server);
    }

    public static Builder builder() {
        return new Builder();
    }

    private ZendeskSandbox start(int port) {
        server.start(HOST, port);
        return this;
    }

    // ---- where and who -------------------------------------------------------------------------

    /** The account root, e.g. {@code http://127.0.0.1:41234}: what the plugin takes as its instance URL. */
    public String baseUrl() {
        return "http://" + HOST + ":" + server.port();
    }

    /** {@code baseUrl() + "/api/v2"}. */
    public String apiUrl() {
        return baseUrl() + ZendeskApi.ROOT;
    }

    /** {@code baseUrl() + "/_sandbox"}: the agent, inspection and fault API. */
    public String sandboxUrl() {
        return baseUrl() + SANDBOX_ROOT;
    }

    public int port() {
        return server.port();
    }

    /** The integration admin's email, the user of the API token. */
    public String email() {
        return email;
    }

    public String apiToken() {
        return apiToken;
    }

    /** {@code Basic base64("{email}/token:{token}")} for the integration admin. */
    public String basicAuthorization() {
        return basicAuthorization(email, apiToken);
    }

    public static String basicAuthorization(String userEmail, String token) {
        return "Basic " + Base64.getEncoder().encodeToString((userEmail + "/token:" + token)
                .getBytes(StandardCharsets.UTF_8));
    }

    /** The integration admin's user id ({@link SeedData#USER_INTEGRATION}). */
    public long integrationUserId() {
        return SeedData.USER_INTEGRATION;
    }

    /** An end user with a valid API token: authenticates, but agent endpoints answer 403. */
    public String restrictedEmail() {
        return restrictedEmail;
    }

    public String restrictedApiToken() {
        return restrictedToken;
    }

    public String oauthClientId() {
        return oauthClientId;
    }

    public String oauthClientSecret() {
        return oauthClientSecret;
    }

    /** {@code baseUrl() + "/oauth/tokens"}. */
    public String tokenUrl() {
        return baseUrl() + "/oauth/tokens";
    }

    /** The webhook's signing secret (as Admin Center shows it). */
    public String signingSecret() {
        return signingSecret;
    }

    // ---- control -------------------------------------------------------------------------------

    /** Where the webhook posts, and its signing secret (null url: no webhook wired). */
    public void webhook(String url, String secret) {
        this.signingSecret = secret;
        webhooks.configure(url, secret);
    }

    /** Revokes an API token; its next use answers 401. */
    public void revokeApiToken(String token) {
        credentials.revokeApiToken(token);
    }

    public void revokeOAuthTokens() {
        credentials.revokeAllAccessTokens();
    }

    /** Adds a custom ticket field (kept across {@link #reset()}). */
    public void addTicketField(TicketField field) {
        extraFields.add(field);
        desk.putField(field);
    }

    /** Moves the sandbox clock (idempotency keys, rate-limit windows, timestamps of records). */
    public void advanceClock(Duration duration) {
        clock.advance(duration);
    }

    public Clock clock() {
        return clock;
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

    public FaultInjector faults() {
        return faults;
    }

    public RateLimits limits() {
        return limits;
    }

    public IdempotencyKeys idempotencyKeys() {
        return idempotency;
    }

    /** The account's data, for tests that need more than the inspector. */
    public Desk desk() {
        return desk;
    }

    /**
     * Back to the freshly started state: seed data only; no tickets, recorded requests, deliveries,
     * faults, idempotency keys or rate-limit counts; trigger settings as at start. Keeps url, secrets
     * and limits.
     */
    public void reset() {
        desk.reset();
        journal.clear();
        webhooks.clearDeliveries();
        webhooks.resetTrigger();
        faults.clear();
        idempotency.clear();
        limits.clear();
    }

    @Override
    public void close() {
        server.stop();
        webhooks.close();
    }

    // ---- internals -----------------------------------------------------------------------------

    private void seed(Desk target) {
        Instant created = Instant.parse("2024-01-01T00:00:00Z");
        target.putGroup(new Group(SeedData.GROUP_SUPPORT, "Support", "First-line support", true, created));
        target.putGroup(new Group(SeedData.GROUP_BILLING, "Billing", "Invoices and refunds", false, created));
        List<Long> allGroups = List.of(SeedData.GROUP_SUPPORT, SeedData.GROUP_BILLING);
        target.putUser(new User(SeedData.USER_INTEGRATION, "Helpdesk Connect", email, Role.ADMIN, allGroups,
                SeedData.GROUP_SUPPORT, null, created));
        target.putUser(new User(SeedData.USER_ALICE, "Alice Agent", SeedData.ALICE_EMAIL, Role.AGENT,
                List.of(SeedData.GROUP_SUPPORT), SeedData.GROUP_SUPPORT, null, created));
        target.putUser(new User(SeedData.USER_BOB, "Bob Agent", SeedData.BOB_EMAIL, Role.AGENT, allGroups,
                SeedData.GROUP_BILLING, null, created));
        target.putUser(new User(SeedData.USER_CUSTOMER, "Carla Customer", SeedData.CUSTOMER_EMAIL, Role.END_USER,
                List.of(), null, null, created));
        target.putUser(new User(SeedData.USER_RESTRICTED, "Rita Restricted", restrictedEmail, Role.END_USER,
                List.of(), null, null, created));
        SeedData.ticketFields().forEach(target::putField);
        extraFields.forEach(target::putField);
    }

    private static boolean isSandboxPath(Context ctx) {
        return ctx.path().startsWith(SANDBOX_ROOT + "/") || ctx.path().equals(SANDBOX_ROOT);
    }

    private void record(Context ctx) {
        Map<String, String> headers = Redaction.headers(ctx);
        String body = ctx.body().replaceAll("client_secret=[^&]*", "client_secret=***")
                .replaceAll("\"client_secret\"\\s*:\\s*\"[^\"]*\"", "\"client_secret\":\"***\"");
        String endpoint = ctx.method().name() + " " + RequestJournal.template(ctx.path());
        journal.record(new RecordedRequest(ctx.method().name(), ctx.path(), ctx.queryString(), endpoint, headers,
                body, clock.instant()));
    }

    /** Options of a sandbox; every one has a test-friendly default (random port, random secrets). */
    public static final class Builder {
        private int port;
        private String email = "integration@sandbox.example";
        private String apiToken = Credentials.generateToken();
        private String restrictedEmail = "restricted@sandbox.example";
        private String restrictedToken = Credentials.generateToken();
        private String oauthClientId = "helpdesk_connect";
        private String oauthClientSecret = Credentials.generateSecret();
        private String webhookUrl;
        private String signingSecret = Credentials.generateSecret();
        private boolean webhookActive = true;
        private Duration webhookRetryDelay = Duration.ofMillis(500);
        private long seed;
        private Clock clock = Clock.systemUTC();
        private int accountPerMinute = RateLimits.DEFAULT_ACCOUNT_PER_MINUTE;
        private int updateTicketPerMinute = RateLimits.DEFAULT_UPDATE_TICKET_PER_MINUTE;
        private int ticketUpdates = RateLimits.DEFAULT_TICKET_UPDATES;
        private Duration ticketWindow = RateLimits.DEFAULT_TICKET_WINDOW;
        private Duration idempotencyLifetime = IdempotencyKeys.DEFAULT_LIFETIME;
        private final List<TicketField> extraFields = new ArrayList<>();

        private Builder() {
        }

        /** 0 (the default) picks a free port. */
        public Builder port(int listenPort) {
            this.port = listenPort;
            return this;
        }

        /** The integration admin's email and API token (defaults: integration@sandbox.example, random). */
        public Builder credentials(String adminEmail, String token) {
            this.email = adminEmail;
            this.apiToken = token;
            return this;
        }

        public Builder restrictedUser(String userEmail, String token) {
            this.restrictedEmail = userEmail;
            this.restrictedToken = token;
            return this;
        }

        public Builder oauthClient(String clientId, String clientSecret) {
            this.oauthClientId = clientId;
            this.oauthClientSecret = clientSecret;
            return this;
        }

        /** Where the webhook posts and its signing secret; a null secret keeps the random one. */
        public Builder webhook(String url, String secret) {
            this.webhookUrl = url;
            if (secret != null) {
                this.signingSecret = secret;
            }
            return this;
        }

        /** Starts with the webhook deactivated: nothing is delivered ("webhook not wired"). */
        public Builder webhookActive(boolean active) {
            this.webhookActive = active;
            return this;
        }

        /** Wait before the first webhook retry, doubled each time (default 500 ms). */
        public Builder webhookRetryDelay(Duration delay) {
            this.webhookRetryDelay = delay;
            return this;
        }

        /** Seed of every random choice of the fault injector. */
        public Builder seed(long randomSeed) {
            this.seed = randomSeed;
            return this;
        }

        /** The base clock; the sandbox adds the offset of {@link ZendeskSandbox#advanceClock}. */
        public Builder clock(Clock baseClock) {
            this.clock = baseClock;
            return this;
        }

        /** Account-wide requests per minute (default 700, Enterprise). */
        public Builder accountRateLimit(int perMinute) {
            this.accountPerMinute = perMinute;
            return this;
        }

        /** Update Ticket requests per minute per account (default 100). */
        public Builder updateTicketRateLimit(int perMinute) {
            this.updateTicketPerMinute = perMinute;
            return this;
        }

        /** Updates per user per ticket in a rolling window (default 30 per 10 minutes). */
        public Builder ticketUpdateLimit(int updates, Duration window) {
            this.ticketUpdates = updates;
            this.ticketWindow = window;
            return this;
        }

        /** How long an Idempotency-Key is remembered (default 2 hours). */
        public Builder idempotencyKeyLifetime(Duration lifetime) {
            this.idempotencyLifetime = lifetime;
            return this;
        }

        public Builder ticketField(TicketField field) {
            extraFields.add(field);
            return this;
        }

        /** Starts the server; returns once it listens. */
        public ZendeskSandbox start() {
            ZendeskSandbox sandbox = new ZendeskSandbox(this);
            try {
                return sandbox.start(port);
            } catch (RuntimeException e) {
                sandbox.close();
                throw e;
            }
        }
    }
}
