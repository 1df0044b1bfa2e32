package com.helpdeskconnect.api;

import com.helpdeskconnect.api.settings.SettingDescriptor;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The declaration of a connector type: who it is, which settings an integration of it takes and
 * which optional capabilities it has. It describes the type, not any configured integration
 * (that is an {@link IntegrationContext}, opened as a {@link HelpdeskConnection}).
 *
 * @param id           stable machine id, lower case ({@code creatio}); integrations refer to it
 * @param name         display name ({@code Creatio})
 * @param version      the plugin's version
 * @param description  one sentence for the connector picker
 * @param settingsType the record the host binds and validates an integration's settings into
 * @param settings     the settings form, derived from {@code settingsType}
 * @param capabilities the optional operations the connector supports
 */
public record ConnectorDescriptor(
        String id,
        String name,
        String version,
        String description,
        Class<? extends Record> settingsType,
        List<SettingDescriptor> settings,
        Set<Capability> capabilities) {

    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]{1,39}");

    public ConnectorDescriptor {
        Objects.requireNonNull(id, "id");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("Connector id must match " + ID + ": " + id);
        }
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        description = description == null ? "" : description;
        Objects.requireNonNull(settingsType, "settingsType");
        settings = List.copyOf(settings);
        capabilities = capabilities.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(capabilities));
    }

    /** A descriptor whose settings form is read from {@code settingsType}'s {@code @Setting} annotations. */
    public static ConnectorDescriptor of(
            String id, String name, String version, String description,
            Class<? extends Record> settingsType, Set<Capability> capabilities) {
        return new ConnectorDescriptor(id, name, version, description, settingsType,
                SettingDescriptor.describe(settingsType), capabilities);
    }

    /** Whether the connector declared {@code capability}. */
    public boolean supports(Capability capability) {
        return capabilities.contains(capability);
    }
}
