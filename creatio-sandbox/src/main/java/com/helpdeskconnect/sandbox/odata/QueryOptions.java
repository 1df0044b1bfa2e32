package com.helpdeskconnect.sandbox.odata;

import com.helpdeskconnect.sandbox.model.Column;
import com.helpdeskconnect.sandbox.model.EntitySchema;
import com.helpdeskconnect.sandbox.model.SchemaCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The system query options of one request, validated against the entity schema.
 *
 * @param select the columns to write, empty for all
 * @param top null when absent
 */
record QueryOptions(Expression filter, List<Column> select, List<Order> orderBy, Integer top, int skip,
        boolean count) {

    record Order(Expression property, boolean descending) {
    }

    private static final Set<String> SUPPORTED = Set.of("$filter", "$select", "$orderby", "$top", "$skip", "$count");

    static QueryOptions parse(SchemaCatalog schemas, EntitySchema schema, Map<String, String> query) {
        for (String name : query.keySet()) {
            if (name.equals("$expand")) {
                throw ODataException.badRequest("The sandbox does not support $expand; read the lookup's collection.");
            }
            if (name.startsWith("$") && !SUPPORTED.contains(name)) {
                throw ODataException.badRequest("The query parameter '" + name + "' is not supported.");
            }
        }
        String filter = query.get("$filter");
        return new QueryOptions(
                filter == null || filter.isBlank() ? null : FilterParser.parseFilter(schemas, schema, filter),
                select(schema, query.get("$select")),
                orderBy(schemas, schema, query.get("$orderby")),
                query.containsKey("$top") ? nonNegative("$top", query.get("$top")) : null,
                query.containsKey("$skip") ? nonNegative("$skip", query.get("$skip")) : 0,
                count(query.get("$count")));
    }

    static List<Column> select(EntitySchema schema, String select) {
        List<Column> columns = new ArrayList<>();
        if (select == null || select.isBlank() || select.trim().equals("*")) {
            return columns;
        }
        for (String name : select.split(",")) {
            String trimmed = name.trim();
            columns.add(schema.column(trimmed).orElseThrow(() ->
                    ODataException.badRequest(FilterParser.unknownProperty(schema, trimmed))));
        }
        return columns;
    }

    private static List<Order> orderBy(SchemaCatalog schemas, EntitySchema schema, String orderBy) {
        List<Order> orders = new ArrayList<>();
        if (orderBy == null || orderBy.isBlank()) {
            return orders;
        }
        for (String part : orderBy.split(",")) {
            String[] words = part.trim().split("\\s+");
            if (words.length > 2 || (words.length == 2 && !words[1].matches("(?i)asc|desc"))) {
                throw ODataException.badRequest("Syntax error in $orderby: '" + part.trim() + "'.");
            }
            boolean descending = words.length == 2 && words[1].equalsIgnoreCase("desc");
            orders.add(new Order(FilterParser.parseProperty(schemas, schema, words[0]), descending));
        }
        return orders;
    }

    private static int nonNegative(String option, String value) {
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed >= 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // answered below with OData's message
        }
        throw ODataException.badRequest("Invalid value '" + value + "' for " + option
                + " query option found. The " + option + " query option requires a non-negative integer value.");
    }

    private static boolean count(String value) {
        if (value == null || value.equalsIgnoreCase("false")) {
            return false;
        }
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        throw ODataException.badRequest("'" + value + "' is not a valid count option.");
    }
}
