package com.helpdeskconnect.testkit.reference;

import com.helpdeskconnect.api.settings.Secret;
import com.helpdeskconnect.api.settings.Setting;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

/** Settings of the in-memory reference connector. */
public record InMemorySettings(
        @Setting(label = "Helpdesk name", help = "Which in-memory helpdesk to talk to.")
        @NotBlank String helpdesk,
        @Setting(label = "API key")
        @NotNull Secret apiKey,
        @Setting(label = "Webhook secret", help = "Sent by the helpdesk in the X-Webhook-Secret header.")
        @NotNull Secret webhookSecret,
        @Setting(label = "Create case only on handoff", defaultValue = "false")
        boolean createCaseOnlyOnHandoff) {}
