package com.helpdeskconnect.zendesk.fields;

import com.fasterxml.jackson.databind.JsonNode;
import com.helpdeskconnect.zendesk.http.ZendeskClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The account's ticket fields ({@code GET /api/v2/ticket_fields}, system and custom, reference §5),
 * read once and kept for {@value #TTL_MINUTES} minutes: fields change when an admin edits them,
 * not per conversation.
 */
public final class FieldCatalog {
    static final long TTL_MINUTES = 10;

    /** One ticket field. {@code options} are a dropdown's or a system field's (name → value). */
    public record Field(long id, String type, String title, boolean active, boolean system, List<Option> options) {}

    /** A dropdown option: the name agents see, the value (tag) the API takes. */
    public record Option(String name, String value) {}

    /** The fields at one moment, by id and by title. */
    public record Fields(Map<Long, Field> byId, List<Field> all) {
        /** A field by id, or by title (case-insensitive; an active one first). */
        public Optional<Field> find(String idOrTitle) {
            String key = idOrTitle.strip();
            if (key.matches("[0-9]{1,19}")) {
                return Optional.ofNullable(byId.get(Long.parseLong(key)));
            }
            Field inactive = null;
            for (Field f : all) {
                if (f.title().equalsIgnoreCase(key)) {
                    if (f.active()) {
                        return Optional.of(f);
                    }
                    inactive = f;
                }
            }
            return Optional.ofNullable(inactive);
        }

        /** The system field of a type ({@code priority}, {@code tickettype}). */
        public Optional<Field> system(String type) {
            return all.stream().filter(f -> f.system() && f.type().equals(type)).findFirst();
        }
    }

    private final ZendeskClient client;
    private final Clock clock;
    private Fields current;
    private Instant readAt;

    public FieldCatalog(ZendeskClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /** The fields, read from Zendesk when older than the cache's life. */
    public synchronized Fields fields() {
        Instant now = clock.instant();
        if (current == null || readAt.plus(Duration.ofMinutes(TTL_MINUTES)).isBefore(now)) {
            current = read(client.getAll("ticket_fields", Map.of(), "ticket_fields"));
            readAt = now;
        }
        return current;
    }

    static Fields read(List<JsonNode> nodes) {
        Map<Long, Field> byId = new LinkedHashMap<>();
        for (JsonNode node : nodes) {
            List<Option> options = new ArrayList<>();
            JsonNode list = node.has("custom_field_options") ? node.path("custom_field_options")
                    : node.path("system_field_options");
            list.forEach(o -> options.add(new Option(o.path("name").asText(""), o.path("value").asText(""))));
            boolean system = !node.path("removable").asBoolean(true);
            Field field = new Field(node.path("id").asLong(), node.path("type").asText("").toLowerCase(Locale.ROOT),
                    node.path("title").asText(""), node.path("active").asBoolean(true), system, List.copyOf(options));
            byId.put(field.id(), field);
        }
        return new Fields(Map.copyOf(byId), List.copyOf(byId.values()));
    }
}
