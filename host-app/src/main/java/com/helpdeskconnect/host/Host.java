package com.helpdeskconnect.host;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.helpdeskconnect.host.config.HostConfig;
import com.helpdeskconnect.host.http.HttpApi;
import com.helpdeskconnect.host.integrations.IntegrationService;
import com.helpdeskconnect.host.storage.ConversationStore;
import com.helpdeskconnect.host.storage.Database;
import com.helpdeskconnect.host.sync.Backoff;
import com.helpdeskconnect.host.sync.SyncWorker;
import com.helpdeskconnect.host.sync.CallbackSender;
import com.helpdeskconnect.host.sync.WebhookProcessor;
import com.helpdeskconnect.host.storage.CallbackStore;
import com.helpdeskconnect.host.storage.WebhookInbox;
import com.helpdeskconnect.host.http.ConversationStreams;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import com.helpdeskconnect.host.storage.IntegrationStore;
import com.helpdeskconnect.host.storage.SecretBox;
import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import com.helpdeskconnect.host.http.Json;
import com.helpdeskconnect.host.plugins.PluginRuntime;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running host: plugins, storage, sync worker and HTTP API, started in that order and closed
 * in reverse. {@link #start} returns once the API answers.
 */
public final class Host implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Host.class);

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final int port;

    private Host(HostConfig config) {
        try {
            ObjectMapper mapper = Json.mapper();
            PluginRuntime plugins = own(new PluginRuntime(config.pluginsDir()));
            plugins.start();
            Database db = own(Database.open(config.dataDir(), config.workerThreads() + 8));
            SecretBox box = SecretBox.load(config.encryptionKey(), config.keyFile());
            ValidatorFactory validation = own(Validation.buildDefaultValidatorFactory());
            IntegrationService integrations = new IntegrationService(plugins,
                    new IntegrationStore(db, box, mapper), validation.getValidator());
            PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            ConversationStore conversations = new ConversationStore(db, mapper);
            Gauge.builder("helpdesk_connect.outbox.pending", conversations, s -> s.count("PENDING"))
                    .description("Helpdesk operations waiting to run").register(metrics);
            Gauge.builder("helpdesk_connect.outbox.parked", conversations, s -> s.count("PARKED"))
                    .description("Helpdesk operations parked after a permanent error").register(metrics);
            new JvmMemoryMetrics().bindTo(metrics);
            SyncWorker worker = own(new SyncWorker(conversations, integrations,
                    new Backoff(config.retryBaseDelay(), config.retryMaxDelay()), config.maxAttempts(),
                    config.workerThreads(), metrics));
            worker.start();
            ConversationStreams streams = own(new ConversationStreams(conversations, mapper));
            worker.onConversationChanged(streams::changed);
            Backoff backoff = new Backoff(config.retryBaseDelay(), config.retryMaxDelay());
            CallbackStore callbacks = new CallbackStore(db);
            CallbackSender sender = own(new CallbackSender(callbacks, integrations, backoff, config.maxAttempts()));
            sender.start();
            WebhookInbox inbox = new WebhookInbox(db, box, mapper);
            WebhookProcessor processor = own(new WebhookProcessor(inbox, conversations, integrations, backoff,
                    config.maxAttempts(), streams::changed, sender::wake));
            processor.start();
            HttpApi api = own(new HttpApi(mapper, config.maxRequestBytes(), config.publicUrl(), plugins, integrations,
                    conversations, worker, metrics, new HttpApi.TwoWay(streams, inbox, processor, callbacks)));
            this.port = api.start(config.bindHost(), config.port());
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    public static Host start(HostConfig config) {
        return new Host(config);
    }

    public int port() {
        return port;
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
