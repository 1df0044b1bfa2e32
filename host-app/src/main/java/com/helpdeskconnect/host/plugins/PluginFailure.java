package com.helpdeskconnect.host.plugins;

import java.nio.file.Path;

/**
 * A plugin jar that did not become a usable connector, and why. Reported by
 * {@code plugins list}, on start-up and in {@code GET /api/v1/connectors}.
 *
 * @param file     the jar in the plugins folder
 * @param pluginId the plugin id from its manifest, or {@code null} if it could not be read
 * @param reason   what went wrong, in words an operator can act on
 */
public record PluginFailure(Path file, String pluginId, String reason) {

    @Override
    public String toString() {
        return file.getFileName() + (pluginId == null ? "" : " (" + pluginId + ")") + ": " + reason;
    }
}
