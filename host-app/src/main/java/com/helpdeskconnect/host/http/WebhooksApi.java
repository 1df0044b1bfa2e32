package com.helpdeskconnect.host.http;

import com.helpdeskconnect.api.errors.ConnectorException;
import com.helpdeskconnect.api.errors.WebhookAuthenticationException;
import com.helpdeskconnect.api.webhook.HelpdeskEvent;
import com.helpdeskconnect.api.webhook.WebhookRequest;
import com.helpdeskconnect.host.integrations.ActiveIntegration;
import com.helpdeskconnect.host.integrations.IntegrationService;
import com.helpdeskconnect.host.storage.ConversationStore;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/v1/webhooks/{integrationId}}: calls from the helpdesk. The connector
 * authenticates and interprets them; the host drops events whose id it has seen before.
 */
final class WebhooksApi {
    private final IntegrationService integrations;
    private final ConversationStore store;

    WebhooksApi(IntegrationService integrations, ConversationStore store) {
        this.integrations = integrations;
        this.store = store;
    }

    void receive(Context ctx) {
        String id = ctx.pathParam("integrationId");
        ActiveIntegration integration = integrations.active(id)
                .orElseThrow(() -> ApiException.notFound("No integration '" + id + "'"));
        Map<String, List<String>> headers = new LinkedHashMap<>();
        ctx.headerMap().forEach((k, v) -> headers.put(k, List.of(v)));
        WebhookRequest request = new WebhookRequest(headers, ctx.queryParamMap(), ctx.bodyAsBytes());
        List<HelpdeskEvent> events;
        try {
            events = integration.connector().call(c -> c.onWebhook(integration.integration(), request));
        } catch (WebhookAuthenticationException e) {
            throw new ApiException(401, "unauthenticated", "The webhook call is not authenticated");
        } catch (UnsupportedOperationException e) {
            throw new ApiException(404, "not_supported", "Connector '" + integration.connector().id() + "' takes no webhooks");
        } catch (ConnectorException e) {
            // a retryable failure asks the helpdesk to deliver again
            throw new ApiException(e.retryable() ? 503 : 422, "helpdesk_error", e.getMessage());
        }
        ctx.json(Map.of("events", events.stream().map(e -> {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("eventId", e.eventId());
            json.put("type", e.getClass().getSimpleName());
            json.put("caseId", e.caseRef().id());
            json.put("duplicate", !store.markWebhookEvent(e.eventId(), id));
            return json;
        }).toList()));
    }
}
