package com.helpdeskconnect.sandbox.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.IOException;

/** JSON in and out of a sandbox's admin (agent, inspection, faults) API. */
public final class AdminJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AdminJson() {
    }

    /** The request body as JSON; an empty object when blank. */
    public static JsonNode body(Context ctx) {
        String text = ctx.body();
        return text.isBlank() ? MAPPER.createObjectNode() : readTree(text);
    }

    /** @throws IllegalArgumentException when {@code text} is not JSON (the admin API answers 400) */
    public static JsonNode readTree(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException("The body is not valid JSON", e);
        }
    }

    /** The field's text; null when it is absent or JSON null. */
    public static String textOrNull(JsonNode body, String field) {
        JsonNode node = body.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }

    public static void write(Context ctx, int status, JsonNode body) {
        ctx.status(status).contentType("application/json").result(body.toString());
    }
}
