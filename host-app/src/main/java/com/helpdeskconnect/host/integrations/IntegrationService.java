package com.helpdeskconnect.host.integrations;

import com.helpdeskconnect.api.Capability;
import com.helpdeskconnect.api.HelpdeskConnection;
import com.helpdeskconnect.api.VerificationResult;
import com.helpdeskconnect.api.cases.FieldDescriptor;
import com.helpdeskconnect.api.errors.ConnectorException;
import com.helpdeskconnect.api.errors.InvalidSettingsException;
import com.helpdeskconnect.api.settings.Secret;
import com.helpdeskconnect.api.settings.SettingDescriptor;
import com.helpdeskconnect.api.settings.Settings;
import com.helpdeskconnect.api.settings.SettingsBinder;
import com.helpdeskconnect.host.errors.HelpdeskErrorException;
import com.helpdeskconnect.host.errors.HelpdeskUnavailableException;
import com.helpdeskconnect.host.errors.IntegrationRejectedException;
import com.helpdeskconnect.host.errors.IntegrationRejectedException.Reason;
import com.helpdeskconnect.host.errors.InvalidRequestException;
import com.helpdeskconnect.host.errors.NotSupportedException;
import com.helpdeskconnect.host.errors.ResourceNotFoundException;
import com.helpdeskconnect.host.net.HostOutboundPolicy;
import com.helpdeskconnect.host.plugins.LoadedConnector;
import com.helpdeskconnect.host.plugins.PluginRuntime;
import com.helpdeskconnect.host.storage.ConnectorStateStore;
import com.helpdeskconnect.host.storage.IntegrationStore;
import com.helpdeskconnect.host.storage.IntegrationStore.StoredIntegration;
import jakarta.validation.Validator;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saving, reading and deleting integrations, and the one open {@link HelpdeskConnection} per
 * integration the sync worker, the webhook route and the webhook processor share.
 *
 * <p>Saving binds and validates the settings, opens a temporary connection and lets it verify them
 * (bounded by {@link #VERIFY_TIMEOUT}); nothing is stored unless both pass. The shared connection is
 * opened on first use and cached; saving the integration again, deleting it or stopping the host
 * closes it (once the calls running on it are done, see {@link OpenConnection}).
 *
 * <p>Host behaviour is not read from connector settings: it lives in {@link IntegrationOptions}. The
 * only names the host knows come from the connector's settings description: the secret it asks the
 * host to generate ({@code @Setting(generated = true)}, shown as the webhook secret) and the settings
 * each secret is bound to ({@code boundTo}).
 */
public final class IntegrationService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IntegrationService.class);
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    /** How long a save waits for the connector's verify; plugins are asked for 5 s connect and read. */
    static final Duration VERIFY_TIMEOUT = Duration.ofSeconds(10);
    /** Random bytes of a generated secret (base64url, 43 characters). */
    static final int SECRET_BYTES = 32;

    private final PluginRuntime plugins;
    private final IntegrationStore store;
    private final ConnectorStateStore states;
    private final Supplier<Validator> validator;
    private final HostOutboundPolicy outbound;
    private final Supplier<String> publicUrl;
    private final Map<String, OpenConnection> connections = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> generations = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final ExecutorService verifications = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "verify");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closed;

    /**
     * @param validator a validator that may still be starting (the host builds it after it is ready; see Host)
     * @param outbound  the policy callback URLs must pass, and every connection is given
     * @param publicUrl the host's public base URL (webhook URLs), read when a connection asks for it
     */
    public IntegrationService(PluginRuntime plugins, IntegrationStore store, ConnectorStateStore states,
                              Supplier<Validator> validator, HostOutboundPolicy outbound, Supplier<String> publicUrl) {
        this.plugins = plugins;
        this.store = store;
        this.states = states;
        this.validator = validator;
        this.outbound = outbound;
        this.publicUrl = publicUrl;
    }

    public static void checkId(String id) {
        if (!ID.matcher(id).matches()) {
            throw new InvalidRequestException("Invalid integration id", Map.of("id",
                    "must be 1-100 letters, digits, '.', '_' or '-', starting with a letter or digit"));
        }
    }

    /**
     * Validates, verifies and stores an integration.
     *
     * <ul>
     *   <li>A secret sent back as the mask keeps its stored value while the settings it is bound to
     *       stay the same (else 422 {@code secret_required}).</li>
     *   <li>A generated secret left empty gets the integration's host-generated secret: made once,
     *       kept across edits (so the helpdesk's configuration keeps working); an entered value is
     *       used as entered, and removing it brings the generated one back.</li>
     *   <li>A {@code createCaseOnlyOnHandoff} inside the settings, from a v1 client, is moved to the
     *       options when the connector does not declare such a setting; an option given in
     *       {@code optionChanges} wins.</li>
     * </ul>
     *
     * @param callbackUrlChange empty keeps the stored callback URL, blank removes it
     * @param optionChanges     options to change (name to value); those left out keep their value
     * @throws IntegrationRejectedException 422: unknown connector, invalid settings, failed verification
     * @throws HelpdeskUnavailableException 503: the helpdesk could not be reached or did not answer in time
     */
    public StoredIntegration save(String id, String connectorId, Map<String, Object> rawSettings,
                                  Optional<String> callbackUrlChange, Map<String, ?> optionChanges) {
        checkId(id);
        callbackUrlChange.filter(u -> !u.isBlank()).ifPresent(this::checkCallbackUrl);
        LoadedConnector connector = plugins.connector(connectorId).orElseThrow(() -> new IntegrationRejectedException(
                Reason.UNKNOWN_CONNECTOR, "No loaded connector '" + connectorId + "'; loaded: "
                + plugins.connectors().stream().map(LoadedConnector::id).sorted().toList(),
                Map.of("connector", "is not a loaded connector")));
        Optional<StoredIntegration> previous = store.find(id);
        Optional<StoredIntegration> same = previous.filter(p -> p.connectorId().equals(connectorId));
        List<SettingDescriptor> form = connector.descriptor().settings();

        Map<String, Object> raw = new LinkedHashMap<>(rawSettings);
        Map<String, Object> changes = new LinkedHashMap<>();
        legacyOption(raw, form).ifPresent(v -> changes.put(IntegrationOptions.CREATE_CASE_ONLY_ON_HANDOFF, v));
        changes.putAll(optionChanges);
        IntegrationOptions options = previous.map(p -> optionsOf(p, form)).orElse(IntegrationOptions.DEFAULTS).with(changes);

        Map<String, Object> settings = unmask(raw, form, same);
        // one per integration, made on its first save (kept beside the settings, as the first release did)
        String generated = previous.map(StoredIntegration::webhookSecret).filter(g -> !g.isBlank()).orElseGet(this::newSecret);
        fillGeneratedSecrets(settings, form, same, generated);
        Record bound = bind(connector, settings);
        long verifying = System.nanoTime();
        verifyInTime(connector, context(id, bound));
        long verifiedMs = (System.nanoTime() - verifying) / 1_000_000;

        String callbackUrl = callbackUrlChange.isPresent()
                ? (callbackUrlChange.get().isBlank() ? null : callbackUrlChange.get().strip())
                : previous.map(StoredIntegration::callbackUrl).orElse(null);
        // the signing key survives edits, so the customer channel's verifier keeps working
        String callbackSecret = previous.map(StoredIntegration::callbackSecret).filter(s -> s != null)
                .orElseGet(this::newSecret);
        store.save(id, connectorId, settings, generated, callbackUrl, callbackSecret, options.asMap());
        retire(id);
        log.info("Integration '{}' saved for connector '{}' (verified in {} ms)", id, connectorId, verifiedMs);
        return store.find(id).orElseThrow();
    }

    /**
     * Opens a temporary connection and runs its verify, but answers the admin within
     * {@link #VERIFY_TIMEOUT} whatever the connector's own timeouts: a target that accepts connections
     * and never answers must not hold the save (and a request thread) for long. The late call is
     * interrupted and its result dropped; the connection is closed when the call ends.
     */
    private void verifyInTime(LoadedConnector connector, HostIntegrationContext context) {
        Future<VerificationResult> call = verifications.submit(() -> connector.call(c -> {
            HelpdeskConnection connection = c.open(context);
            try {
                return connection.verify();
            } finally {
                OpenConnection.closeQuietly(connector, connection, context.integrationId());
            }
        }));
        VerificationResult result;
        try {
            result = call.get(VERIFY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new HelpdeskUnavailableException(HelpdeskUnavailableException.Reason.VERIFY_TIMEOUT,
                    "The helpdesk did not answer in time (" + VERIFY_TIMEOUT.toSeconds()
                    + " s) while the integration was verified: check the URLs and that the helpdesk is reachable from the host");
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            throw new HelpdeskUnavailableException(HelpdeskUnavailableException.Reason.VERIFY_INTERRUPTED,
                    "The host is stopping; save again later");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof InvalidSettingsException invalid) {
                throw invalidSettings(invalid);
            }
            if (e.getCause() instanceof ConnectorException ce) {
                // verify throws only for trouble that may pass: "try again", never "your settings are wrong"
                if (ce.retryable()) {
                    throw unavailable(ce.getMessage());
                }
                throw new IntegrationRejectedException(Reason.VERIFICATION_FAILED, ce.getMessage(), Map.of());
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("verify failed", e.getCause());
        }
        if (!result.ok()) {
            if (result.kind().retryable()) {
                throw unavailable(result.message());
            }
            throw new IntegrationRejectedException(Reason.VERIFICATION_FAILED, result.message(),
                    result.fieldName().map(f -> Map.of(f, result.message())).orElse(Map.of()));
        }
    }

    private static HelpdeskUnavailableException unavailable(String message) {
        return new HelpdeskUnavailableException(HelpdeskUnavailableException.Reason.HELPDESK_UNAVAILABLE,
                "The helpdesk is unavailable, try again: " + message);
    }

    public Optional<StoredIntegration> find(String id) {
        return store.find(id);
    }

    /** Cheap existence check for the event path: an open connection, else one indexed read (no decryption). */
    public boolean exists(String id) {
        return connections.containsKey(id) || store.exists(id);
    }

    /** Deletes the integration with its connector state, and closes its connection. */
    public boolean delete(String id) {
        boolean deleted = store.delete(id);
        retire(id);
        return deleted;
    }

    /** The settings as answers may show them: secrets masked, a legacy option moved out. */
    public Map<String, Object> maskedSettings(StoredIntegration stored) {
        return plugins.connector(stored.connectorId())
                .map(c -> SettingsBinder.masked(Settings.of(withoutLegacyOption(stored.settings(), c.descriptor().settings())),
                        c.descriptor().settings()))
                .orElseGet(() -> maskAll(stored.settings()));
    }

    /** The integration's host-owned options. */
    public IntegrationOptions options(StoredIntegration stored) {
        return optionsOf(stored, plugins.connector(stored.connectorId()).map(c -> c.descriptor().settings()).orElse(List.of()));
    }

    /**
     * The secret the helpdesk must present on webhooks: the value of the connector's generated secret
     * setting ({@code @Setting(generated = true)}); null when the connector declares none.
     */
    public String webhookSecret(StoredIntegration stored) {
        return plugins.connector(stored.connectorId())
                .flatMap(c -> firstGenerated(c.descriptor().settings()))
                .map(d -> text(stored.settings().get(d.name())).orElse(stored.webhookSecret()))
                .orElse(null);
    }

    /** Until when a helpdesk's rate limit pauses the integration's work; empty when it is not paused. */
    public Optional<Instant> rateLimitedUntil(StoredIntegration stored) {
        return Optional.ofNullable(stored.rateLimitedUntil()).filter(t -> t.isAfter(Instant.now()));
    }

    /** Pauses every operation of the integration until {@code until}: the helpdesk rate-limited it. */
    public void pauseUntil(String id, Instant until) {
        store.pauseUntil(id, until);
    }

    /**
     * Lends out the integration's connection, opening it on first use. Give it back with
     * {@link ActiveIntegration#close()}.
     *
     * @return empty if the integration does not exist
     * @throws IllegalStateException        if its connector is not loaded
     * @throws IntegrationRejectedException if its stored settings no longer bind (the plugin changed)
     * @throws ConnectorException           if the connector refuses to open it
     */
    public Optional<ActiveIntegration> acquire(String id) {
        while (true) {
            OpenConnection cached = connections.get(id);
            if (cached != null) {
                if (cached.tryAcquire()) {
                    return Optional.of(new ActiveIntegration(cached));
                }
                connections.remove(id, cached); // closed meanwhile
                continue;
            }
            if (closed) {
                throw new IllegalStateException("The host is stopping");
            }
            AtomicLong generation = generation(id);
            // one opener per integration: workers starting together share one connection
            synchronized (generation) {
                if (connections.containsKey(id)) {
                    continue;
                }
                long seen = generation.get();
                Optional<StoredIntegration> stored = store.find(id);
                if (stored.isEmpty()) {
                    return Optional.empty();
                }
                OpenConnection fresh = open(stored.get());
                if (connections.putIfAbsent(id, fresh) != null) {
                    fresh.release();
                    continue;
                }
                if (generation.get() != seen) {
                    // saved or deleted while we read it: what we opened may be the old version, read again
                    if (connections.remove(id, fresh)) {
                        fresh.release();
                    }
                    continue;
                }
                if (fresh.tryAcquire()) {
                    return Optional.of(new ActiveIntegration(fresh));
                }
            }
        }
    }

    private OpenConnection open(StoredIntegration stored) {
        LoadedConnector connector = plugins.connector(stored.connectorId()).orElseThrow(() -> new IllegalStateException(
                "connector '" + stored.connectorId() + "' of integration '" + stored.id() + "' is not loaded"));
        List<SettingDescriptor> form = connector.descriptor().settings();
        Map<String, Object> settings = withoutLegacyOption(stored.settings(), form);
        // saved by a host that kept the generated webhook secret beside the settings: it is the value
        firstGenerated(form).filter(d -> text(settings.get(d.name())).isEmpty() && stored.webhookSecret() != null)
                .ifPresent(d -> settings.put(d.name(), stored.webhookSecret()));
        Record bound = bind(connector, settings);
        HostIntegrationContext context = context(stored.id(), bound);
        HelpdeskConnection connection;
        try {
            connection = connector.call(c -> c.open(context));
        } catch (InvalidSettingsException e) {
            throw invalidSettings(e);
        }
        return new OpenConnection(stored.id(), connector, connection, optionsOf(stored, form));
    }

    private HostIntegrationContext context(String id, Record settings) {
        return new HostIntegrationContext(id, settings, states.forIntegration(id), outbound,
                () -> URI.create(publicUrl.get() + "/webhooks/" + id));
    }

    /**
     * Bumped by every save and delete, so a read that raced one does not stay cached; also the lock
     * under which the integration's connection is opened.
     */
    private AtomicLong generation(String id) {
        return generations.computeIfAbsent(id, k -> new AtomicLong());
    }

    /** The integration changed or is gone: its connection closes once the calls on it are done. */
    private void retire(String id) {
        generation(id).incrementAndGet();
        OpenConnection open = connections.remove(id);
        if (open != null) {
            open.release();
        }
    }

    private Record bind(LoadedConnector connector, Map<String, Object> settings) {
        try {
            return connector.call(c -> SettingsBinder.bind(Settings.of(settings), connector.descriptor().settingsType(),
                    validator.get()));
        } catch (InvalidSettingsException e) {
            throw invalidSettings(e);
        }
    }

    private static IntegrationRejectedException invalidSettings(InvalidSettingsException e) {
        return new IntegrationRejectedException(Reason.INVALID_SETTINGS, "Some settings are not valid", e.fieldErrors());
    }

    /**
     * Takes a v1 client's {@code createCaseOnlyOnHandoff} out of the settings when the connector does not
     * declare such a setting (then it is the host's option); a connector that declares it keeps it.
     */
    private static Optional<Boolean> legacyOption(Map<String, Object> settings, List<SettingDescriptor> form) {
        String name = IntegrationOptions.CREATE_CASE_ONLY_ON_HANDOFF;
        if (!settings.containsKey(name) || declares(form, name)) {
            return Optional.empty();
        }
        Object value = settings.remove(name);
        if (value == null) {
            return Optional.empty();
        }
        return Optional.of(IntegrationOptions.bool(value).orElseThrow(() -> new IntegrationRejectedException(
                Reason.INVALID_SETTINGS, "Some settings are not valid", Map.of(name, "must be true or false"))));
    }

    private static Map<String, Object> withoutLegacyOption(Map<String, Object> settings, List<SettingDescriptor> form) {
        Map<String, Object> copy = new LinkedHashMap<>(settings);
        if (!declares(form, IntegrationOptions.CREATE_CASE_ONLY_ON_HANDOFF)) {
            copy.remove(IntegrationOptions.CREATE_CASE_ONLY_ON_HANDOFF);
        }
        return copy;
    }

    /** The stored options; an integration saved before options existed has its legacy setting read once. */
    private static IntegrationOptions optionsOf(StoredIntegration stored, List<SettingDescriptor> form) {
        if (stored.options() != null) {
            return IntegrationOptions.fromStored(stored.options());
        }
        Object legacy = declares(form, IntegrationOptions.CREATE_CASE_ONLY_ON_HANDOFF) ? null
                : stored.settings().get(IntegrationOptions.CREATE_CASE_ONLY_ON_HANDOFF);
        return new IntegrationOptions(IntegrationOptions.bool(legacy).orElse(false));
    }

    private static boolean declares(List<SettingDescriptor> form, String name) {
        return form.stream().anyMatch(d -> d.name().equals(name));
    }

    private static Optional<SettingDescriptor> firstGenerated(List<SettingDescriptor> form) {
        return form.stream().filter(SettingDescriptor::generated).findFirst();
    }

    /**
     * Puts stored secrets back where the admin sent the mask. A stored secret is kept only while every
     * setting it is bound to ({@link SettingDescriptor#boundTo()}: by default every URL setting) stays
     * the same: sending the mask with a new URL or client id would otherwise hand the old secret to the
     * new place (verify would POST it there). Then the admin must enter the secret again (422).
     */
    static Map<String, Object> unmask(Map<String, Object> raw, List<SettingDescriptor> form,
                                      Optional<StoredIntegration> same) {
        Map<String, Object> settings = new LinkedHashMap<>(raw);
        Map<String, String> reenter = new LinkedHashMap<>();
        Set<String> moved = new LinkedHashSet<>();
        for (SettingDescriptor d : form) {
            if (!d.secret() || !Secret.MASK.equals(settings.get(d.name()))) {
                continue;
            }
            Object kept = same.map(p -> p.settings().get(d.name())).orElse(null);
            if (kept == null) {
                settings.remove(d.name());
                continue;
            }
            List<String> changed = changedBindings(d, same.get(), raw);
            if (changed.isEmpty()) {
                settings.put(d.name(), kept);
            } else {
                moved.addAll(changed);
                reenter.put(d.name(), "re-enter the secret: " + String.join(", ", changed)
                        + " changed, so the stored secret is not sent there");
            }
        }
        if (!reenter.isEmpty()) {
            throw new IntegrationRejectedException(Reason.SECRET_REQUIRED, "Re-enter the secret: a stored secret is kept only while "
                    + String.join(", ", moved) + " stay the same", reenter);
        }
        return settings;
    }

    /**
     * Generated secrets the admin left empty. The first gets the integration's host-generated secret
     * (the webhook secret the API shows), the same on every save; a connector declaring more than one
     * gets each further one made once and kept while the admin leaves it empty.
     */
    private void fillGeneratedSecrets(Map<String, Object> settings, List<SettingDescriptor> form,
                                      Optional<StoredIntegration> same, String generated) {
        Optional<SettingDescriptor> first = firstGenerated(form);
        for (SettingDescriptor d : form) {
            if (!d.generated() || text(settings.get(d.name())).isPresent()) {
                continue;
            }
            settings.put(d.name(), first.get().equals(d) ? generated
                    : same.flatMap(p -> text(p.settings().get(d.name()))).orElseGet(this::newSecret));
        }
    }

    private static List<String> changedBindings(SettingDescriptor secret, StoredIntegration stored, Map<String, Object> raw) {
        return secret.boundTo().stream().filter(n -> !sameValue(stored.settings().get(n), raw.get(n))).toList();
    }

    private static Optional<String> text(Object value) {
        return value instanceof String s && !s.isBlank() ? Optional.of(s) : Optional.empty();
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

    private void checkCallbackUrl(String url) {
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null
                || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
            throw new IntegrationRejectedException(Reason.INVALID_SETTINGS, "The callback URL is not valid",
                    Map.of("callbackUrl", "must be an absolute http or https URL"));
        }
        try {
            outbound.checkUrlAndResolve(uri);
        } catch (IllegalArgumentException e) {
            throw new IntegrationRejectedException(Reason.OUTBOUND_DENIED, "The callback URL is not allowed: " + e.getMessage(),
                    Map.of("callbackUrl", e.getMessage()));
        }
    }

    /** {@value #SECRET_BYTES} random bytes, base64url without padding. */
    private String newSecret() {
        byte[] bytes = new byte[SECRET_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The connector's field catalogue for an integration. */
    public List<FieldDescriptor> fields(String id) {
        try (ActiveIntegration integration = acquire(id)
                .orElseThrow(() -> new ResourceNotFoundException("No integration '" + id + "'"))) {
            if (!integration.supports(Capability.FILL_FIELDS)) {
                throw new NotSupportedException("Connector '" + integration.connector().id() + "' does not describe its fields");
            }
            return integration.call(HelpdeskConnection::describeFields);
        } catch (ConnectorException e) {
            throw new HelpdeskErrorException(e.getMessage(), e.retryable());
        }
    }

    /** Closes every open connection (the workers using them stopped first) and stops verifying. */
    @Override
    public void close() {
        closed = true;
        verifications.shutdownNow();
        for (String id : List.copyOf(connections.keySet())) {
            OpenConnection open = connections.remove(id);
            if (open != null) {
                open.release();
            }
        }
    }
}
