package com.helpdeskconnect.sandbox.odata;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.helpdeskconnect.sandbox.data.DataStore;
import com.helpdeskconnect.sandbox.data.DuplicateKeyException;
import com.helpdeskconnect.sandbox.data.ForeignKeyException;
import com.helpdeskconnect.sandbox.data.RecordNotFoundException;
import com.helpdeskconnect.sandbox.identity.Caller;
import com.helpdeskconnect.sandbox.identity.Operation;
import com.helpdeskconnect.sandbox.model.Column;
import com.helpdeskconnect.sandbox.model.EntitySchema;
import com.helpdeskconnect.sandbox.model.Guids;
import com.helpdeskconnect.sandbox.model.SchemaCatalog;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Creatio's OData 4 service over the sandbox store: resource parsing, permissions, CRUD, queries.
 * Independent of HTTP so that {@code $batch} entries run through exactly the same code.
 */
public final class ODataService {
    /** Creatio answers 500 instead of a short page when a query without $top matches more. */
    static final int MAX_ROWS_WITHOUT_TOP = 20_000;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern RESOURCE = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)(?:\\((.*)\\))?(/\\$count)?");
    /** Key as a path segment, {@code Case/<guid>}: the form of Creatio's own batch examples. */
    private static final Pattern KEY_SEGMENT = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)/([^/$][^/]*)");

    private final SchemaCatalog schemas;
    private final DataStore store;
    private final Supplier<String> serviceRoot;
    private final MetadataDocument metadata;
    private final BatchExecutor batch = new BatchExecutor(this);

    /** @param serviceRoot e.g. {@code http://127.0.0.1:8080/0/odata}, known only once the server listens */
    public ODataService(SchemaCatalog schemas, DataStore store, Supplier<String> serviceRoot) {
        this.schemas = schemas;
        this.store = store;
        this.serviceRoot = serviceRoot;
        this.metadata = new MetadataDocument(schemas);
    }

    /** Runs one request as {@code caller}; failures come back as error responses, never as throws. */
    public ODataResponse execute(ODataRequest request, Caller caller) {
        try {
            return dispatch(request, caller);
        } catch (ODataException e) {
            return ODataResponse.error(e);
        }
    }

    private ODataResponse dispatch(ODataRequest request, Caller caller) {
        String resource = request.resource();
        if (resource.equals("$metadata")) {
            requireMethod(request, "GET");
            return new ODataResponse(200, Map.of("OData-Version", "4.0"), null, metadata.xml(), "application/xml");
        }
        if (resource.equals("$batch")) {
            requireMethod(request, "POST");
            return batch.execute(request, caller);
        }
        Matcher segment = KEY_SEGMENT.matcher(resource);
        if (segment.matches()) {
            resource = segment.group(1) + "(" + segment.group(2) + ")";
        }
        Matcher matcher = RESOURCE.matcher(resource);
        if (!matcher.matches()) {
            throw ODataException.unauthorized();
        }
        EntitySchema schema = schemas.find(matcher.group(1)).orElseThrow(ODataException::unauthorized);
        String key = matcher.group(2) == null ? null : parseKey(schema, matcher.group(2));
        boolean countOnly = matcher.group(3) != null;
        String method = request.method();
        if (key == null) {
            return switch (method) {
                case "GET" -> query(schema, request, caller, countOnly);
                case "POST" -> create(schema, request, caller);
                default -> throw ODataException.methodNotAllowed(
                        "The requested resource does not support http method '" + method + "'.");
            };
        }
        return switch (method) {
            case "GET" -> read(schema, key, request, caller);
            case "PATCH", "MERGE" -> update(schema, key, request, caller);
            case "DELETE" -> delete(schema, key, caller);
            default -> throw ODataException.methodNotAllowed(
                    "The requested resource does not support http method '" + method + "'.");
        };
    }

    private ODataResponse create(EntitySchema schema, ODataRequest request, Caller caller) {
        require(caller, Operation.CREATE, schema, "add records to");
        Map<String, Object> values = parseBody(schema, request.body());
        for (Column column : schema.columns()) {
            if (column.required() && isBlank(values.get(column.name()))) {
                throw ODataException.badRequest("Column \"" + column.name() + "\" of object \"" + schema.name()
                        + "\" is required.");
            }
        }
        Map<String, Object> row;
        try {
            row = store.insert(schema, values, caller.contactId());
        } catch (DuplicateKeyException | ForeignKeyException e) {
            throw ODataException.serverError("An error has occurred.", e.getMessage());
        }
        String location = serviceRoot.get() + "/" + schema.name() + "(" + row.get("Id") + ")";
        ObjectNode body = context(schema.name() + "/$entity");
        EntityJson.write(schema, row, List.of(), body);
        return ODataResponse.json(201, body, Map.of("Location", location, "OData-Version", "4.0"));
    }

    private ODataResponse read(EntitySchema schema, String key, ODataRequest request, Caller caller) {
        require(caller, Operation.READ, schema, "read records of");
        List<Column> select = QueryOptions.select(schema, request.query().get("$select"));
        Map<String, Object> row = store.find(schema.name(), key).orElseThrow(() -> notFound(schema, key));
        ObjectNode body = context(contextPath(schema, select) + "/$entity");
        EntityJson.write(schema, row, select, body);
        return ODataResponse.json(200, body, Map.of("OData-Version", "4.0"));
    }

    private ODataResponse query(EntitySchema schema, ODataRequest request, Caller caller, boolean countOnly) {
        require(caller, Operation.READ, schema, "read records of");
        QueryOptions options = QueryOptions.parse(schemas, schema, request.query());
        Expression.RowFinder finder = store::find;
        List<Map<String, Object>> rows = store.select(schema.name(),
                row -> options.filter() == null || (Boolean) options.filter().evaluate(row, finder));
        if (countOnly) {
            return new ODataResponse(200, Map.of("OData-Version", "4.0"), null, String.valueOf(rows.size()), "text/plain");
        }
        if (!options.orderBy().isEmpty()) {
            rows = new ArrayList<>(rows);
            rows.sort(comparator(options.orderBy(), finder));
        }
        int total = rows.size();
        int from = Math.min(options.skip(), total);
        int to = options.top() == null ? total : Math.min(total, from + options.top());
        if (options.top() == null && to - from > MAX_ROWS_WITHOUT_TOP) {
            throw ODataException.serverError("An error has occurred.",
                    "The query returns more than " + MAX_ROWS_WITHOUT_TOP + " records; use $top and $skip.");
        }
        ObjectNode body = context(contextPath(schema, options.select()));
        if (options.count()) {
            body.put("@odata.count", total);
        }
        ArrayNode value = body.putArray("value");
        for (Map<String, Object> row : rows.subList(from, to)) {
            EntityJson.write(schema, row, options.select(), value.addObject());
        }
        return ODataResponse.json(200, body, Map.of("OData-Version", "4.0"));
    }

    private ODataResponse update(EntitySchema schema, String key, ODataRequest request, Caller caller) {
        require(caller, Operation.UPDATE, schema, "edit records of");
        Map<String, Object> changes = parseBody(schema, request.body());
        Object id = changes.remove("Id");
        if (id != null && !id.equals(key)) {
            throw ODataException.badRequest("The Id in the body does not match the key in the URL.");
        }
        for (Column column : schema.columns()) {
            if (column.required() && changes.containsKey(column.name()) && isBlank(changes.get(column.name()))) {
                throw ODataException.badRequest("Column \"" + column.name() + "\" of object \"" + schema.name()
                        + "\" is required.");
            }
        }
        try {
            store.update(schema, key, changes, caller.contactId());
        } catch (RecordNotFoundException e) {
            throw notFound(schema, key);
        } catch (ForeignKeyException e) {
            throw ODataException.serverError("An error has occurred.", e.getMessage());
        }
        return ODataResponse.empty(204);
    }

    private ODataResponse delete(EntitySchema schema, String key, Caller caller) {
        require(caller, Operation.DELETE, schema, "delete records of");
        try {
            store.delete(schema, key);
        } catch (RecordNotFoundException e) {
            throw notFound(schema, key);
        }
        return ODataResponse.empty(204);
    }

    private Map<String, Object> parseBody(EntitySchema schema, String body) {
        JsonNode json;
        try {
            json = JSON.readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (JsonProcessingException e) {
            throw ODataException.badRequest("The request body is not valid JSON.");
        }
        if (!json.isObject()) {
            throw ODataException.badRequest("The request body must be a JSON object.");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : json.properties()) {
            if (field.getKey().startsWith("@odata.")) {
                continue;
            }
            Column column = schema.column(field.getKey()).orElseThrow(() -> ODataException.badRequest(
                    "The property '" + field.getKey() + "' does not exist on type 'Terrasoft.Configuration."
                            + schema.name() + "'. Make sure to only use property names that are defined by the type"
                            + " or mark the type as open type."));
            try {
                values.put(column.name(), column.type().fromJson(field.getValue()));
            } catch (IllegalArgumentException e) {
                throw ODataException.badRequest(e.getMessage());
            }
        }
        return values;
    }

    private static String parseKey(EntitySchema schema, String key) {
        String bare = key.startsWith("Id=") ? key.substring(3) : key;
        if (!Guids.isGuid(bare)) {
            throw ODataException.badRequest("The key value '" + key + "' is not a valid Edm.Guid for the key of '"
                    + schema.name() + "'.");
        }
        return Guids.normalize(bare);
    }

    private static Comparator<Map<String, Object>> comparator(List<QueryOptions.Order> orders,
            Expression.RowFinder finder) {
        Comparator<Map<String, Object>> comparator = (a, b) -> 0;
        for (QueryOptions.Order order : orders) {
            Comparator<Map<String, Object>> one = (a, b) -> FilterParser.compareValues(
                    order.property().evaluate(a, finder), order.property().evaluate(b, finder));
            comparator = comparator.thenComparing(order.descending() ? one.reversed() : one);
        }
        return comparator;
    }

    private static void require(Caller caller, Operation operation, EntitySchema schema, String action) {
        if (!caller.may(operation, schema.name())) {
            throw ODataException.forbidden("Insufficient permissions to " + action + " the \"" + schema.name()
                    + "\" object.");
        }
    }

    private static void requireMethod(ODataRequest request, String method) {
        if (!request.method().equals(method)) {
            throw ODataException.methodNotAllowed(
                    "The requested resource does not support http method '" + request.method() + "'.");
        }
    }

    private static ODataException notFound(EntitySchema schema, String key) {
        return ODataException.notFound("Entity of type '" + schema.name() + "' with Id '" + key + "' not found.");
    }

    private static boolean isBlank(Object value) {
        return value == null || (value instanceof String s && s.isBlank());
    }

    private static String contextPath(EntitySchema schema, List<Column> select) {
        return select.isEmpty()
                ? schema.name()
                : schema.name() + "(" + select.stream().map(Column::name).collect(Collectors.joining(",")) + ")";
    }

    private ObjectNode context(String path) {
        return JSON.createObjectNode().put("@odata.context", serviceRoot.get() + "/$metadata#" + path);
    }
}
