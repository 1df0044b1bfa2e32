package com.helpdeskconnect.host.http;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Guards the admin API when {@code HELPDESK_CONNECT_ADMIN_TOKEN} is set: integrations (their GET
 * shows the webhook and callback secrets), connectors and parked-work retries. Webhooks, events,
 * conversation reads, the stream, the chat page, health and metrics stay open: the helpdesk, the
 * AI platform and the chat widget call those.
 */
final class AdminToken {
    private static final String BEARER = "Bearer ";

    private AdminToken() {}

    static boolean protects(String path) {
        return path.startsWith("/api/v1/integrations") || path.startsWith("/api/v1/connectors")
                || (path.startsWith("/api/v1/conversations/") && path.endsWith("/retry"));
    }

    static void check(Context ctx, String token) {
        if (!protects(ctx.path())) {
            return;
        }
        String header = ctx.header("Authorization");
        String presented = header != null && header.startsWith(BEARER) ? header.substring(BEARER.length()).trim() : "";
        if (!MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
            throw new ApiException(401, "unauthorized",
                    "This admin API needs 'Authorization: Bearer <HELPDESK_CONNECT_ADMIN_TOKEN>'");
        }
    }
}
