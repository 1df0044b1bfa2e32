package com.helpdeskconnect.host.config;

import com.helpdeskconnect.host.security.BootstrapToken;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Listening beyond loopback (for example {@code 0.0.0.0}) exposes the host to the network, so it
 * needs a deliberately configured credential ({@code HELPDESK_CONNECT_ADMIN_TOKEN}, or the
 * {@code admin.token} an earlier start generated) and a public URL ({@code HELPDESK_CONNECT_PUBLIC_URL})
 * that the {@code Host} header is checked against. A loopback bind needs neither.
 */
public final class BindPolicy {
    private BindPolicy() {}

    public static boolean isLoopback(String bindHost) {
        try {
            return InetAddress.getByName(bindHost).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Why the host must not start with this configuration, in one line; empty when it may. */
    public static Optional<String> refusal(HostConfig config) {
        if (config.publicUrl() != null) {
            try {
                URI uri = new URI(config.publicUrl());
                if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                        || uri.getUserInfo() != null) {
                    return Optional.of("HELPDESK_CONNECT_PUBLIC_URL must be an http(s) URL such as https://connect.example.com");
                }
            } catch (java.net.URISyntaxException e) {
                return Optional.of("HELPDESK_CONNECT_PUBLIC_URL must be an http(s) URL such as https://connect.example.com");
            }
        }
        if (isLoopback(config.bindHost())) {
            return Optional.empty();
        }
        if (!BootstrapToken.configured(config.adminToken(), config.dataDir())) {
            return Optional.of("Refusing to listen on " + config.bindHost() + " (beyond loopback) without a credential: set "
                    + "HELPDESK_CONNECT_ADMIN_TOKEN (or start once on 127.0.0.1 to generate "
                    + config.dataDir().resolve(BootstrapToken.FILE_NAME) + ")");
        }
        if (config.publicUrl() == null) {
            return Optional.of("Refusing to listen on " + config.bindHost() + " (beyond loopback) without "
                    + "HELPDESK_CONNECT_PUBLIC_URL: the Host header of every request is checked against it");
        }
        return Optional.empty();
    }
}
