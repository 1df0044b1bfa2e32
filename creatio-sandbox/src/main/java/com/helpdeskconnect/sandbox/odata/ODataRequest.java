package com.helpdeskconnect.sandbox.odata;

import java.util.Map;

/**
 * One OData call, from HTTP or from a {@code $batch} entry.
 *
 * @param resource the path below the service root, decoded: {@code Case}, {@code Case(<guid>)}, {@code $metadata}
 * @param query decoded query options, the first value of each
 * @param prefer the {@code Prefer} header, or null
 */
public record ODataRequest(String method, String resource, Map<String, String> query, String body, String prefer) {
}
