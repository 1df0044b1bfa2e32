package com.helpdeskconnect.host.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.helpdeskconnect.api.cases.FieldDescriptor;
import com.helpdeskconnect.host.integrations.IntegrationService;
import com.helpdeskconnect.host.storage.IntegrationStore.StoredIntegration;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import com.helpdeskconnect.host.sync.CallbackSigner;
import java.util.function.Supplier;
import com.helpdeskconnect.host.security.Audit;

/** {@code /api/v1/integrations/{id}}: save (PUT), read (GET), remove (DELETE), field catalogue. */
final class IntegrationsApi {
    private final IntegrationService integrations;
    private final ObjectMapper mapper;
    private final Supplier<String> baseUrl;
    private final Audit audit;

    private final long maxBodyBytes;

    IntegrationsApi(IntegrationService integrations, ObjectMapper mapper, Supplier<String> baseUrl, Audit audit, long maxBodyBytes) {
        this.audit = audit;
        this.maxBodyBytes = maxBodyBytes;
        this.integrations = integrations;
        this.mapper = mapper;
        this.baseUrl = baseUrl;
    }

    void put(Context ctx) throws Exception {
        String id = ctx.pathParam("id");
        IntegrationService.checkId(id);
        JsonNode body = RequestBodies.json(ctx, mapper, maxBodyBytes);
        Map<String, String> errors = new LinkedHashMap<>();
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("The body must be a JSON object with 'connector' and 'settings'", Map.of());
        }
        JsonNode connector = body.get("connector");
        if (connector == null || !connector.isTextual() || connector.asText().isBlank()) {
            errors.put("connector", "is required: the id of a loaded connector");
        }
        JsonNode settings = body.get("settings");
        if (settings == null || !settings.isObject()) {
            errors.put("settings", "is required: an object of setting names to values");
        }
        // absent keeps the stored callback URL; null or "" removes it
        JsonNode callback = body.get("callbackUrl");
        Optional<String> callbackUrl = Optional.empty();
        if (callback != null) {
            if (callback.isNull()) {
                callbackUrl = Optional.of("");
            } else if (callback.isTextual()) {
                callbackUrl = Optional.of(callback.asText());
            } else {
                errors.put("callbackUrl", "must be an http(s) URL, or null to remove it");
            }
        }
        // absent keeps every option; an option left out of the object keeps its value
        JsonNode options = body.get("options");
        if (options != null && !options.isNull() && !options.isObject()) {
            errors.put("options", "must be an object such as {\"createCaseOnlyOnHandoff\": false}");
        }
        if (!errors.isEmpty()) {
            throw ApiException.badRequest("The integration is incomplete", errors);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> raw = mapper.convertValue(settings, Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> optionChanges = options == null || options.isNull() ? Map.of() : mapper.convertValue(options, Map.class);
        StoredIntegration saved = integrations.save(id, connector.asText(), raw, callbackUrl, optionChanges);
        audit.record(Authorizer.principal(ctx), "integration.save", id, "connector=" + saved.connectorId());
        ctx.json(view(saved));
    }

    void get(Context ctx) {
        String id = ctx.pathParam("id");
        ctx.json(view(integrations.find(id).orElseThrow(() -> ApiException.notFound("No integration '" + id + "'"))));
    }

    void delete(Context ctx) {
        String id = ctx.pathParam("id");
        if (!integrations.delete(id)) {
            throw ApiException.notFound("No integration '" + id + "'");
        }
        audit.record(Authorizer.principal(ctx), "integration.delete", id, null);
        ctx.status(204);
    }

    void fields(Context ctx) {
        String id = ctx.pathParam("id");
        List<FieldDescriptor> fields = integrations.fields(id);
        ctx.json(Map.of("integrationId", id, "fields", fields.stream().map(f -> {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("name", f.name());
            json.put("label", f.label());
            json.put("type", f.type().name());
            json.put("allowedValues", f.allowedValues());
            json.put("description", f.description());
            return json;
        }).toList()));
    }

    private Map<String, Object> view(StoredIntegration stored) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", stored.id());
        json.put("connector", stored.connectorId());
        json.put("settings", integrations.maskedSettings(stored));
        json.put("options", integrations.options(stored).asMap());
        json.put("callbackUrl", stored.callbackUrl());
        // shown on purpose: the admin must copy both into the helpdesk's webhook configuration; the
        // secret is the connector's generated secret setting (null when it declares none)
        Map<String, Object> webhook = new LinkedHashMap<>();
        webhook.put("url", baseUrl.get() + "/webhooks/" + stored.id());
        webhook.put("secret", integrations.webhookSecret(stored));
        json.put("webhook", webhook);
        // shown on purpose: the customer channel verifies our callbacks with this key
        Map<String, Object> cb = new LinkedHashMap<>();
        cb.put("url", stored.callbackUrl());
        cb.put("secret", stored.callbackSecret());
        cb.put("signatureHeader", CallbackSigner.SIGNATURE_HEADER);
        // the same key for Standard Webhooks libraries (webhook-id, webhook-timestamp, webhook-signature)
        cb.put("standardWebhooksSecret", stored.callbackSecret() == null ? null
                : CallbackSigner.standardSecret(stored.callbackSecret()));
        json.put("callback", cb);
        // while the helpdesk's rate limit pauses the integration's work; null otherwise
        json.put("rateLimitedUntil", integrations.rateLimitedUntil(stored).orElse(null));
        json.put("createdAt", stored.createdAt());
        json.put("updatedAt", stored.updatedAt());
        return json;
    }
}
