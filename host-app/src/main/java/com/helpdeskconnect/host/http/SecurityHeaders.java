package com.helpdeskconnect.host.http;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Headers of the chat page: a Content-Security-Policy that allows only the page's own inline
 * script and style (by hash, computed from the page served, so an edit of the page keeps working),
 * no framing, no sniffing, no referrer. API answers get theirs in {@link HttpGuard}. The admin
 * console has no inline code at all: its policy allows only the host's own files.
 */
final class SecurityHeaders {
    private static final Pattern SCRIPT = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL);
    private static final Pattern STYLE = Pattern.compile("<style>(.*?)</style>", Pattern.DOTALL);

    private SecurityHeaders() {}

    static String chatContentSecurityPolicy(String html) {
        return "default-src 'none'; script-src " + hashes(SCRIPT, html) + "; style-src " + hashes(STYLE, html)
                + "; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    }

    /** The admin console's policy: script, style and API calls from this host only, nothing inline. */
    static final String ADMIN_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            + "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    static void admin(Context ctx) {
        chat(ctx, ADMIN_POLICY);
        ctx.header("Cross-Origin-Opener-Policy", "same-origin");
    }

    static void chat(Context ctx, String policy) {
        ctx.header("Content-Security-Policy", policy);
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
    }

    private static String hashes(Pattern block, String html) {
        List<String> sources = new ArrayList<>();
        Matcher m = block.matcher(html);
        while (m.find()) {
            sources.add("'sha256-" + sha256(m.group(1)) + "'");
        }
        return sources.isEmpty() ? "'none'" : String.join(" ", sources);
    }

    private static String sha256(String text) {
        try {
            return Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
