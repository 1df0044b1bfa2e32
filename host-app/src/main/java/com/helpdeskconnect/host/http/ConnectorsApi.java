package com.helpdeskconnect.host.http;

import com.helpdeskconnect.api.ConnectorDescriptor;
import com.helpdeskconnect.api.settings.SettingDescriptor;
import com.helpdeskconnect.host.plugins.LoadedConnector;
import com.helpdeskconnect.host.plugins.PluginFailure;
import com.helpdeskconnect.host.plugins.PluginRuntime;
import io.javalin.http.Context;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /api/v1/connectors}: what the loaded plugins offer, and which jars failed. */
final class ConnectorsApi {
    private final PluginRuntime plugins;

    ConnectorsApi(PluginRuntime plugins) {
        this.plugins = plugins;
    }

    void list(Context ctx) {
        List<Map<String, Object>> connectors = plugins.connectors().stream()
                .sorted(Comparator.comparing(LoadedConnector::id))
                .map(ConnectorsApi::describe)
                .toList();
        List<Map<String, Object>> failures = plugins.failures().stream().map(ConnectorsApi::failure).toList();
        ctx.json(Map.of("connectors", connectors, "failures", failures));
    }

    static Map<String, Object> describe(LoadedConnector connector) {
        ConnectorDescriptor d = connector.descriptor();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", d.id());
        json.put("name", d.name());
        json.put("version", d.version());
        json.put("description", d.description());
        json.put("plugin", connector.pluginId());
        json.put("capabilities", d.capabilities().stream().map(Enum::name).sorted().toList());
        json.put("settings", d.settings().stream().map(ConnectorsApi::setting).toList());
        return json;
    }

    private static Map<String, Object> setting(SettingDescriptor s) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", s.name());
        json.put("label", s.label());
        json.put("type", s.type().name());
        json.put("required", s.required());
        json.put("secret", s.secret());
        json.put("help", s.help());
        json.put("default", s.defaultValue());
        json.put("options", s.options());
        // a secret the host makes when left empty (the webhook secret), and the settings a secret follows
        json.put("generated", s.generated());
        json.put("boundTo", s.boundTo());
        return json;
    }

    private static Map<String, Object> failure(PluginFailure f) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("file", f.file().getFileName().toString());
        json.put("pluginId", f.pluginId());
        json.put("reason", f.reason());
        return json;
    }
}
