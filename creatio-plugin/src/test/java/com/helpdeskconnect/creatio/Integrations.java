package com.helpdeskconnect.creatio;

import com.helpdeskconnect.api.Integration;
import com.helpdeskconnect.api.settings.Settings;
import com.helpdeskconnect.api.settings.SettingsBinder;
import com.helpdeskconnect.sandbox.CreatioSandbox;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Builds integrations the way the host does: raw settings, bound and validated. */
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

    static Integration of(Map<String, Object> raw) {
        return new Integration("it-" + UUID.randomUUID(), bind(raw));
    }

    static Integration of(CreatioSandbox sandbox) {
        return of(settingsFor(sandbox));
    }

    static CreatioSettings bind(Map<String, Object> raw) {
        return SettingsBinder.bind(Settings.of(raw), CreatioSettings.class, VALIDATOR);
    }
}
