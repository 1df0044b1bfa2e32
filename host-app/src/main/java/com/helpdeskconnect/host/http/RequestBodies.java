package com.helpdeskconnect.host.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * Reads request bodies without trusting the client: never more than a limit (413 at the first byte
 * past it, for declared and chunked bodies alike), JSON only as {@code application/json} (415), in
 * strict UTF-8, one JSON value and nothing after it (400).
 */
final class RequestBodies {
    private RequestBodies() {}

    /** The body, at most {@code limit} bytes. */
    static byte[] read(Context ctx, long limit) {
        if (ctx.req().getContentLengthLong() > limit) {
            throw HttpGuard.tooLarge(limit);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            InputStream in = ctx.req().getInputStream();
            long total = 0;
            int n;
            while ((n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - total + 1))) > 0) {
                total += n;
                if (total > limit) {
                    throw HttpGuard.tooLarge(limit);
                }
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("The request body could not be read", e);
        }
        return out.toByteArray();
    }

    /** Whether the request says its body is JSON: {@code application/json}, optionally with charset=utf-8. */
    static boolean isJson(Context ctx) {
        String type = ctx.req().getContentType();
        if (type == null) {
            return false;
        }
        String[] parts = type.toLowerCase(Locale.ROOT).split(";");
        if (!parts[0].strip().equals("application/json")) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String param = parts[i].strip();
            if (param.startsWith("charset=") && !param.substring(8).replace("\"", "").equals("utf-8")) {
                return false;
            }
        }
        return true;
    }

    /** A JSON body of a JSON route: 415 unless declared as JSON, then strict parsing. */
    static JsonNode json(Context ctx, ObjectMapper mapper, long limit) {
        if (!isJson(ctx)) {
            throw new ApiException(415, "unsupported_media_type",
                    "The body must be sent as Content-Type: application/json (UTF-8)");
        }
        return parse(read(ctx, limit), mapper);
    }

    /**
     * The JSON body of a route whose body is optional: {@code null} when the request has none (no
     * or a zero Content-Length, not chunked) or, declared as JSON, only white space; otherwise
     * exactly as {@link #json}.
     */
    static JsonNode optionalJson(Context ctx, ObjectMapper mapper, long limit) {
        boolean chunked = ctx.req().getHeader("Transfer-Encoding") != null;
        if (!isJson(ctx) && !chunked && ctx.req().getContentLengthLong() <= 0) {
            return null;
        }
        if (!isJson(ctx)) {
            throw new ApiException(415, "unsupported_media_type",
                    "The body must be sent as Content-Type: application/json (UTF-8)");
        }
        byte[] body = read(ctx, limit);
        return utf8(body).isBlank() ? null : parse(body, mapper);
    }

    /** One JSON value in strict UTF-8, nothing before or after it but white space. */
    static JsonNode parse(byte[] body, ObjectMapper mapper) {
        String text = utf8(body);
        if (text.isBlank()) {
            throw new ApiException(400, "invalid_json", "The request body is empty");
        }
        try {
            return mapper.readTree(text);
        } catch (JsonProcessingException e) {
            // Jackson's own message quotes the offending input, which may be a secret: say only where
            throw new ApiException(400, "invalid_json", "The request body is not valid JSON" + (e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")"));
        }
    }

    /** Decodes strictly: malformed or truncated UTF-8 is refused rather than replaced. */
    static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw new ApiException(400, "invalid_encoding", "The request body is not valid UTF-8", Map.of());
        }
    }
}
