package com.helpdeskconnect.zendesk;

import com.helpdeskconnect.api.IntegrationContext;
import com.helpdeskconnect.api.OperationContext;
import com.helpdeskconnect.api.net.OutboundPolicy;
import com.helpdeskconnect.api.settings.Settings;
import com.helpdeskconnect.api.settings.SettingsBinder;
import com.helpdeskconnect.api.state.ConnectorState;
import com.helpdeskconnect.zendesk.sandbox.ZendeskSandbox;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Builds connections the way the host does: raw settings, bound and validated, a context with state and policy. */
final class Integrations {
    static final Validator VALIDATOR = Validation.byDefaultProvider().configure().buildValidatorFactory().getValidator();

    private Integrations() {}

    /** What the host gives a connection; the test keeps the state to open a second connection on it. */
    record Context(String integrationId, ZendeskSettings settings, ConnectorState state, OutboundPolicy outbound)
            implements IntegrationContext {
        @Override
        public <S extends Record> S settings(Class<S> type) {
            return type.cast(settings);
        }

        @Override
        public URI webhookUrl() {
            return URI.create("https://connect.example.com/api/v1/webhooks/" + integrationId);
        }
    }

    static Map<String, Object> settingsFor(ZendeskSandbox sandbox) {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("instanceUrl", sandbox.baseUrl());
        raw.put("email", sandbox.email());
        raw.put("apiToken", sandbox.apiToken());
        raw.put("webhookSigningSecret", sandbox.signingSecret());
        return raw;
    }

    static ZendeskSettings bind(Map<String, Object> raw) {
        return SettingsBinder.bind(Settings.of(raw), ZendeskSettings.class, VALIDATOR);
    }

    static Context context(Map<String, Object> raw) {
        return new Context("it-" + UUID.randomUUID(), bind(raw), ConnectorState.inMemory(), OutboundPolicy.unrestricted());
    }

    static ZendeskConnection open(ZendeskConnector connector, Context context) {
        return (ZendeskConnection) connector.open(context);
    }

    static ZendeskConnection open(ZendeskConnector connector, ZendeskSandbox sandbox) {
        return open(connector, context(settingsFor(sandbox)));
    }

    /** The first attempt of a conversation's operation. */
    static OperationContext op(String integrationId, String conversationId, String eventId) {
        return OperationContext.forEvent(integrationId, conversationId, eventId, 1, Instant.now());
    }

    static OperationContext op(ZendeskConnection connection, String conversationId, String eventId) {
        return op(connection.session().integrationId(), conversationId, eventId);
    }
}
