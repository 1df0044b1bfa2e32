package com.helpdeskconnect.host.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.helpdeskconnect.api.Capability;
import com.helpdeskconnect.api.errors.WebhookAuthenticationException;
import com.helpdeskconnect.api.webhook.WebhookRequest;
import com.helpdeskconnect.host.integrations.ActiveIntegration;
import com.helpdeskconnect.host.integrations.IntegrationService;
import com.helpdeskconnect.host.storage.WebhookInbox;
import com.helpdeskconnect.host.sync.WebhookProcessor;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code POST /webhooks/{integrationId}} (and its older alias {@code /api/v1/webhooks/...}): calls
 * from the helpdesk. Order of checks: declared size (413), integration (404), the connector takes
 * webhooks (404), then the body is read, at most {@link #MAX_BODY_BYTES} (413, also when chunked),
 * then the connection authenticates the call, once, over the exact bytes, every header and the
 * arrival time (401), then JSON is checked (400); only then is the call stored, with its arrival
 * time, and answered 202. Reading it (the connector's {@code onWebhook}) happens after the answer, in
 * {@link WebhookProcessor}, and never authenticates again; event ids are deduplicated there.
 */
final class WebhooksApi {
    /** Creatio's payloads are three ids; anything near this size is not one of ours. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    private final IntegrationService integrations;
    private final WebhookInbox inbox;
    private final WebhookProcessor processor;
    private final ObjectMapper mapper;

    WebhooksApi(IntegrationService integrations, WebhookInbox inbox, WebhookProcessor processor, ObjectMapper mapper) {
        this.integrations = integrations;
        this.inbox = inbox;
        this.processor = processor;
        this.mapper = mapper;
    }

    void receive(Context ctx) {
        Instant receivedAt = Instant.now();
        // nothing of the body is read before the integration is known to take webhooks
        if (ctx.req().getContentLengthLong() > MAX_BODY_BYTES) {
            throw new ApiException(413, "request_too_large", "A webhook body may have at most " + MAX_BODY_BYTES + " bytes");
        }
        String id = ctx.pathParam("integrationId");
        if (!Ids.valid(id)) {
            throw ApiException.notFound("No integration '" + id + "'");
        }
        try (ActiveIntegration integration = integrations.acquire(id)
                .orElseThrow(() -> ApiException.notFound("No integration '" + id + "'"))) {
            if (!integration.supports(Capability.WEBHOOKS)) {
                throw new ApiException(404, "not_supported", "Connector '" + integration.connector().id() + "' takes no webhooks");
            }
            byte[] body = RequestBodies.read(ctx, MAX_BODY_BYTES);
            WebhookRequest request = new WebhookRequest(headers(ctx), ctx.queryParamMap(), body, receivedAt);
            authenticate(integration, request);
            String contentType = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
            if (contentType.contains("json")) {
                RequestBodies.parse(body, mapper);
            }
            long stored = inbox.store(id, request);
            processor.wake();
            ctx.status(202).json(Map.of("status", "accepted", "webhookId", stored));
        }
    }

    /** Every header with all its values, as the helpdesk sent them (a signature may cover any of them). */
    private static Map<String, List<String>> headers(Context ctx) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : Collections.list(ctx.req().getHeaderNames())) {
            headers.put(name, Collections.list(ctx.req().getHeaders(name)));
        }
        return headers;
    }

    /**
     * The connection decides whether the call is the helpdesk's, on the request thread and without a
     * helpdesk call. Only {@link WebhookAuthenticationException} means 401; anything else fails closed
     * with 503 (nothing is stored, the helpdesk retries).
     */
    private static void authenticate(ActiveIntegration integration, WebhookRequest request) {
        try {
            integration.run(c -> c.authenticateWebhook(request));
        } catch (WebhookAuthenticationException e) {
            throw new ApiException(401, "unauthenticated", "The webhook call is not authenticated");
        } catch (UnsupportedOperationException e) {
            throw new ApiException(404, "not_supported", "Connector '" + integration.connector().id() + "' takes no webhooks");
        } catch (RuntimeException e) {
            throw new ApiException(503, "cannot_authenticate", "The webhook call could not be checked now; retry later");
        }
    }

    void recent(Context ctx) {
        String id = ctx.pathParam("integrationId");
        integrations.find(id).orElseThrow(() -> ApiException.notFound("No integration '" + id + "'"));
        ctx.json(Map.of("integrationId", id, "webhooks", inbox.recent(id, 50).stream().map(s -> {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("webhookId", s.id());
            json.put("state", s.state());
            json.put("attempts", s.attempts());
            json.put("note", s.note());
            json.put("receivedAt", s.receivedAt());
            return json;
        }).toList()));
    }
}
