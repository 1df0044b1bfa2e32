package com.helpdeskconnect.host.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.helpdeskconnect.api.errors.ConnectorException;
import com.helpdeskconnect.api.errors.ErrorKind;
import com.helpdeskconnect.api.errors.WebhookAuthenticationException;
import com.helpdeskconnect.api.webhook.WebhookRequest;
import com.helpdeskconnect.host.integrations.ActiveIntegration;
import com.helpdeskconnect.host.integrations.IntegrationService;
import com.helpdeskconnect.host.storage.WebhookInbox;
import com.helpdeskconnect.host.sync.WebhookProcessor;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code POST /webhooks/{integrationId}} (and its older alias {@code /api/v1/webhooks/...}): calls
 * from the helpdesk's business processes. Order of checks: declared size (413), integration (404),
 * authentication by the connector (401), then the body is read, at most {@link #MAX_BODY_BYTES}
 * (413, also when chunked), and JSON checked (400); only then is the call stored and answered
 * 202. Reading it (the connector's {@code onWebhook}) happens after the answer, in
 * {@link WebhookProcessor}; event ids are deduplicated there.
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
        // nothing of the body is read before the integration is known and the caller authenticated
        if (ctx.req().getContentLengthLong() > MAX_BODY_BYTES) {
            throw new ApiException(413, "request_too_large", "A webhook body may have at most " + MAX_BODY_BYTES + " bytes");
        }
        String id = ctx.pathParam("integrationId");
        if (!Ids.valid(id)) {
            throw ApiException.notFound("No integration '" + id + "'");
        }
        ActiveIntegration integration = integrations.active(id)
                .orElseThrow(() -> ApiException.notFound("No integration '" + id + "'"));
        Map<String, List<String>> headers = new LinkedHashMap<>();
        ctx.headerMap().forEach((k, v) -> headers.put(k, List.of(v)));
        authenticate(integration, new WebhookRequest(headers, ctx.queryParamMap(), new byte[0]));
        byte[] body = RequestBodies.read(ctx, MAX_BODY_BYTES);
        String contentType = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
        if (contentType.contains("json")) {
            RequestBodies.parse(body, mapper);
        }
        long stored = inbox.store(id, new WebhookRequest(headers, ctx.queryParamMap(), body));
        processor.wake();
        ctx.status(202).json(Map.of("status", "accepted", "webhookId", stored));
    }

    /**
     * Lets the connector authenticate the call before anything is stored. It gets the real headers
     * and query with an empty body: connectors check credentials before reading (Creatio's shared
     * secret header), so this costs no helpdesk round trip. Only a clean answer or a permanent
     * refusal of the (empty) body counts as authenticated; anything else fails closed: nothing is
     * stored and the helpdesk retries. A connector that signs the body would need an SPI method of
     * its own for this (see the host README).
     */
    private static void authenticate(ActiveIntegration integration, WebhookRequest probe) {
        try {
            integration.connector().call(c -> c.onWebhook(integration.integration(), probe));
        } catch (WebhookAuthenticationException e) {
            throw new ApiException(401, "unauthenticated", "The webhook call is not authenticated");
        } catch (UnsupportedOperationException e) {
            throw new ApiException(404, "not_supported", "Connector '" + integration.connector().id() + "' takes no webhooks");
        } catch (ConnectorException e) {
            if (e.kind() != ErrorKind.PERMANENT) {
                throw new ApiException(503, "cannot_authenticate", "The webhook call could not be checked now; retry later");
            }
            // authenticated; the empty body itself was refused, which is the point of the probe
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
