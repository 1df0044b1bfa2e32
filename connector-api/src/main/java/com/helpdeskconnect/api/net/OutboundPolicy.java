package com.helpdeskconnect.api.net;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;
import javax.net.SocketFactory;

/**
 * Where a connector may connect. The host decides (it denies loopback, link-local, private and
 * similar addresses unless an operator allows them); a plugin does its own HTTP and must route every
 * outbound connection through this policy:
 *
 * <pre>{@code
 * new OkHttpClient.Builder()
 *     .dns(policy::lookup)                    // only permitted addresses are returned
 *     .socketFactory(policy.socketFactory())  // checked again on the address actually connected to
 *     .followRedirects(false).followSslRedirects(false)
 * }</pre>
 *
 * and call {@link #checkUrl(URI)} on every URL taken from settings before using it. The contract-test
 * kit checks that a connector honours a denying policy.
 *
 * @since 2.0.0
 */
public interface OutboundPolicy {

    /**
     * Resolves {@code hostname} and returns its addresses, all of them permitted.
     *
     * @throws OutboundDeniedException when every address the name resolves to is denied
     * @throws UnknownHostException    when the name does not resolve
     */
    List<InetAddress> lookup(String hostname) throws UnknownHostException;

    /** Sockets that refuse, with {@link OutboundDeniedException}, to connect to a denied address. */
    SocketFactory socketFactory();

    /**
     * Checks a URL from settings before it is used: http or https, no user info, a host present,
     * and a host that is not a denied literal address.
     *
     * @throws IllegalArgumentException naming what is wrong (never the URL's secrets: it has none, user
     *                                  info is refused); a connector reports it as an invalid setting
     */
    void checkUrl(URI url);

    /** Whether a connection to {@code address} is permitted. */
    boolean permits(InetAddress address);

    /** A policy that permits everything: for a plugin's own unit tests, never used by the host. */
    static OutboundPolicy unrestricted() {
        return new OutboundPolicy() {
            @Override
            public List<InetAddress> lookup(String hostname) throws UnknownHostException {
                return List.of(InetAddress.getAllByName(hostname));
            }

            @Override
            public SocketFactory socketFactory() {
                return SocketFactory.getDefault();
            }

            @Override
            public void checkUrl(URI url) {
                Objects.requireNonNull(url, "url");
            }

            @Override
            public boolean permits(InetAddress address) {
                return true;
            }
        };
    }

    /**
     * A socket factory that checks each address against {@code policy} at connect time. Host and kit
     * implementations can return it from {@link #socketFactory()}.
     */
    static SocketFactory guardedSocketFactory(OutboundPolicy policy) {
        return new SocketFactory() {
            @Override
            public Socket createSocket() {
                return new Socket() {
                    @Override
                    public void connect(SocketAddress endpoint, int timeout) throws java.io.IOException {
                        if (endpoint instanceof InetSocketAddress inet && inet.getAddress() != null
                                && !policy.permits(inet.getAddress())) {
                            throw new OutboundDeniedException("Outbound connection to " + inet.getAddress().getHostAddress()
                                    + " is not allowed by the host's outbound policy");
                        }
                        super.connect(endpoint, timeout);
                    }
                };
            }

            @Override
            public Socket createSocket(String host, int port) throws java.io.IOException {
                Socket socket = createSocket();
                socket.connect(new InetSocketAddress(host, port));
                return socket;
            }

            @Override
            public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws java.io.IOException {
                Socket socket = createSocket();
                socket.bind(new InetSocketAddress(localHost, localPort));
                socket.connect(new InetSocketAddress(host, port));
                return socket;
            }

            @Override
            public Socket createSocket(InetAddress host, int port) throws java.io.IOException {
                Socket socket = createSocket();
                socket.connect(new InetSocketAddress(host, port));
                return socket;
            }

            @Override
            public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                    throws java.io.IOException {
                Socket socket = createSocket();
                socket.bind(new InetSocketAddress(localAddress, localPort));
                socket.connect(new InetSocketAddress(address, port));
                return socket;
            }
        };
    }
}
