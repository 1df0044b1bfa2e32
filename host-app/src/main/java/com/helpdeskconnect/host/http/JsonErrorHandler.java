package com.helpdeskconnect.host.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Jetty's own error answers (URI too long, header fields too large, bad requests that never reach
 * a route) in the API's JSON error shape instead of Jetty's HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {
    private final ObjectMapper mapper;

    JsonErrorHandler(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request, HttpServletResponse response,
                                              int code, String message) throws IOException {
        baseRequest.setHandled(true);
        response.setContentType("application/json");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Cache-Control", "no-store");
        response.getOutputStream().write(body(code));
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        fields.put("X-Content-Type-Options", "nosniff");
        fields.put(HttpHeader.CACHE_CONTROL, "no-store");
        return ByteBuffer.wrap(body(status));
    }

    /** A fixed message per status: Jetty's reason may quote the request. */
    private byte[] body(int status) {
        ErrorBody error = switch (status) {
            case 400 -> new ErrorBody("bad_request", "The request is not valid HTTP", Map.of());
            case 404 -> new ErrorBody("not_found", "No such resource", Map.of());
            case 405 -> new ErrorBody("method_not_allowed", "This method is not allowed here", Map.of());
            case 413 -> new ErrorBody("request_too_large", "The request is too large", Map.of());
            case 414 -> new ErrorBody("uri_too_long", "The request URI is too long", Map.of());
            case 431 -> new ErrorBody("headers_too_large", "The request header fields are too large", Map.of());
            case 503 -> new ErrorBody("unavailable", "The host cannot answer now; retry later", Map.of());
            case 505 -> new ErrorBody("http_version_not_supported", "Only HTTP/1.1 and HTTP/1.0 are served", Map.of());
            default -> new ErrorBody(status >= 500 ? "internal_error" : "http_error", "HTTP error " + status, Map.of());
        };
        try {
            return mapper.writeValueAsBytes(error);
        } catch (JsonProcessingException e) {
            return ("{\"error\":\"http_error\"}").getBytes(StandardCharsets.UTF_8);
        }
    }
}
