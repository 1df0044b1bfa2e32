package com.helpdeskconnect.host;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.helpdeskconnect.host.config.BindPolicy;
import com.helpdeskconnect.host.config.HostConfig;
import com.helpdeskconnect.host.http.ConversationStreams;
import com.helpdeskconnect.host.http.HttpApi;
import com.helpdeskconnect.host.http.Json;
import com.helpdeskconnect.host.integrations.IntegrationService;
import com.helpdeskconnect.host.net.HostOutboundPolicy;
import com.helpdeskconnect.host.plugins.PluginRuntime;
import com.helpdeskconnect.host.security.ApiKeys;
import com.helpdeskconnect.host.security.Audit;
import com.helpdeskconnect.host.security.BootstrapToken;
import com.helpdeskconnect.host.security.ChatLinks;
import com.helpdeskconnect.host.security.RateLimiter;
import com.helpdeskconnect.host.storage.ApiKeyStore;
import com.helpdeskconnect.host.storage.AuditStore;
import com.helpdeskconnect.host.storage.CallbackStore;
import com.helpdeskconnect.host.storage.ConnectorStateStore;
import com.helpdeskconnect.host.storage.ConversationStores;
import com.helpdeskconnect.host.storage.Database;
import com.helpdeskconnect.host.storage.HostKeyStore;
import com.helpdeskconnect.host.storage.IntegrationStore;
import com.helpdeskconnect.host.storage.OutboxStore;
import com.helpdeskconnect.host.storage.SecretBox;
import com.helpdeskconnect.host.storage.WebhookInbox;
import com.helpdeskconnect.host.sync.Backoff;
import com.helpdeskconnect.host.sync.CallbackSender;
import com.helpdeskconnect.host.sync.RetryPolicy;
import com.helpdeskconnect.host.sync.SyncWorker;
import com.helpdeskconnect.host.sync.WebhookProcessor;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running host: plugins, storage, sync worker and HTTP API, started in that order and closed
 * in reverse. {@link #start} returns once the API answers.
 */
public final class Host implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Host.class);
    /** Workers for the webhook inbox and for the callback outbox each (integrations, conversations in parallel). */
    private static final int TWO_WAY_THREADS = 4;

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final int port;

    private final java.util.Optional<String> generatedAdminToken;

    private Host(HostConfig config) {
        BindPolicy.refusal(config).ifPresent(reason -> {
            throw new IllegalStateException(reason);
        });
        try {
            long started = System.nanoTime();
            // Start-up is mostly class loading and JIT: plugins (PF4J + the plugin jar), the validator
            // and the database (H2 + Flyway) do not depend on each other, so they load side by side.
            PluginRuntime plugins = own(new PluginRuntime(config.pluginsDir()));
            CompletableFuture<Long> pluginsLoaded = inBackground("plugins", () -> {
                plugins.start();
                return System.nanoTime();
            });
            ObjectMapper mapper = Json.mapper();
            Database db = own(Database.open(config.dataDir(), config.database(), poolSize(config.workerThreads())));
            long dbReady = System.nanoTime();
            SecretBox box = SecretBox.load(config.encryptionKey(), config.keyFile());
            BootstrapToken bootstrap = BootstrapToken.load(config.adminToken(), config.dataDir());
            this.generatedAdminToken = bootstrap.generated();
            log.info("Database: {}", db.sqlite() ? "SQLite file (WAL), this host only"
                    : db.shared() ? "PostgreSQL" : "H2 file " + Database.H2_FILE + " (a data folder made before SQLite became the default)");
            if (db.shared()) {
                log.info("Database shared with other hosts (PostgreSQL); this host claims work as {}", db.owner());
                if (!bootstrap.fromEnvironment()) {
                    log.warn("The admin token comes from this host's data folder: every host behind one load balancer needs the "
                            + "same one (set HELPDESK_CONNECT_ADMIN_TOKEN on each, or copy admin.token); see docs/deployment.md");
                }
            }
            HttpApi.Security security = new HttpApi.Security(bootstrap,
                    new ApiKeys(new ApiKeyStore(db), Clock.systemUTC()),
                    new ChatLinks(new HostKeyStore(db, box).key("chat-link"), Clock.systemUTC()),
                    new RateLimiter(config.limits().ratePerSecond(), config.limits().rateBurst(), System::nanoTime),
                    new Audit(new AuditStore(db)));
            // Hibernate Validator is first needed when settings are bound (an integration saved or first
            // used): it is built after the API is up, off the start-up path, and callers wait for it if early
            CompletableFuture<ValidatorFactory> validation = new CompletableFuture<>();
            own(() -> {
                if (validation.isDone() && !validation.isCompletedExceptionally()) {
                    validation.join().close();
                }
            });
            Supplier<Validator> validator = () -> join(validation).getValidator();
            // what the host may call; the same policy is for plugins (SPI context)
            HostOutboundPolicy outbound = HostOutboundPolicy.withAllowList(config.outboundAllow());
            if (!outbound.allowed().isEmpty()) {
                log.info("Outbound policy allows internal ranges {}", outbound.allowed());
            }
            // the webhook URL connections are told: known once the API listens (port 0 picks one)
            java.util.concurrent.atomic.AtomicReference<HttpApi> apiRef = new java.util.concurrent.atomic.AtomicReference<>();
            Supplier<String> publicUrl = () -> {
                HttpApi listening = apiRef.get();
                return listening != null && listening.baseUrl() != null ? listening.baseUrl() : config.publicUrl();
            };
            // closed after the workers (they stop first) and before the plugins: every connection, then the connectors
            IntegrationService integrations = own(new IntegrationService(plugins, new IntegrationStore(db, box, mapper),
                    new ConnectorStateStore(db), validator, outbound, publicUrl));
            PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            ConversationStores stores = own(ConversationStores.open(db, mapper));
            OutboxStore outbox = stores.outbox();
            Gauge.builder("helpdesk_connect.outbox.pending", outbox, s -> s.count("PENDING"))
                    .description("Helpdesk operations waiting to run").register(metrics);
            Gauge.builder("helpdesk_connect.outbox.parked", outbox, s -> s.count("PARKED"))
                    .description("Helpdesk operations parked after a permanent error").register(metrics);
            new JvmMemoryMetrics().bindTo(metrics);
            // the worker and the API need the connectors: a row run before they are loaded would fail
            long pluginsReady = join(pluginsLoaded);
            // one retry policy for the three queues: the outbox, the webhook inbox and the callback outbox
            RetryPolicy retry = new RetryPolicy(new Backoff(config.retryBaseDelay(), config.retryMaxDelay()), config.maxAttempts());
            SyncWorker worker = own(new SyncWorker(outbox, stores.conversations(), integrations, retry,
                    config.workerThreads(), metrics));
            worker.start();
            ConversationStreams streams = own(new ConversationStreams(stores.conversations(), mapper,
                    config.limits().maxStreamsPerCredential(), config.limits().maxStreams()));
            worker.onConversationChanged(streams::changed);
            int twoWayThreads = Math.max(1, Math.min(TWO_WAY_THREADS, config.workerThreads()));
            CallbackStore callbacks = new CallbackStore(db);
            CallbackSender sender = own(new CallbackSender(callbacks, integrations, retry, twoWayThreads, outbound));
            sender.start();
            WebhookInbox inbox = new WebhookInbox(db, box, mapper);
            WebhookProcessor processor = own(new WebhookProcessor(inbox, stores.conversations(), stores.changes(), integrations,
                    retry, twoWayThreads, streams::changed, sender::wake));
            processor.start();
            HttpApi api = own(new HttpApi(mapper, config.maxRequestBytes(), config.publicUrl(), config.bindHost(), security,
                    plugins, integrations,
                    stores, worker, metrics, new HttpApi.TwoWay(streams, inbox, processor, callbacks)));
            this.port = api.start(config.bindHost(), config.port());
            apiRef.set(api);
            inBackground("validator", Validation::buildDefaultValidatorFactory).whenComplete((factory, error) -> {
                if (error != null) {
                    validation.completeExceptionally(error);
                } else {
                    validation.complete(factory);
                }
            });
            log.info("Started in {} ms (database ready after {} ms, plugins after {} ms)", ms(started, System.nanoTime()),
                    ms(started, dbReady), ms(started, pluginsReady));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Workers hold a connection only around short statements and H2 commits one at a time, so more
     * connections than this only add memory: at most 24 however many workers there are.
     */
    static int poolSize(int workerThreads) {
        return Math.min(workerThreads + 8, 24);
    }

    private static <T> CompletableFuture<T> inBackground(String what, Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(work.get());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "start-" + what);
        t.setDaemon(true);
        t.start();
        return result;
    }

    /** Waits for a start-up step; its failure fails the start with the original exception. */
    private static <T> T join(CompletableFuture<T> step) {
        try {
            return step.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    private static long ms(long from, long to) {
        return (to - from) / 1_000_000;
    }

    public static Host start(HostConfig config) {
        return new Host(config);
    }

    public int port() {
        return port;
    }

    /**
     * The bootstrap admin token when this start generated it (first start without
     * {@code HELPDESK_CONNECT_ADMIN_TOKEN}), to print once; empty on every later start.
     */
    public java.util.Optional<String> generatedAdminToken() {
        return generatedAdminToken;
    }

    private <T extends AutoCloseable> T own(T resource) {
        resources.push(resource);
        return resource;
    }

    @Override
    public void close() {
        while (!resources.isEmpty()) {
            AutoCloseable resource = resources.pop();
            try {
                resource.close();
            } catch (Exception e) {
                log.warn("Failed to close {}: {}", resource.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
