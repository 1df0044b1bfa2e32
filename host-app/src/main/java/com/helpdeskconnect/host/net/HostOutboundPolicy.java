package com.helpdeskconnect.host.net;

import com.helpdeskconnect.api.net.OutboundDeniedException;
import com.helpdeskconnect.api.net.OutboundPolicy;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.net.SocketFactory;

/**
 * The host's outbound policy: no connections to this machine, the local networks or the cloud's
 * metadata service unless an operator allows a range ({@code HELPDESK_CONNECT_OUTBOUND_ALLOW}, e.g.
 * an on-premise Creatio at {@code 10.1.2.0/24}, or {@code 127.0.0.0/8} for a local sandbox).
 *
 * <p>Denied: unspecified ({@code 0.0.0.0/8}, {@code ::}), loopback ({@code 127.0.0.0/8}, {@code ::1}),
 * private ({@code 10/8}, {@code 172.16/12}, {@code 192.168/16}), carrier-grade NAT ({@code 100.64/10}),
 * link-local ({@code 169.254/16} with the metadata address {@code 169.254.169.254}, {@code fe80::/10}),
 * IETF, documentation and benchmark ranges, multicast and reserved ({@code 224/4}, {@code 240/4},
 * {@code ff00::/8}), unique-local and site-local IPv6 ({@code fc00::/7}, {@code fec0::/10}), and
 * every IPv6 form that carries an IPv4 address (mapped {@code ::ffff:0:0/96}, compatible
 * {@code ::/96}, NAT64 {@code 64:ff9b::/96}, 6to4 {@code 2002::/16}) when the IPv4 inside is denied.
 *
 * <p>The check runs on the address actually connected to: {@link #lookup} returns only permitted
 * addresses, and {@link #socketFactory} refuses a denied one at connect time, so a name that
 * resolves differently the second time (DNS rebinding) gains nothing.
 */
public final class HostOutboundPolicy implements OutboundPolicy {
    private static final List<Cidr> DENIED_V4 = ranges("0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8",
            "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16",
            "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4");
    private static final List<Cidr> DENIED_V6 = ranges("::/128", "::1/128", "100::/64", "2001:db8::/32", "fc00::/7",
            "fe80::/10", "fec0::/10", "ff00::/8");

    /** Resolves a host name; the JDK's resolver by default, another in tests. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final List<Cidr> allowed;
    private final Resolver resolver;
    private final SocketFactory sockets;

    public HostOutboundPolicy(List<Cidr> allowed, Resolver resolver) {
        this.allowed = List.copyOf(allowed);
        this.resolver = resolver;
        this.sockets = OutboundPolicy.guardedSocketFactory(this);
    }

    /** The policy with the operator's allow-list: comma-separated ranges, or null/blank for none. */
    public static HostOutboundPolicy withAllowList(String commaSeparated) {
        return new HostOutboundPolicy(parseAllowList(commaSeparated), InetAddress::getAllByName);
    }

    /** @throws IllegalArgumentException naming the range that is not one */
    public static List<Cidr> parseAllowList(String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isBlank()) {
            return List.of();
        }
        List<Cidr> ranges = new ArrayList<>();
        for (String part : commaSeparated.split(",")) {
            if (!part.isBlank()) {
                ranges.add(Cidr.parse(part));
            }
        }
        return ranges;
    }

    public List<Cidr> allowed() {
        return allowed;
    }

    @Override
    public boolean permits(InetAddress address) {
        byte[] bytes = address.getAddress();
        for (Cidr range : allowed) {
            if (range.contains(bytes) || (embeddedV4(bytes) != null && range.contains(embeddedV4(bytes)))) {
                return true;
            }
        }
        return !denied(bytes);
    }

    private static boolean denied(byte[] bytes) {
        if (bytes.length == 4) {
            return DENIED_V4.stream().anyMatch(r -> r.contains(bytes));
        }
        byte[] v4 = embeddedV4(bytes);
        if (v4 != null && denied(v4)) {
            return true;
        }
        return DENIED_V6.stream().anyMatch(r -> r.contains(bytes));
    }

    /** The IPv4 address inside a mapped, compatible, NAT64 or 6to4 IPv6 address; null for other forms. */
    static byte[] embeddedV4(byte[] v6) {
        if (v6.length != 16) {
            return null;
        }
        if (allZero(v6, 0, 10) && ((v6[10] == (byte) 0xFF && v6[11] == (byte) 0xFF) || (v6[10] == 0 && v6[11] == 0))) {
            return Arrays.copyOfRange(v6, 12, 16); // ::ffff:a.b.c.d and ::a.b.c.d
        }
        if (v6[0] == 0x00 && v6[1] == 0x64 && v6[2] == (byte) 0xFF && v6[3] == (byte) 0x9B && allZero(v6, 4, 12)) {
            return Arrays.copyOfRange(v6, 12, 16); // 64:ff9b::a.b.c.d
        }
        if (v6[0] == 0x20 && v6[1] == 0x02) {
            return Arrays.copyOfRange(v6, 2, 6); // 2002:aabb:ccdd::
        }
        return null;
    }

    private static boolean allZero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public List<InetAddress> lookup(String hostname) throws UnknownHostException {
        InetAddress[] all = resolver.resolve(hostname);
        List<InetAddress> permitted = Arrays.stream(all).filter(this::permits).toList();
        if (permitted.isEmpty()) {
            if (all.length == 0) {
                throw new UnknownHostException(hostname);
            }
            throw new OutboundDeniedException(denial(hostname));
        }
        return permitted;
    }

    @Override
    public SocketFactory socketFactory() {
        return sockets;
    }

    /**
     * Checks a URL from settings: http or https, a host, no user info, and a host that is not a
     * denied literal address. A name is checked when it is resolved ({@link #lookup}).
     *
     * @throws IllegalArgumentException with an {@link OutboundDeniedException} as its cause, naming what is wrong
     */
    @Override
    public void checkUrl(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw refused("must be an http or https URL");
        }
        if (url.getRawUserInfo() != null || (url.getRawAuthority() != null && url.getRawAuthority().contains("@"))) {
            throw refused("must not carry a user name or password (user info)");
        }
        String host = url.getHost();
        if (host == null || host.isEmpty()) {
            throw refused("must name a host");
        }
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (Cidr.isLiteral(literal)) {
            try {
                if (!permits(InetAddress.getByName(literal))) {
                    throw refused(denial(literal));
                }
            } catch (UnknownHostException e) {
                throw refused("has an invalid IP address");
            }
        }
    }

    /**
     * As {@link #checkUrl}, and when the host is a name, resolves it now: a URL whose every address
     * is denied is refused when it is saved rather than when it is first called.
     */
    public void checkUrlAndResolve(URI url) {
        checkUrl(url);
        String host = url.getHost();
        if (!Cidr.isLiteral(host.replace("[", "").replace("]", ""))) {
            try {
                lookup(host);
            } catch (OutboundDeniedException e) {
                throw refused(e.getMessage());
            } catch (UnknownHostException e) {
                // not resolvable now: the call will fail and say so; nothing is reached
            }
        }
    }

    private static IllegalArgumentException refused(String why) {
        return new IllegalArgumentException(why, new OutboundDeniedException(why));
    }

    private static String denial(String host) {
        return host + " is a loopback, private, link-local or otherwise internal address, which the host's outbound "
                + "policy denies (allow a range with HELPDESK_CONNECT_OUTBOUND_ALLOW)";
    }

    private static List<Cidr> ranges(String... texts) {
        return Arrays.stream(texts).map(Cidr::parse).toList();
    }
}
