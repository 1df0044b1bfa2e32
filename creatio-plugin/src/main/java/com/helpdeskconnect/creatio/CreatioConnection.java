package com.helpdeskconnect.creatio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.helpdeskconnect.api.HelpdeskConnection;
import com.helpdeskconnect.api.OperationContext;
import com.helpdeskconnect.api.VerificationResult;
import com.helpdeskconnect.api.cases.Activity;
import com.helpdeskconnect.api.cases.CaseDraft;
import com.helpdeskconnect.api.cases.CaseRef;
import com.helpdeskconnect.api.cases.FieldDescriptor;
import com.helpdeskconnect.api.cases.FieldValues;
import com.helpdeskconnect.api.cases.FillResult;
import com.helpdeskconnect.api.cases.Handoff;
import com.helpdeskconnect.api.cases.HandoffResult;
import com.helpdeskconnect.api.cases.Resolution;
import com.helpdeskconnect.api.errors.ConnectorException;
import com.helpdeskconnect.api.errors.InvalidSettingsException;
import com.helpdeskconnect.api.errors.PermanentException;
import com.helpdeskconnect.api.net.OutboundPolicy;
import com.helpdeskconnect.api.webhook.HelpdeskEvent;
import com.helpdeskconnect.api.webhook.WebhookRequest;
import com.helpdeskconnect.creatio.auth.BearerTokenInterceptor;
import com.helpdeskconnect.creatio.auth.TokenProvider;
import com.helpdeskconnect.creatio.auth.TokenRefreshingAuthenticator;
import com.helpdeskconnect.creatio.cases.ActivityWriter;
import com.helpdeskconnect.creatio.cases.CaseWriter;
import com.helpdeskconnect.creatio.cases.HandoffWriter;
import com.helpdeskconnect.creatio.fields.FieldFiller;
import com.helpdeskconnect.creatio.odata.EntityModel;
import com.helpdeskconnect.creatio.odata.ODataClient;
import com.helpdeskconnect.creatio.webhook.WebhookReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One integration's connection to its Creatio site: its HTTP client (under the host's outbound
 * policy), its token, its OData client and the lookups it has read (statuses, lookup rows, the Case
 * model, contacts). Lookups change rarely and are read once; an unknown id refreshes them.
 * Thread-safe: the host calls it from many threads.
 */
public final class CreatioConnection implements HelpdeskConnection {
    private static final Logger LOG = LoggerFactory.getLogger(CreatioConnection.class);
    /** verify() answers an admin waiting on a form: no call of it waits longer than this. */
    static final Duration VERIFY_CALL_TIMEOUT = Duration.ofSeconds(5);

    private final String integrationId;
    private final CreatioSettings settings;
    private final ObjectMapper json;
    private final Clock clock;
    private final OkHttpClient http;
    private final TokenProvider tokens;
    private final ODataClient odata;
    /** Settings the outbound policy refused, by name; every operation fails with them. */
    private final Map<String, String> refusedSettings;
    private final Map<String, List<LookupRow>> lookups = new ConcurrentHashMap<>();
    private final Map<String, UUID> contactsByEmail = new ConcurrentHashMap<>();
    private final Map<String, String> contactNames = new ConcurrentHashMap<>();
    private volatile Map<UUID, CaseStatus> statuses;
    private volatile EntityModel caseModel;

    /** A row of a lookup collection. */
    public record LookupRow(UUID id, String name) {}

    /** A case status and the flags that decide what it means. */
    public record CaseStatus(UUID id, String name, boolean isFinal, boolean isResolved, boolean isPaused) {}

    CreatioConnection(String integrationId, CreatioSettings settings, OutboundPolicy outbound, OkHttpClient base,
                      ObjectMapper json, Clock clock) {
        this.integrationId = integrationId;
        this.settings = settings;
        this.json = json;
        this.clock = clock;
        this.refusedSettings = refusedSettings(settings, outbound);
        // Every connection goes through the host's policy: names resolve to permitted addresses only,
        // and the socket checks the address it really connects to.
        this.http = base.newBuilder()
                .dns(outbound::lookup)
                .socketFactory(outbound.socketFactory())
                .followRedirects(false)
                .followSslRedirects(false)
                .build();
        this.tokens = tokenProvider(http);
        this.odata = odataClient(http, tokens);
    }

    private TokenProvider tokenProvider(OkHttpClient client) {
        return new TokenProvider(client, settings.effectiveIdentityServerUrl(), settings.clientId(),
                settings.clientSecret(), clock);
    }

    private ODataClient odataClient(OkHttpClient client, TokenProvider tokenProvider) {
        OkHttpClient authorised = client.newBuilder()
                .addInterceptor(new BearerTokenInterceptor(tokenProvider))
                .authenticator(new TokenRefreshingAuthenticator(tokenProvider))
                .build();
        return new ODataClient(authorised, settings.odataRoot(), json, clock);
    }

    private static Map<String, String> refusedSettings(CreatioSettings settings, OutboundPolicy outbound) {
        Map<String, String> refused = new LinkedHashMap<>();
        check(outbound, "instanceUrl", settings.instanceUrl(), refused);
        check(outbound, "identityServerUrl", settings.effectiveIdentityServerUrl(), refused);
        return Map.copyOf(refused);
    }

    private static void check(OutboundPolicy outbound, String setting, URI url, Map<String, String> refused) {
        if (url == null) {
            return;
        }
        try {
            outbound.checkUrl(url);
        } catch (IllegalArgumentException e) {
            refused.put(setting, "is not allowed by this host's outbound policy: " + e.getMessage());
        }
    }

    // ---- the SPI ---------------------------------------------------------------------------------

    @Override
    public VerificationResult verify() {
        if (!refusedSettings.isEmpty()) {
            return CreatioVerifier.refused(new InvalidSettingsException(refusedSettings));
        }
        // Its own client with short timeouts and its own token: verify proves the settings afresh.
        OkHttpClient quick = http.newBuilder()
                .connectTimeout(VERIFY_CALL_TIMEOUT)
                .readTimeout(VERIFY_CALL_TIMEOUT)
                .callTimeout(VERIFY_CALL_TIMEOUT)
                .build();
        TokenProvider probeTokens = tokenProvider(quick);
        return guard(() -> CreatioVerifier.verify(this, probeTokens, odataClient(quick, probeTokens)));
    }

    @Override
    public CaseRef createCase(OperationContext operation, CaseDraft draft, List<Activity> firstActivities) {
        return guard(() -> CaseWriter.create(this, draft, firstActivities));
    }

    @Override
    public CaseRef appendActivity(OperationContext operation, CaseRef caseRef, Activity activity) {
        return guard(() -> ActivityWriter.append(this, caseRef, List.of(activity)));
    }

    @Override
    public CaseRef appendActivities(OperationContext operation, CaseRef caseRef, List<Activity> activities) {
        return guard(() -> ActivityWriter.append(this, caseRef, activities));
    }

    @Override
    public FillResult handOff(OperationContext operation, CaseRef caseRef, Handoff handoff) {
        return guard(() -> HandoffWriter.handOff(this, caseRef, handoff));
    }

    /** AI messages, summary and case update in one {@code $batch} (see {@link HandoffWriter}). */
    @Override
    public HandoffResult appendAndHandOff(OperationContext operation, CaseRef caseRef, List<Activity> activities,
                                          Handoff handoff) {
        return guard(() -> HandoffWriter.appendAndHandOff(this, caseRef, activities, handoff));
    }

    @Override
    public void resolve(OperationContext operation, CaseRef caseRef, Resolution resolution) {
        guard(() -> {
            CaseWriter.resolve(this, caseRef, resolution);
            return null;
        });
    }

    @Override
    public List<FieldDescriptor> describeFields() {
        return guard(() -> FieldFiller.describe(this));
    }

    @Override
    public FillResult fillFields(OperationContext operation, CaseRef caseRef, FieldValues values) {
        return guard(() -> FieldFiller.fill(this, caseRef, values));
    }

    /** Checks the shared-secret header only: no Creatio call, nothing read from the body. */
    @Override
    public void authenticateWebhook(WebhookRequest request) {
        WebhookReader.authenticate(settings, request);
    }

    @Override
    public List<HelpdeskEvent> onWebhook(OperationContext operation, WebhookRequest request) {
        return guard(() -> WebhookReader.read(this, request));
    }

    /** Nothing to release: the HTTP pool belongs to the connector, the caches go with this object. */
    @Override
    public void close() {
        lookups.clear();
        contactsByEmail.clear();
        contactNames.clear();
    }

    /** Nothing but SPI errors leaves the connection; a setting the policy refused fails every call. */
    private <T> T guard(Supplier<T> call) {
        try {
            if (!refusedSettings.isEmpty()) {
                throw new InvalidSettingsException(refusedSettings);
            }
            return call.get();
        } catch (ConnectorException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warn("Unexpected failure in the Creatio connector: {}", e.getClass().getName());
            throw new PermanentException("Unexpected failure in the Creatio connector (" + e.getClass().getSimpleName() + ")");
        }
    }

    // ---- what the writers and readers share ----------------------------------------------------

    public String integrationId() {
        return integrationId;
    }

    public CreatioSettings settings() {
        return settings;
    }

    public ODataClient odata() {
        return odata;
    }

    public TokenProvider tokens() {
        return tokens;
    }

    /** A record id derived from the integration and a key: retries of one write hit one record. */
    public UUID deterministicId(String kind, String key) {
        return UUID.nameUUIDFromBytes(("helpdesk-connect:" + kind + ":" + integrationId + ":" + key)
                .getBytes(StandardCharsets.UTF_8));
    }

    /** Where an agent opens the case. */
    public URI caseLink(String caseId) {
        return URI.create(settings.instanceUrl() + settings.appPrefix() + "/Nui/ViewModule.aspx#CardModuleV2/CasePage/edit/"
                + caseId);
    }

    public Map<String, UUID> contactsByEmail() {
        return contactsByEmail;
    }

    /**
     * A contact's name as Creatio has it (what agents are called in replies), read once per contact.
     * Empty when the contact is gone or nameless.
     */
    public Optional<String> contactName(String contactId) {
        UUID id;
        try {
            id = UUID.fromString(contactId);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (id.equals(CreatioIds.EMPTY)) {
            return Optional.empty();
        }
        String name = contactNames.get(id.toString());
        if (name == null) {
            name = odata.find("Contact(" + id + ")", Map.of("$select", "Id,Name"))
                    .map(c -> c.path("Name").asText("").strip()).orElse("");
            contactNames.put(id.toString(), name);
        }
        return name.isEmpty() ? Optional.empty() : Optional.of(name);
    }

    /** The site's case statuses with their flags; re-read when {@code mustContain} is unknown. */
    public Map<UUID, CaseStatus> statuses(UUID mustContain) {
        Map<UUID, CaseStatus> current = statuses;
        if (current == null || (mustContain != null && !current.containsKey(mustContain))) {
            statuses = current = readStatuses(odata);
        }
        return current;
    }

    static Map<UUID, CaseStatus> readStatuses(ODataClient client) {
        Map<UUID, CaseStatus> read = new LinkedHashMap<>();
        for (JsonNode row : client.list("CaseStatus", Map.of("$select", "Id,Name,IsFinal,IsResolved,IsPaused", "$top", "500"))) {
            UUID id = UUID.fromString(row.path("Id").asText());
            read.put(id, new CaseStatus(id, row.path("Name").asText(""), row.path("IsFinal").asBoolean(false),
                    row.path("IsResolved").asBoolean(false), row.path("IsPaused").asBoolean(false)));
        }
        return Map.copyOf(read);
    }

    /** The rows (Id, Name) of a lookup collection such as {@code CasePriority}. */
    public List<LookupRow> lookup(String collection) {
        return lookups.computeIfAbsent(collection, c -> odata.list(c, Map.of("$select", "Id,Name", "$top", "1000"))
                .stream()
                .map(row -> new LookupRow(UUID.fromString(row.path("Id").asText()), row.path("Name").asText("")))
                .toList());
    }

    /** The Case entity as {@code $metadata} describes it, read once. */
    public EntityModel caseModel() {
        EntityModel model = caseModel;
        if (model == null) {
            caseModel = model = EntityModel.parse(odata.metadata(), "Case");
        }
        return model;
    }
}
