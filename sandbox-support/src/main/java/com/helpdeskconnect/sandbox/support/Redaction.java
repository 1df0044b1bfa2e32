package com.helpdeskconnect.sandbox.support;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/** Keeps secrets out of what a sandbox records about a request. */
public final class Redaction {
    private Redaction() {
    }

    /** The request's headers in order, the Authorization value redacted. */
    public static Map<String, String> headers(Context ctx) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : ctx.headerMap().keySet()) {
            headers.put(name, name.equalsIgnoreCase("Authorization") ? authorization(ctx.header(name)) : ctx.header(name));
        }
        return headers;
    }

    /** {@code Bearer abc} becomes {@code Bearer ***}: the scheme stays, the credential goes. */
    public static String authorization(String value) {
        int space = value == null ? -1 : value.indexOf(' ');
        return space < 0 ? "***" : value.substring(0, space) + " ***";
    }
}
