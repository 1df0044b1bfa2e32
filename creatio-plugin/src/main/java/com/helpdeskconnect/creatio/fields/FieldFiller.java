package com.helpdeskconnect.creatio.fields;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.helpdeskconnect.api.cases.CaseRef;
import com.helpdeskconnect.api.cases.FieldDescriptor;
import com.helpdeskconnect.api.cases.FieldType;
import com.helpdeskconnect.api.cases.FieldValues;
import com.helpdeskconnect.api.cases.FillResult;
import com.helpdeskconnect.api.errors.PermanentException;
import com.helpdeskconnect.creatio.CreatioConnection;
import com.helpdeskconnect.creatio.odata.EntityModel;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * AI auto-fill: maps field names to Case columns (the defaults plus the integration's field map),
 * resolves lookup values by display name, coerces values to the column's type from
 * {@code $metadata}, and writes every accepted value in one PATCH.
 */
public final class FieldFiller {
    /** Fields every Creatio case has. */
    static final Map<String, String> DEFAULT_FIELDS = Map.of("priority", "Priority", "category", "Category");

    private FieldFiller() {}

    public static Map<String, String> fieldMap(CreatioConnection connection) {
        Map<String, String> map = new LinkedHashMap<>(new java.util.TreeMap<>(DEFAULT_FIELDS));
        map.putAll(connection.settings().fieldMap());
        return map;
    }

    public static List<FieldDescriptor> describe(CreatioConnection connection) {
        EntityModel model = connection.caseModel();
        List<FieldDescriptor> fields = new ArrayList<>();
        fieldMap(connection).forEach((name, column) -> {
            Optional<String> target = model.lookupTarget(column);
            if (target.isPresent()) {
                fields.add(new FieldDescriptor(name, column, FieldType.LOOKUP,
                        connection.lookup(target.get()).stream().map(CreatioConnection.LookupRow::name).toList(),
                        "Case." + column + " (" + target.get() + ")"));
            } else {
                model.propertyType(column).ifPresent(type ->
                        fields.add(new FieldDescriptor(name, column, fieldType(type), List.of(), "Case." + column)));
            }
        });
        return fields;
    }

    /**
     * The Case columns to PATCH for the accepted values, and the verdict per field.
     *
     * @param columns per accepted field, the Case column it writes (to retry fields one by one)
     */
    public record Plan(ObjectNode patch, FillResult result, Map<String, String> columns) {}

    public static FillResult fill(CreatioConnection connection, CaseRef caseRef, FieldValues values) {
        Plan plan = plan(connection, values);
        if (plan.result().applied().isEmpty()) {
            return plan.result();
        }
        try {
            connection.odata().patch("Case(" + UUID.fromString(caseRef.id()) + ")", plan.patch());
            return plan.result();
        } catch (PermanentException refused) {
            return oneByOne(connection, caseRef, plan);
        }
    }

    /**
     * Creatio refused the PATCH as a whole (a value too long for its column, say): writes each
     * field on its own, so the acceptable ones still land and each refusal is reported per field.
     */
    public static FillResult oneByOne(CreatioConnection connection, CaseRef caseRef, Plan plan) {
        Set<String> applied = new LinkedHashSet<>();
        Map<String, String> rejected = new LinkedHashMap<>(plan.result().rejected());
        for (String field : plan.result().applied()) {
            String column = plan.columns().get(field);
            ObjectNode single = connection.odata().json().createObjectNode();
            single.set(column, plan.patch().get(column));
            try {
                connection.odata().patch("Case(" + UUID.fromString(caseRef.id()) + ")", single);
                applied.add(field);
            } catch (PermanentException e) {
                rejected.put(field, "Creatio refused the value: " + e.getMessage());
            }
        }
        return new FillResult(applied, rejected);
    }

    public static Plan plan(CreatioConnection connection, FieldValues values) {
        EntityModel model = connection.caseModel();
        Map<String, String> map = fieldMap(connection);
        Map<String, String> rejected = new LinkedHashMap<>();
        Set<String> applied = new LinkedHashSet<>();
        Map<String, String> columns = new LinkedHashMap<>();
        ObjectNode patch = connection.odata().json().createObjectNode();
        values.values().forEach((field, value) -> {
            String column = map.get(field);
            if (column == null) {
                rejected.put(field, "unknown field; fields are " + map.keySet());
                return;
            }
            Optional<String> target = model.lookupTarget(column);
            if (target.isPresent()) {
                String wanted = String.valueOf(value).trim();
                List<CreatioConnection.LookupRow> rows = connection.lookup(target.get());
                Optional<UUID> id = rows.stream()
                        .filter(r -> r.name().equalsIgnoreCase(wanted) || r.id().toString().equalsIgnoreCase(wanted))
                        .map(CreatioConnection.LookupRow::id).findFirst();
                if (id.isEmpty()) {
                    rejected.put(field, "'" + wanted + "' is not one of " + rows.stream().map(CreatioConnection.LookupRow::name).toList());
                    return;
                }
                String nav = column.endsWith("Id") ? column.substring(0, column.length() - 2) : column;
                patch.put(nav + "Id", id.get().toString());
                columns.put(field, nav + "Id");
                applied.add(field);
                return;
            }
            Optional<String> type = model.propertyType(column);
            if (type.isEmpty()) {
                rejected.put(field, "the Case column " + column + " does not exist in Creatio");
                return;
            }
            try {
                put(patch, column, type.get(), value);
                columns.put(field, column);
                applied.add(field);
            } catch (IllegalArgumentException e) {
                rejected.put(field, e.getMessage());
            }
        });
        return new Plan(patch, new FillResult(applied, rejected), columns);
    }

    private static void put(ObjectNode patch, String column, String edmType, Object value) {
        String text = String.valueOf(value).trim();
        switch (edmType) {
            case "Edm.String" -> patch.put(column, String.valueOf(value));
            case "Edm.Boolean" -> {
                if (value instanceof Boolean b) {
                    patch.put(column, b);
                } else if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
                    patch.put(column, Boolean.parseBoolean(text));
                } else {
                    throw new IllegalArgumentException("'" + text + "' is not true or false");
                }
            }
            case "Edm.Int32", "Edm.Int64", "Edm.Int16" -> {
                try {
                    patch.put(column, new BigDecimal(text).longValueExact());
                } catch (NumberFormatException | ArithmeticException e) {
                    throw new IllegalArgumentException("'" + text + "' is not a whole number");
                }
            }
            case "Edm.Decimal", "Edm.Double", "Edm.Single" -> {
                try {
                    patch.put(column, new BigDecimal(text));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + text + "' is not a number");
                }
            }
            case "Edm.DateTimeOffset" -> {
                try {
                    patch.put(column, value instanceof Instant i ? i.toString() : Instant.parse(text).toString());
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException("'" + text + "' is not an ISO-8601 date-time");
                }
            }
            case "Edm.Date" -> {
                try {
                    patch.put(column, LocalDate.parse(text).toString());
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException("'" + text + "' is not an ISO-8601 date");
                }
            }
            case "Edm.Guid" -> {
                try {
                    patch.put(column, UUID.fromString(text).toString());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("'" + text + "' is not a GUID");
                }
            }
            default -> throw new IllegalArgumentException("the column type " + edmType + " cannot be filled");
        }
    }

    static FieldType fieldType(String edmType) {
        return switch (edmType.toLowerCase(Locale.ROOT)) {
            case "edm.boolean" -> FieldType.BOOLEAN;
            case "edm.int16", "edm.int32", "edm.int64", "edm.decimal", "edm.double", "edm.single" -> FieldType.NUMBER;
            case "edm.datetimeoffset" -> FieldType.DATE_TIME;
            case "edm.date" -> FieldType.DATE;
            default -> FieldType.TEXT;
        };
    }
}
