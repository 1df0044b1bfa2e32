package com.helpdeskconnect.zendesk.fields;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.helpdeskconnect.api.cases.FieldDescriptor;
import com.helpdeskconnect.api.cases.FieldType;
import com.helpdeskconnect.api.cases.FieldValues;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * AI field names to Zendesk ticket fields, and AI values to what Zendesk's API takes (reference §5).
 * The {@code fieldMap} setting maps a name to {@code priority}, {@code type}, or a custom field's
 * id or title; {@code priority} and {@code type} are mapped by default. Dropdowns (and priority and
 * type) take an option by its name or value, case-insensitively, and send the option's value (its
 * tag); a multi-select takes names separated by commas. Values are checked here against the field
 * catalogue, so one bad value is rejected on its own instead of failing the whole update.
 */
public final class FieldMapper {
    /** Zendesk's standard options, used when the catalogue lacks the system field. */
    private static final List<FieldCatalog.Option> PRIORITIES = List.of(new FieldCatalog.Option("Low", "low"),
            new FieldCatalog.Option("Normal", "normal"), new FieldCatalog.Option("High", "high"),
            new FieldCatalog.Option("Urgent", "urgent"));
    private static final List<FieldCatalog.Option> TYPES = List.of(new FieldCatalog.Option("Question", "question"),
            new FieldCatalog.Option("Incident", "incident"), new FieldCatalog.Option("Problem", "problem"),
            new FieldCatalog.Option("Task", "task"));

    private final Map<String, String> fieldMap;
    private final List<String> order;

    public FieldMapper(Map<String, String> fieldMap) {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("priority", "priority");
        map.put("type", "type");
        // The admin's entries win, also over the built-in names.
        fieldMap.forEach((name, target) -> {
            map.remove(name.toLowerCase(Locale.ROOT));
            map.put(name, target);
        });
        this.fieldMap = Map.copyOf(map);
        this.order = List.copyOf(map.keySet());
    }

    /** Where one AI field goes: a system field ({@code priority}, {@code type}) or a custom field. */
    public record Target(String systemName, FieldCatalog.Field field, List<FieldCatalog.Option> options) {
        boolean isSystem() {
            return systemName != null;
        }

        String type() {
            return isSystem() ? "tagger" : field.type();
        }

        String label() {
            return isSystem() ? (systemName.equals("priority") ? "Priority" : "Type") : field.title();
        }
    }

    /** A field's resolution: its target, or why it has none. */
    public record Resolved(Target target, String problem) {}

    /** What to write and what not, per AI field name. */
    public record Plan(Map<String, Object> systemValues, Map<Long, Object> customValues,
                       Map<String, Long> customFieldOfName, Set<String> applied, Map<String, String> rejected) {
        public boolean isEmpty() {
            return systemValues.isEmpty() && customValues.isEmpty();
        }

        /** Writes the planned values into a ticket update. */
        public void writeTo(ObjectNode ticket) {
            systemValues.forEach((name, value) -> ticket.put(name, (String) value));
            if (!customValues.isEmpty()) {
                ArrayNode custom = ticket.putArray("custom_fields");
                customValues.forEach((id, value) -> {
                    ObjectNode entry = custom.addObject().put("id", id);
                    if (value instanceof List<?> list) {
                        ArrayNode values = entry.putArray("value");
                        list.forEach(v -> values.add(String.valueOf(v)));
                    } else if (value instanceof Boolean b) {
                        entry.put("value", b);
                    } else {
                        entry.put("value", String.valueOf(value));
                    }
                });
            }
        }

        /** This plan without the fields Zendesk refused, each rejected with Zendesk's reason. */
        public Plan without(Map<Long, String> refused) {
            Map<Long, Object> custom = new LinkedHashMap<>(customValues);
            Set<String> ok = new LinkedHashSet<>(applied);
            Map<String, String> no = new LinkedHashMap<>(rejected);
            customFieldOfName.forEach((name, id) -> {
                if (refused.containsKey(id)) {
                    custom.remove(id);
                    ok.remove(name);
                    no.put(name, refused.get(id));
                }
            });
            return new Plan(systemValues, custom, customFieldOfName, ok, no);
        }
    }

    /** Resolves an AI field name against the catalogue. */
    public Resolved resolve(String name, FieldCatalog.Fields fields) {
        String target = fieldMap.get(name);
        if (target == null) {
            target = fieldMap.get(name.toLowerCase(Locale.ROOT));
        }
        if (target == null) {
            return new Resolved(null, "unknown field: add it to the fieldMap setting");
        }
        String t = target.strip();
        if (t.equalsIgnoreCase("priority")) {
            return new Resolved(system("priority", fields), null);
        }
        if (t.equalsIgnoreCase("type")) {
            return new Resolved(system("type", fields), null);
        }
        Optional<FieldCatalog.Field> found = fields.find(t);
        if (found.isEmpty()) {
            return new Resolved(null, "the fieldMap names '" + t + "', which is no ticket field in Zendesk");
        }
        FieldCatalog.Field field = found.get();
        if (!field.active()) {
            return new Resolved(null, "the ticket field '" + field.title() + "' is inactive in Zendesk");
        }
        if (field.system()) {
            return switch (field.type()) {
                case "priority" -> new Resolved(system("priority", fields), null);
                case "tickettype" -> new Resolved(system("type", fields), null);
                default -> new Resolved(null, "the system field '" + field.title() + "' cannot be filled");
            };
        }
        if (!Set.of("text", "textarea", "regexp", "tagger", "multiselect", "checkbox", "integer", "decimal", "date")
                .contains(field.type())) {
            return new Resolved(null, "fields of type " + field.type() + " cannot be filled");
        }
        return new Resolved(new Target(null, field, field.options()), null);
    }

    /** Every mapped field that resolves, for the AI's prompt. */
    public List<FieldDescriptor> describe(FieldCatalog.Fields fields) {
        List<FieldDescriptor> result = new ArrayList<>();
        for (String name : order) {
            Target target = resolve(name, fields).target();
            if (target == null) {
                continue;
            }
            FieldType type = switch (target.type()) {
                case "tagger", "multiselect" -> FieldType.LOOKUP;
                case "integer", "decimal" -> FieldType.NUMBER;
                case "checkbox" -> FieldType.BOOLEAN;
                case "date" -> FieldType.DATE;
                default -> FieldType.TEXT;
            };
            List<String> allowed = type == FieldType.LOOKUP
                    ? target.options().stream().map(FieldCatalog.Option::name).toList() : List.of();
            String description = target.type().equals("multiselect")
                    ? "One or more of the allowed values, separated by commas" : "";
            result.add(new FieldDescriptor(name, target.label(), type, allowed, description));
        }
        return result;
    }

    /** Checks every value; the plan holds the ones to write and a reason for each one refused. */
    public Plan plan(FieldValues values, FieldCatalog.Fields fields) {
        Map<String, Object> system = new LinkedHashMap<>();
        Map<Long, Object> custom = new LinkedHashMap<>();
        Map<String, Long> fieldOfName = new LinkedHashMap<>();
        Set<String> applied = new LinkedHashSet<>();
        Map<String, String> rejected = new LinkedHashMap<>();
        values.values().forEach((name, value) -> {
            Resolved resolved = resolve(name, fields);
            if (resolved.target() == null) {
                rejected.put(name, resolved.problem());
                return;
            }
            Target target = resolved.target();
            try {
                Object converted = convert(target, value);
                if (target.isSystem()) {
                    system.put(target.systemName(), converted);
                } else {
                    custom.put(target.field().id(), converted);
                    fieldOfName.put(name, target.field().id());
                }
                applied.add(name);
            } catch (IllegalArgumentException e) {
                rejected.put(name, e.getMessage());
            }
        });
        return new Plan(system, custom, fieldOfName, applied, rejected);
    }

    private static Target system(String name, FieldCatalog.Fields fields) {
        Optional<FieldCatalog.Field> field = fields.system(name.equals("priority") ? "priority" : "tickettype");
        List<FieldCatalog.Option> options = field.map(FieldCatalog.Field::options).filter(o -> !o.isEmpty())
                .orElse(name.equals("priority") ? PRIORITIES : TYPES);
        return new Target(name, field.orElse(null), options);
    }

    private static Object convert(Target target, Object value) {
        return switch (target.type()) {
            case "tagger" -> option(target, String.valueOf(value)).value();
            case "multiselect" -> {
                String text = String.valueOf(value);
                Optional<FieldCatalog.Option> whole = find(target.options(), text);
                if (whole.isPresent()) {
                    yield List.of(whole.get().value());
                }
                List<String> chosen = new ArrayList<>();
                for (String part : text.split("[,;]")) {
                    if (!part.isBlank()) {
                        chosen.add(option(target, part).value());
                    }
                }
                if (chosen.isEmpty()) {
                    throw new IllegalArgumentException("no value given; expected some of " + names(target));
                }
                yield chosen;
            }
            case "checkbox" -> {
                if (value instanceof Boolean b) {
                    yield b;
                }
                String text = String.valueOf(value).strip().toLowerCase(Locale.ROOT);
                if (Set.of("true", "yes", "1").contains(text)) {
                    yield true;
                }
                if (Set.of("false", "no", "0").contains(text)) {
                    yield false;
                }
                throw new IllegalArgumentException("'" + clip(value) + "' is not true or false");
            }
            case "integer" -> {
                try {
                    yield new BigDecimal(String.valueOf(value).strip()).toBigIntegerExact().toString();
                } catch (ArithmeticException | NumberFormatException e) {
                    throw new IllegalArgumentException("'" + clip(value) + "' is not a whole number", e);
                }
            }
            case "decimal" -> {
                try {
                    yield new BigDecimal(String.valueOf(value).strip()).toPlainString();
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + clip(value) + "' is not a number", e);
                }
            }
            case "date" -> {
                if (value instanceof LocalDate d) {
                    yield d.toString();
                }
                if (value instanceof Instant i) {
                    yield LocalDate.ofInstant(i, ZoneOffset.UTC).toString();
                }
                String text = String.valueOf(value).strip();
                try {
                    yield LocalDate.parse(text.length() > 10 ? text.substring(0, 10) : text).toString();
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException("'" + clip(value) + "' is not a date (YYYY-MM-DD)", e);
                }
            }
            default -> {
                String text = String.valueOf(value);
                if (text.isBlank()) {
                    throw new IllegalArgumentException("the value is empty");
                }
                yield text;
            }
        };
    }

    private static FieldCatalog.Option option(Target target, String text) {
        return find(target.options(), text).orElseThrow(() -> new IllegalArgumentException(
                "'" + clip(text.strip()) + "' is not one of " + names(target)));
    }

    private static Optional<FieldCatalog.Option> find(List<FieldCatalog.Option> options, String text) {
        String wanted = text.strip();
        return options.stream().filter(o -> o.name().equalsIgnoreCase(wanted) || o.value().equalsIgnoreCase(wanted))
                .findFirst();
    }

    private static String names(Target target) {
        return String.join(", ", target.options().stream().map(FieldCatalog.Option::name).toList());
    }

    private static String clip(Object value) {
        String text = String.valueOf(value);
        return text.length() > 60 ? text.substring(0, 60) + "…" : text;
    }
}
