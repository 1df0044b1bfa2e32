package com.helpdeskconnect.sandbox.odata;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * An OData answer before it is written to HTTP or into a {@code $batch} response.
 *
 * @param json the JSON body, or null
 * @param text a non-JSON body ({@code $metadata} XML), or null
 */
public record ODataResponse(int status, Map<String, String> headers, JsonNode json, String text, String contentType) {

    public static final String JSON_CONTENT_TYPE = "application/json; odata.metadata=minimal";

    static ODataResponse json(int status, JsonNode body, Map<String, String> headers) {
        return new ODataResponse(status, headers, body, null, JSON_CONTENT_TYPE);
    }

    static ODataResponse empty(int status) {
        return new ODataResponse(status, Map.of(), null, null, null);
    }

    static ODataResponse error(ODataException e) {
        return json(e.status(), e.toBody(), Map.of());
    }
}
