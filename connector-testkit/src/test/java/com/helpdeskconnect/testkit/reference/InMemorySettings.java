package com.helpdeskconnect.testkit.reference;

import com.helpdeskconnect.api.settings.Secret;
import com.helpdeskconnect.api.settings.Setting;
import jakarta.validation.constraints.NotNull;
import java.net.URI;

/** Settings of the in-memory reference connector. */
public record InMemorySettings(
        @Setting(label = "Helpdesk URL", help = "Where the helpdesk lives; its path names the in-memory helpdesk.")
        @NotNull URI url,
        @Setting(label = "API key")
        @NotNull Secret apiKey,
        @Setting(label = "Webhook signing secret", help = "Signs the helpdesk's webhook calls; generated when left empty.",
                generated = true)
        @NotNull Secret webhookSecret) {}
