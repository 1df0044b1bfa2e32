package com.helpdeskconnect.host.integrations;

import com.helpdeskconnect.api.Integration;
import com.helpdeskconnect.api.VerificationResult;
import com.helpdeskconnect.api.errors.ConnectorException;
import com.helpdeskconnect.api.errors.InvalidSettingsException;
import com.helpdeskconnect.api.settings.Secret;
import com.helpdeskconnect.api.settings.SettingDescriptor;
import com.helpdeskconnect.api.settings.Settings;
import com.helpdeskconnect.api.settings.SettingsBinder;
import com.helpdeskconnect.host.http.ApiException;
import com.helpdeskconnect.host.net.HostOutboundPolicy;
import com.helpdeskconnect.host.plugins.LoadedConnector;
import com.helpdeskconnect.host.plugins.PluginRuntime;
import com.helpdeskconnect.host.storage.IntegrationStore;
import com.helpdeskconnect.host.storage.IntegrationStore.StoredIntegration;
import jakarta.validation.Validator;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saving, reading and deleting integrations, and handing out {@link ActiveIntegration}s to the
 * sync worker. Saving validates the settings, then lets the connector verify them; nothing is
 * stored unless both pass.
 */
public final class IntegrationService {
    private static final Logger log = LoggerFactory.getLogger(IntegrationService.class);
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    static final String HANDOFF_SETTING = "createCaseOnlyOnHandoff";
    static final String WEBHOOK_SECRET_SETTING = "webhookSecret";

    private final PluginRuntime plugins;
    private final IntegrationStore store;
    private final Supplier<Validator> validator;
    private final Map<String, ActiveIntegration> active = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> generations = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final HostOutboundPolicy outbound;
    /** How long a save waits for the connector's verify; plugins are asked for 5 s connect and read. */
    static final java.time.Duration VERIFY_TIMEOUT = java.time.Duration.ofSeconds(10);
    private final java.util.concurrent.ExecutorService verifications = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "verify");
        t.setDaemon(true);
        return t;
    });

    public IntegrationService(PluginRuntime plugins, IntegrationStore store, Validator validator) {
        this(plugins, store, () -> validator, HostOutboundPolicy.withAllowList(null));
    }

    /**
     * With a validator that may still be starting (the host builds it after it is ready; see Host),
     * and the outbound policy callback URLs must pass.
     */
    public IntegrationService(PluginRuntime plugins, IntegrationStore store, Supplier<Validator> validator,
                              HostOutboundPolicy outbound) {
        this.outbound = outbound;
        this.plugins = plugins;
        this.store = store;
        this.validator = validator;
    }

    public static void checkId(String id) {
        if (!ID.matcher(id).matches()) {
            throw ApiException.badRequest("Invalid integration id", Map.of("id",
                    "must be 1-100 letters, digits, '.', '_' or '-', starting with a letter or digit"));
        }
    }

    /**
     * Validates, verifies and stores an integration. A secret setting sent back as the mask keeps
     * its stored value, so an admin can edit other settings without re-entering secrets.
     *
     * @throws ApiException 422 for unknown connectors, invalid settings or failed verification;
     *                      503 when the helpdesk could not be reached
     */
    public StoredIntegration save(String id, String connectorId, Map<String, Object> rawSettings) {
        return save(id, connectorId, rawSettings, Optional.empty());
    }

    /**
     * As {@link #save(String, String, Map)}, also setting the callback URL: empty keeps the stored
     * one, a blank value removes it. The URL is checked before the connector's {@code verify} runs.
     */
    public StoredIntegration save(String id, String connectorId, Map<String, Object> rawSettings,
                                  Optional<String> callbackUrlChange) {
        checkId(id);
        callbackUrlChange.filter(u -> !u.isBlank()).ifPresent(this::checkCallbackUrl);
        LoadedConnector connector = plugins.connector(connectorId).orElseThrow(() -> new ApiException(422,
                "unknown_connector", "No loaded connector '" + connectorId + "'; loaded: "
                + plugins.connectors().stream().map(LoadedConnector::id).sorted().toList(),
                Map.of("connector", "is not a loaded connector")));
        Optional<StoredIntegration> previous = store.find(id);
        Map<String, Object> settings = unmask(rawSettings, connector, previous);
        Integration integration = bind(id, connector, settings);
        VerificationResult result = verifyInTime(connector, integration);
        if (!result.ok()) {
            throw new ApiException(422, "verification_failed", result.message(),
                    result.fieldName().map(f -> Map.of(f, result.message())).orElse(Map.of()));
        }
        String webhookSecret = previous.map(StoredIntegration::webhookSecret).orElseGet(this::newWebhookSecret);
        String callbackUrl = callbackUrlChange.isPresent()
                ? (callbackUrlChange.get().isBlank() ? null : callbackUrlChange.get().strip())
                : previous.map(StoredIntegration::callbackUrl).orElse(null);
        // the signing key survives edits, so the customer channel's verifier keeps working
        String callbackSecret = previous.map(StoredIntegration::callbackSecret).filter(s -> s != null)
                .orElseGet(this::newWebhookSecret);
        store.save(id, connectorId, settings, webhookSecret, callbackUrl, callbackSecret);
        forget(id, previous.map(StoredIntegration::connectorId).orElse(null));
        log.info("Integration '{}' saved for connector '{}'", id, connectorId);
        return store.find(id).orElseThrow();
    }

    /**
     * Runs the connector's verify, but answers the admin within {@link #VERIFY_TIMEOUT} whatever the
     * connector's own timeouts: a target that accepts connections and never answers must not hold
     * the save (and a request thread) for long. The late call is interrupted and its result dropped.
     */
    private VerificationResult verifyInTime(LoadedConnector connector, Integration integration) {
        java.util.concurrent.Future<VerificationResult> call = verifications.submit(() -> connector.call(c -> c.verify(integration)));
        try {
            return call.get(VERIFY_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            call.cancel(true);
            throw new ApiException(503, "verify_timeout", "The helpdesk did not answer in time (" + VERIFY_TIMEOUT.toSeconds()
                    + " s) while the integration was verified: check the URLs and that the helpdesk is reachable from the host");
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            throw new ApiException(503, "verify_interrupted", "The host is stopping; save again later");
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof ConnectorException ce) {
                throw new ApiException(503, "helpdesk_unavailable",
                        "Could not verify the integration: " + ce.getMessage() + " (" + ce.kind() + ")");
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("verify failed", e.getCause());
        }
    }

    public Optional<StoredIntegration> find(String id) {
        return store.find(id);
    }

    /** Cheap existence check for the event path: the active cache, else one indexed read (no decryption). */
    public boolean exists(String id) {
        return active.containsKey(id) || store.exists(id);
    }

    public boolean delete(String id) {
        Optional<StoredIntegration> previous = store.find(id);
        boolean deleted = store.delete(id);
        previous.ifPresent(p -> forget(id, p.connectorId()));
        return deleted;
    }

    /** The settings as answers may show them: secrets masked. */
    public Map<String, Object> maskedSettings(StoredIntegration stored) {
        return plugins.connector(stored.connectorId())
                .map(c -> SettingsBinder.masked(Settings.of(stored.settings()), c.descriptor().settings()))
                .orElseGet(() -> maskAll(stored.settings()));
    }

    /** The secret the helpdesk must present on webhooks: the {@code webhookSecret} setting, else a generated one. */
    public String webhookSecret(StoredIntegration stored) {
        Object configured = stored.settings().get(WEBHOOK_SECRET_SETTING);
        return configured instanceof String s && !s.isBlank() ? s : stored.webhookSecret();
    }

    /**
     * The integration ready for connector calls, cached until it changes.
     *
     * @return empty if it does not exist; throws {@link IllegalStateException} if its connector is not loaded
     */
    public Optional<ActiveIntegration> active(String id) {
        while (true) {
            ActiveIntegration cached = active.get(id);
            if (cached != null) {
                return Optional.of(cached);
            }
            long generation = generation(id).get();
            Optional<StoredIntegration> stored = store.find(id);
            if (stored.isEmpty()) {
                return Optional.empty();
            }
            LoadedConnector connector = plugins.connector(stored.get().connectorId()).orElseThrow(() ->
                    new IllegalStateException("connector '" + stored.get().connectorId() + "' of integration '" + id + "' is not loaded"));
            Integration integration = bind(id, connector, withWebhookSecret(connector, stored.get()));
            ActiveIntegration fresh = new ActiveIntegration(connector, integration, handoffOnly(stored.get().settings()));
            ActiveIntegration raced = active.putIfAbsent(id, fresh);
            if (raced != null) {
                return Optional.of(raced);
            }
            if (generation(id).get() == generation) {
                return Optional.of(fresh);
            }
            // saved or deleted while we read it: what we cached may be the old version, read again
            active.remove(id, fresh);
        }
    }

    /** Bumped by every save and delete, so a read that raced one does not stay cached. */
    private AtomicLong generation(String id) {
        return generations.computeIfAbsent(id, k -> new AtomicLong());
    }

    /**
     * The settings the connector works with: when it takes a {@code webhookSecret} setting that the
     * admin left empty, the generated secret that GET shows is filled in, so the secret we tell the
     * admin to configure is the one the connector checks.
     */
    private static Map<String, Object> withWebhookSecret(LoadedConnector connector, StoredIntegration stored) {
        Object configured = stored.settings().get(WEBHOOK_SECRET_SETTING);
        boolean takesSecret = connector.descriptor().settings().stream()
                .anyMatch(s -> s.name().equals(WEBHOOK_SECRET_SETTING));
        if (!takesSecret || (configured instanceof String text && !text.isBlank()) || stored.webhookSecret() == null) {
            return stored.settings();
        }
        Map<String, Object> settings = new java.util.LinkedHashMap<>(stored.settings());
        settings.put(WEBHOOK_SECRET_SETTING, stored.webhookSecret());
        return settings;
    }

    private Integration bind(String id, LoadedConnector connector, Map<String, Object> settings) {
        try {
            Record bound = connector.call(c -> SettingsBinder.bind(Settings.of(settings),
                    connector.descriptor().settingsType(), validator.get()));
            return new Integration(id, bound);
        } catch (InvalidSettingsException e) {
            throw new ApiException(422, "invalid_settings", "Some settings are not valid", e.fieldErrors());
        }
    }

    private static boolean handoffOnly(Map<String, Object> settings) {
        Object value = settings.get(HANDOFF_SETTING);
        return value instanceof Boolean b ? b : value instanceof String s && Boolean.parseBoolean(s.trim());
    }

    /**
     * Puts stored secrets back where the admin sent the mask. A stored secret is kept only if every
     * setting that says where it goes or whose it is stays the same ({@link #guardsSecrets}): sending
     * the mask with a new URL or client id would otherwise hand the old secret to the new place
     * (verify would POST it there). Then the admin must enter the secret again (422).
     */
    static Map<String, Object> unmask(Map<String, Object> raw, LoadedConnector connector,
                                      Optional<StoredIntegration> previous) {
        return unmask(raw, connector.id(), connector.descriptor().settings(), previous);
    }

    static Map<String, Object> unmask(Map<String, Object> raw, String connectorId, List<SettingDescriptor> descriptors,
                                      Optional<StoredIntegration> previous) {
        Map<String, Object> settings = new LinkedHashMap<>(raw);
        Optional<StoredIntegration> same = previous.filter(p -> p.connectorId().equals(connectorId));
        List<String> moved = same.map(p -> descriptors.stream().filter(IntegrationService::guardsSecrets)
                .filter(d -> !sameValue(p.settings().get(d.name()), raw.get(d.name())))
                .map(SettingDescriptor::name).toList()).orElse(List.of());
        Map<String, String> reenter = new LinkedHashMap<>();
        for (SettingDescriptor d : descriptors) {
            if (d.secret() && Secret.MASK.equals(settings.get(d.name()))) {
                Object kept = same.map(p -> p.settings().get(d.name())).orElse(null);
                if (kept == null) {
                    settings.remove(d.name());
                } else if (!moved.isEmpty()) {
                    reenter.put(d.name(), "re-enter the secret: " + String.join(", ", moved)
                            + " changed, so the stored secret is not sent there");
                } else {
                    settings.put(d.name(), kept);
                }
            }
        }
        if (!reenter.isEmpty()) {
            throw new ApiException(422, "secret_required", "Re-enter the secret: a stored secret is kept only while "
                    + String.join(", ", moved) + " stay the same", reenter);
        }
        return settings;
    }

    /**
     * Settings a kept secret is bound to: every URL setting, and every text setting that names an
     * identity (its name contains client, user, login, account, tenant, email or principal).
     */
    static boolean guardsSecrets(SettingDescriptor d) {
        if (d.secret()) {
            return false;
        }
        if (d.type() == com.helpdeskconnect.api.settings.SettingType.URL) {
            return true;
        }
        String name = d.name().toLowerCase(java.util.Locale.ROOT);
        return java.util.stream.Stream.of("client", "user", "login", "account", "tenant", "email", "principal")
                .anyMatch(name::contains);
    }

    private static boolean sameValue(Object stored, Object sent) {
        String a = stored == null ? "" : String.valueOf(stored).strip();
        String b = sent == null ? "" : String.valueOf(sent).strip();
        return a.equals(b);
    }

    private static Map<String, Object> maskAll(Map<String, Object> settings) {
        Map<String, Object> masked = new LinkedHashMap<>();
        settings.keySet().forEach(k -> masked.put(k, Secret.MASK));
        return masked;
    }

    private void forget(String id, String connectorId) {
        generation(id).incrementAndGet();
        active.remove(id);
        if (connectorId != null) {
            plugins.connector(connectorId).ifPresent(c -> {
                try {
                    c.run(h -> h.release(id));
                } catch (RuntimeException e) {
                    log.warn("Connector '{}' failed to release integration '{}': {}", connectorId, id, e.getClass().getSimpleName());
                }
            });
        }
    }

    private void checkCallbackUrl(String url) {
        java.net.URI uri;
        try {
            uri = new java.net.URI(url.strip());
        } catch (java.net.URISyntaxException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null
                || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
            throw new ApiException(422, "invalid_settings", "The callback URL is not valid",
                    Map.of("callbackUrl", "must be an absolute http or https URL"));
        }
        try {
            outbound.checkUrlAndResolve(uri);
        } catch (IllegalArgumentException e) {
            throw new ApiException(422, "outbound_denied", "The callback URL is not allowed: " + e.getMessage(),
                    Map.of("callbackUrl", e.getMessage()));
        }
    }

    private String newWebhookSecret() {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The connector's field catalogue for an integration. */
    public List<com.helpdeskconnect.api.cases.FieldDescriptor> fields(String id) {
        ActiveIntegration integration = active(id).orElseThrow(() -> ApiException.notFound("No integration '" + id + "'"));
        try {
            return integration.connector().call(c -> c.describeFields(integration.integration()));
        } catch (UnsupportedOperationException e) {
            throw new ApiException(501, "not_supported", "Connector '" + integration.connector().id()
                    + "' does not describe its fields");
        } catch (ConnectorException e) {
            throw new ApiException(e.retryable() ? 503 : 502, "helpdesk_error", e.getMessage());
        }
    }
}
