package com.helpdeskconnect.sandbox.odata;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.helpdeskconnect.sandbox.identity.Caller;
import com.helpdeskconnect.sandbox.model.Guids;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code POST $batch} in the JSON form: entries run in order; the batch stops after the first
 * failing entry unless it carries {@code Prefer: continue-on-error}; at most 100 entries.
 * Response header names are lower-case, as Creatio writes them. Entries that name an
 * {@code atomicityGroup} get, in their responses, one server-generated GUID per group (Creatio's
 * batch examples answer that way, never echoing the client's label).
 */
final class BatchExecutor {
    static final int MAX_REQUESTS = 100;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ODataService service;

    BatchExecutor(ODataService service) {
        this.service = service;
    }

    ODataResponse execute(ODataRequest batch, Caller caller) {
        JsonNode requests;
        try {
            requests = JSON.readTree(batch.body() == null ? "" : batch.body()).path("requests");
        } catch (JsonProcessingException e) {
            throw ODataException.badRequest("The batch request body is not valid JSON.");
        }
        if (!requests.isArray()) {
            throw ODataException.badRequest("The batch request body must have a 'requests' array.");
        }
        if (requests.size() > MAX_REQUESTS) {
            throw ODataException.badRequest("The number of requests in the batch exceeds the limit of "
                    + MAX_REQUESTS + ".");
        }
        boolean continueOnError = batch.prefer() != null
                && batch.prefer().toLowerCase(Locale.ROOT).contains("continue-on-error");
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode responses = answer.putArray("responses");
        Map<String, String> groups = new HashMap<>();
        for (JsonNode entry : requests) {
            ODataResponse response = service.execute(toRequest(entry), caller);
            String group = entry.path("atomicityGroup").asText("");
            responses.add(toJson(entry.path("id").asText(),
                    group.isEmpty() ? null : groups.computeIfAbsent(group, label -> Guids.random()), response));
            if (response.status() >= 400 && !continueOnError) {
                break;
            }
        }
        return ODataResponse.json(200, answer, Map.of("OData-Version", "4.0"));
    }

    private static ODataRequest toRequest(JsonNode entry) {
        String url = entry.path("url").asText("");
        int root = url.indexOf("/odata/");
        if (root >= 0) {
            url = url.substring(root + "/odata/".length());
        } else if (url.startsWith("/")) {
            url = url.substring(1);
        }
        String path = url;
        Map<String, String> query = new LinkedHashMap<>();
        int question = url.indexOf('?');
        if (question >= 0) {
            path = url.substring(0, question);
            for (String pair : url.substring(question + 1).split("&")) {
                if (!pair.isEmpty()) {
                    String[] kv = pair.split("=", 2);
                    query.putIfAbsent(decode(kv[0]), kv.length > 1 ? decode(kv[1]) : "");
                }
            }
        }
        JsonNode body = entry.get("body");
        return new ODataRequest(entry.path("method").asText("GET").toUpperCase(Locale.ROOT), decode(path), query,
                body == null || body.isNull() ? null : body.toString(), null);
    }

    private static ObjectNode toJson(String id, String group, ODataResponse response) {
        ObjectNode json = JSON.createObjectNode().put("id", id);
        if (group != null) {
            json.put("atomicityGroup", group);
        }
        json.put("status", response.status());
        ObjectNode headers = json.putObject("headers");
        response.headers().forEach((name, value) -> headers.put(name.toLowerCase(Locale.ROOT), value));
        if (response.contentType() != null) {
            headers.put("content-type", response.contentType());
        }
        if (response.json() != null) {
            json.set("body", response.json());
        } else if (response.text() != null) {
            json.put("body", response.text());
        }
        return json;
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
