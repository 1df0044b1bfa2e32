package com.helpdeskconnect.creatio;

import com.helpdeskconnect.api.OperationContext;
import com.helpdeskconnect.api.net.OutboundPolicy;
import com.helpdeskconnect.api.settings.Settings;
import com.helpdeskconnect.api.settings.SettingsBinder;
import com.helpdeskconnect.api.state.ConnectorState;
import com.helpdeskconnect.sandbox.CreatioSandbox;
import com.helpdeskconnect.testkit.ContractIntegrationContext;
import com.helpdeskconnect.testkit.ContractOutboundPolicies;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Builds integrations the way the host does: raw settings, bound and validated, then opened. */
final class Integrations {
    static final Validator VALIDATOR = Validation.byDefaultProvider().configure().buildValidatorFactory().getValidator();

    private Integrations() {}

    static Map<String, Object> settingsFor(CreatioSandbox sandbox) {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("instanceUrl", sandbox.baseUrl());
        raw.put("identityServerUrl", sandbox.identityUrl());
        raw.put("clientId", sandbox.clientId());
        raw.put("clientSecret", sandbox.clientSecret());
        raw.put("webhookSecret", "hook-secret-for-tests");
        return raw;
    }

    static CreatioSettings bind(Map<String, Object> raw) {
        return SettingsBinder.bind(Settings.of(raw), CreatioSettings.class, VALIDATOR);
    }

    /** A new integration on these settings under a loopback-only outbound policy, as the host's tests allow. */
    static ContractIntegrationContext context(Map<String, Object> raw) {
        return context(raw, ContractOutboundPolicies.loopbackOnly());
    }

    static ContractIntegrationContext context(Map<String, Object> raw, OutboundPolicy policy) {
        String id = "it-" + UUID.randomUUID();
        return new ContractIntegrationContext(id, bind(raw), ConnectorState.inMemory(), policy,
                URI.create("http://127.0.0.1:9/webhooks/" + id));
    }

    static CreatioConnection open(CreatioConnector connector, Map<String, Object> raw) {
        return (CreatioConnection) connector.open(context(raw));
    }

    static CreatioConnection open(CreatioConnector connector, CreatioSandbox sandbox) {
        return open(connector, settingsFor(sandbox));
    }

    /** A first attempt of an operation for a conversation. */
    static OperationContext op(String conversationId) {
        return OperationContext.forEvent("it", conversationId, "evt-" + UUID.randomUUID(), 1, Instant.now());
    }

    /** A first attempt of an operation of some conversation. */
    static OperationContext op() {
        return op("conv-" + UUID.randomUUID());
    }
}
