package com.helpdeskconnect.host.http;

import java.util.Map;

/**
 * An HTTP error answer. Thrown by handlers; {@link HttpApi} writes it as
 * {@code {"error": code, "message": ..., "fields": {...}}}. Messages must never carry secrets.
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final transient Map<String, String> fields;

    public ApiException(int status, String code, String message, Map<String, String> fields) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.fields = Map.copyOf(fields);
    }

    public ApiException(int status, String code, String message) {
        this(status, code, message, Map.of());
    }

    public static ApiException badRequest(String message, Map<String, String> fields) {
        return new ApiException(400, "invalid_request", message, fields);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "not_found", message);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Map<String, String> fields() {
        return fields;
    }
}
