package com.helpdeskconnect.testkit;

import com.helpdeskconnect.api.net.OutboundDeniedException;
import com.helpdeskconnect.api.net.OutboundPolicy;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Predicate;
import javax.net.SocketFactory;

/** Outbound policies the suite opens connections with. */
public final class ContractOutboundPolicies {

    private ContractOutboundPolicies() {}

    /** Permits loopback addresses only: enough for sandboxes on local random ports. */
    public static OutboundPolicy loopbackOnly() {
        return new Policy(InetAddress::isLoopbackAddress, "only loopback addresses are allowed");
    }

    /** Permits nothing: a connection opened with it must never reach the helpdesk. */
    public static OutboundPolicy denyAll() {
        return new Policy(address -> false, "no outbound connection is allowed");
    }

    /** Resolves, checks URLs and guards sockets the way the host's policy does, with a given rule. */
    private static final class Policy implements OutboundPolicy {
        private final Predicate<InetAddress> permitted;
        private final String rule;
        private final SocketFactory sockets = OutboundPolicy.guardedSocketFactory(this);

        Policy(Predicate<InetAddress> permitted, String rule) {
            this.permitted = permitted;
            this.rule = rule;
        }

        @Override
        public List<InetAddress> lookup(String hostname) throws UnknownHostException {
            List<InetAddress> allowed = List.of(InetAddress.getAllByName(hostname)).stream().filter(permitted).toList();
            if (allowed.isEmpty()) {
                throw new OutboundDeniedException("Outbound connection to " + hostname + " refused: " + rule);
            }
            return allowed;
        }

        @Override
        public SocketFactory socketFactory() {
            return sockets;
        }

        @Override
        public void checkUrl(URI url) {
            Objects.requireNonNull(url, "url");
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new IllegalArgumentException("The URL must use http or https");
            }
            if (url.getRawUserInfo() != null) {
                throw new IllegalArgumentException("The URL must not contain user info");
            }
            String host = url.getHost();
            if (host == null || host.isEmpty()) {
                throw new IllegalArgumentException("The URL has no host");
            }
            if (isLiteral(host)) {
                try {
                    if (!permitted.test(InetAddress.getByName(host))) {
                        throw new IllegalArgumentException("The URL's address is not allowed: " + rule);
                    }
                } catch (UnknownHostException e) {
                    throw new IllegalArgumentException("The URL's host is not a valid address");
                }
            }
        }

        @Override
        public boolean permits(InetAddress address) {
            return permitted.test(address);
        }

        private static boolean isLiteral(String host) {
            return host.startsWith("[") || host.chars().allMatch(c -> Character.isDigit(c) || c == '.')
                    || host.contains(":");
        }
    }
}
