package com.helpdeskconnect.host.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Per-connector setup guides for the console, as data in the jar ({@code /admin/guides/<connector
 * id>.json}): the helpdesk's wiring steps and the troubleshooting entries the setup check points
 * to. A connector without a guide gets {@code generic.json}, so a new plugin works with no console
 * code; adding its guide is one JSON file.
 */
public final class Guides {
    public static final String GENERIC = "generic";
    private static final Pattern CONNECTOR_ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,39}");

    private final ObjectMapper mapper;
    private final Map<String, JsonNode> cache = new ConcurrentHashMap<>();

    public Guides(ObjectMapper mapper) {
        this.mapper = mapper;
        if (load(GENERIC).isEmpty()) {
            throw new IllegalStateException("/admin/guides/generic.json is missing from the host jar");
        }
    }

    /** A troubleshooting entry: its heading in the setup guide, what to check, where it is documented. */
    public record Troubleshooting(String title, List<String> items, String doc) {}

    /** The connector's guide, or the generic one. */
    public JsonNode guide(String connectorId) {
        return load(connectorId).orElseGet(() -> load(GENERIC).orElseThrow());
    }

    /** The entry for {@code key} (cases, messages, fields, webhook, cleanup, ...) of the connector's guide, else the generic one's. */
    public Optional<Troubleshooting> troubleshooting(String connectorId, String key) {
        JsonNode entry = guide(connectorId).path("troubleshooting").path(key);
        if (entry.isMissingNode()) {
            entry = guide(GENERIC).path("troubleshooting").path(key);
        }
        if (!entry.isObject()) {
            return Optional.empty();
        }
        List<String> items = new ArrayList<>();
        entry.path("items").forEach(i -> items.add(i.asText()));
        return Optional.of(new Troubleshooting(entry.path("title").asText(""), items, entry.path("doc").asText("")));
    }

    private Optional<JsonNode> load(String connectorId) {
        if (connectorId == null || !CONNECTOR_ID.matcher(connectorId).matches()) {
            return Optional.empty();
        }
        JsonNode cached = cache.get(connectorId);
        if (cached != null) {
            return cached.isMissingNode() ? Optional.empty() : Optional.of(cached);
        }
        JsonNode loaded;
        try (InputStream in = Guides.class.getResourceAsStream("/admin/guides/" + connectorId + ".json")) {
            loaded = in == null ? mapper.missingNode() : mapper.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Guide of connector '" + connectorId + "' is not valid JSON", e);
        }
        cache.put(connectorId, loaded);
        return loaded.isMissingNode() ? Optional.empty() : Optional.of(loaded);
    }
}
