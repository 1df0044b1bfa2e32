package com.helpdeskconnect.host.http;

import com.helpdeskconnect.host.config.BindPolicy;
import io.javalin.http.Context;
import java.net.URI;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Refuses requests whose {@code Host} is neither the public URL's host nor, on a loopback bind, a
 * loopback name: a browser tricked by DNS rebinding sends the attacker's host name, so it never
 * reaches the API. {@code /health} is exempt (load balancers probe it by address; it tells nothing).
 */
final class HostHeaderCheck {
    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]");

    private final Set<String> allowed = new HashSet<>();
    private final boolean loopbackNames;

    HostHeaderCheck(String publicUrl, String bindHost) {
        this.loopbackNames = BindPolicy.isLoopback(bindHost);
        if (publicUrl != null) {
            URI uri = URI.create(publicUrl);
            String host = uri.getHost().toLowerCase(Locale.ROOT);
            int port = uri.getPort();
            int defaultPort = "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
            if (port == -1 || port == defaultPort) {
                allowed.add(host);
                allowed.add(host + ":" + defaultPort);
            } else {
                allowed.add(host + ":" + port);
            }
        }
    }

    void check(Context ctx) {
        if ("/health".equals(ctx.path())) {
            return;
        }
        String host = ctx.header("Host");
        if (host == null || !permits(host.trim().toLowerCase(Locale.ROOT))) {
            throw new ApiException(421, "misdirected_request",
                    "The Host header does not name this service (see HELPDESK_CONNECT_PUBLIC_URL)");
        }
    }

    private boolean permits(String host) {
        if (allowed.contains(host)) {
            return true;
        }
        if (loopbackNames) {
            int colon = host.lastIndexOf(':');
            String name = colon > host.lastIndexOf(']') ? host.substring(0, colon) : host;
            return LOOPBACK.contains(name);
        }
        return false;
    }
}
