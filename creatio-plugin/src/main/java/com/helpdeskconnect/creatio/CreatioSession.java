package com.helpdeskconnect.creatio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.helpdeskconnect.creatio.auth.BearerTokenInterceptor;
import com.helpdeskconnect.creatio.auth.TokenProvider;
import com.helpdeskconnect.creatio.auth.TokenRefreshingAuthenticator;
import com.helpdeskconnect.creatio.odata.EntityModel;
import com.helpdeskconnect.creatio.odata.ODataClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.OkHttpClient;

/**
 * Everything the connector keeps for one integration: its token, its OData client and the lookups
 * it has read (statuses, lookup rows, the Case model). Lookups change rarely and are read once;
 * an unknown id refreshes them.
 */
public final class CreatioSession {
    private final String integrationId;
    private final CreatioSettings settings;
    private final TokenProvider tokens;
    private final ODataClient odata;
    private final Map<String, List<LookupRow>> lookups = new ConcurrentHashMap<>();
    private final Map<String, UUID> contactsByEmail = new ConcurrentHashMap<>();
    private volatile Map<UUID, CaseStatus> statuses;
    private volatile EntityModel caseModel;

    /** A row of a lookup collection. */
    public record LookupRow(UUID id, String name) {}

    /** A case status and the flags that decide what it means. */
    public record CaseStatus(UUID id, String name, boolean isFinal, boolean isResolved) {}

    CreatioSession(String integrationId, CreatioSettings settings, OkHttpClient base, ObjectMapper json, Clock clock) {
        this.integrationId = integrationId;
        this.settings = settings;
        this.tokens = new TokenProvider(base, settings.effectiveIdentityServerUrl(), settings.clientId(),
                settings.clientSecret(), clock);
        OkHttpClient authorised = base.newBuilder()
                .addInterceptor(new BearerTokenInterceptor(tokens))
                .authenticator(new TokenRefreshingAuthenticator(tokens))
                .build();
        this.odata = new ODataClient(authorised, URI.create(settings.instanceUrl() + "/0/odata"), json, clock);
    }

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
        return URI.create(settings.instanceUrl() + "/0/Nui/ViewModule.aspx#CardModuleV2/CasePage/edit/" + caseId);
    }

    public Map<String, UUID> contactsByEmail() {
        return contactsByEmail;
    }

    /** The site's case statuses with their flags; re-read when {@code mustContain} is unknown. */
    public Map<UUID, CaseStatus> statuses(UUID mustContain) {
        Map<UUID, CaseStatus> current = statuses;
        if (current == null || (mustContain != null && !current.containsKey(mustContain))) {
            Map<UUID, CaseStatus> read = new LinkedHashMap<>();
            for (JsonNode row : odata.list("CaseStatus", Map.of("$select", "Id,Name,IsFinal,IsResolved", "$top", "500"))) {
                UUID id = UUID.fromString(row.path("Id").asText());
                read.put(id, new CaseStatus(id, row.path("Name").asText(""), row.path("IsFinal").asBoolean(false),
                        row.path("IsResolved").asBoolean(false)));
            }
            statuses = current = Map.copyOf(read);
        }
        return current;
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
