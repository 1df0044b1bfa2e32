package com.helpdeskconnect.host.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.helpdeskconnect.host.integrations.IntegrationService;
import com.helpdeskconnect.host.security.ApiKeys;
import com.helpdeskconnect.host.security.Audit;
import com.helpdeskconnect.host.security.Principal;
import com.helpdeskconnect.host.security.Scope;
import com.helpdeskconnect.host.storage.ApiKeyStore.KeyRow;
import com.helpdeskconnect.host.storage.AuditStore;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * {@code /api/v1/api-keys} (create, list, revoke) and {@code /api/v1/audit}; both need the
 * {@code admin} scope. A new key is in the create answer only; afterwards only its hash exists.
 */
final class ApiKeysApi {
    private static final int MAX_NAME = 200;
    private static final int MAX_AUDIT_PAGE = 500;

    private final ApiKeys keys;
    private final Audit audit;
    private final ObjectMapper mapper;
    private final long maxBodyBytes;

    ApiKeysApi(ApiKeys keys, Audit audit, ObjectMapper mapper, long maxBodyBytes) {
        this.keys = keys;
        this.audit = audit;
        this.mapper = mapper;
        this.maxBodyBytes = maxBodyBytes;
    }

    void create(Context ctx) {
        JsonNode body = RequestBodies.json(ctx, mapper, maxBodyBytes);
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("The body must be a JSON object with name, integrations and scopes", Map.of());
        }
        Map<String, String> errors = new LinkedHashMap<>();
        JsonNode nameNode = body.get("name");
        String name = nameNode != null && nameNode.isTextual() ? nameNode.asText().trim() : "";
        if (name.isEmpty() || name.length() > MAX_NAME) {
            errors.put("name", "is required: 1-" + MAX_NAME + " characters");
        }
        Set<Scope> scopes = new LinkedHashSet<>();
        JsonNode scopeNode = body.get("scopes");
        if (scopeNode == null || !scopeNode.isArray() || scopeNode.isEmpty()) {
            errors.put("scopes", "is required: a list of " + Scope.names());
        } else {
            for (JsonNode s : scopeNode) {
                Scope scope = s.isTextual() ? Scope.fromWire(s.asText()).orElse(null) : null;
                if (scope == null) {
                    errors.put("scopes", "must only hold " + Scope.names());
                } else {
                    scopes.add(scope);
                }
            }
        }
        Set<String> integrations = new LinkedHashSet<>();
        JsonNode integrationNode = body.get("integrations");
        if (integrationNode != null && !integrationNode.isNull()) {
            if (!integrationNode.isArray()) {
                errors.put("integrations", "must be a list of integration ids");
            } else {
                for (JsonNode i : integrationNode) {
                    boolean valid = i.isTextual();
                    if (valid) {
                        try {
                            IntegrationService.checkId(i.asText());
                        } catch (ApiException e) {
                            valid = false;
                        }
                    }
                    if (valid) {
                        integrations.add(i.asText());
                    } else {
                        errors.put("integrations", "must be integration ids (letters, digits, '.', '_', '-')");
                    }
                }
            }
        }
        if (!scopes.contains(Scope.ADMIN) && integrations.isEmpty() && !errors.containsKey("integrations")) {
            errors.put("integrations", "is required: the integrations this key may act on (only an admin key covers all)");
        }
        if (!errors.isEmpty()) {
            throw ApiException.badRequest("The API key request is not valid", errors);
        }
        Principal who = Authorizer.principal(ctx);
        ApiKeys.Created created = keys.create(name, scopes.contains(Scope.ADMIN) ? Set.of() : integrations, scopes, who.id());
        audit.record(who, "api_key.create", created.row().id(), "name=" + name + " scopes=" + created.row().scopes()
                + " integrations=" + created.row().integrations());
        Map<String, Object> json = view(created.row());
        json.put("key", created.key()); // the only time it is shown
        ctx.status(201).json(json);
    }

    void list(Context ctx) {
        ctx.json(Map.of("keys", keys.list().stream().map(ApiKeysApi::view).toList()));
    }

    void revoke(Context ctx) {
        String id = ctx.pathParam("id");
        KeyRow row = keys.find(id).orElseThrow(() -> ApiException.notFound("No API key '" + id + "'"));
        keys.revoke(id);
        audit.record(Authorizer.principal(ctx), "api_key.revoke", id, "name=" + row.name());
        ctx.status(204);
    }

    void audit(Context ctx) {
        int limit = intParam(ctx, "limit", 100);
        long before = intParam(ctx, "before", 0);
        if (limit < 1 || limit > MAX_AUDIT_PAGE) {
            throw ApiException.badRequest("limit is out of range", Map.of("limit", "must be 1-" + MAX_AUDIT_PAGE));
        }
        ctx.json(Map.of("entries", audit.recent(limit, before).stream().map(ApiKeysApi::entry).toList()));
    }

    private static int intParam(Context ctx, String name, int fallback) {
        String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + " must be a whole number", Map.of(name, "must be a whole number"));
        }
    }

    private static Map<String, Object> view(KeyRow row) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", row.id());
        json.put("name", row.name());
        json.put("integrations", row.integrations());
        json.put("scopes", row.scopes());
        json.put("createdBy", row.createdBy());
        json.put("createdAt", row.createdAt().toString());
        json.put("revokedAt", row.revokedAt() == null ? null : row.revokedAt().toString());
        return json;
    }

    private static Map<String, Object> entry(AuditStore.Entry e) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", e.id());
        json.put("at", e.at().toString());
        json.put("actor", Map.of("id", e.actorId(), "name", e.actorName()));
        json.put("action", e.action());
        json.put("target", e.target());
        json.put("detail", e.detail());
        return json;
    }
}
