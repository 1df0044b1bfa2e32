package com.helpdeskconnect.host.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.helpdeskconnect.api.net.OutboundDeniedException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HostOutboundPolicyTest {
    final HostOutboundPolicy policy = HostOutboundPolicy.withAllowList(null);

    @ParameterizedTest
    @ValueSource(strings = {
            "127.0.0.1", "127.255.255.254", "10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.255.255",
            "192.168.1.1", "100.64.0.1", "100.127.255.255", "169.254.169.254", "169.254.0.1", "0.0.0.0", "0.1.2.3",
            "224.0.0.1", "239.255.255.250", "240.0.0.1", "255.255.255.255", "192.0.2.10", "198.18.0.1",
            "::", "::1", "fe80::1", "fc00::1", "fd12:3456:789a::1", "fec0::1", "ff02::1",
            "::ffff:127.0.0.1", "::ffff:169.254.169.254", "::ffff:10.0.0.1", "::ffff:192.168.0.1",
            "::127.0.0.1", "64:ff9b::a9fe:a9fe", "64:ff9b::7f00:1", "2002:a9fe:a9fe::1", "2002:7f00:1::"})
    void deniesInternalAddressesInEveryForm(String literal) throws Exception {
        assertThat(policy.permits(InetAddress.getByName(literal))).as(literal).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.215.14", "8.8.8.8", "1.1.1.1", "172.32.0.1", "172.15.255.255", "100.128.0.1",
            "192.169.0.1", "11.0.0.1", "2606:4700:4700::1111", "2001:4860:4860::8888", "::ffff:8.8.8.8",
            "64:ff9b::808:808", "2002:808:808::1"})
    void permitsPublicAddresses(String literal) throws Exception {
        assertThat(policy.permits(InetAddress.getByName(literal))).as(literal).isTrue();
    }

    @Test
    void mappedAddressesBuiltByteWiseAreStillDenied() throws Exception {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xFF;
        mapped[11] = (byte) 0xFF;
        mapped[12] = (byte) 169;
        mapped[13] = (byte) 254;
        mapped[14] = (byte) 169;
        mapped[15] = (byte) 254;
        // the JDK turns a parsed ::ffff:a.b.c.d into IPv4; an Inet6Address holding the bytes is the other path
        InetAddress v6 = java.net.Inet6Address.getByAddress(null, mapped, -1);
        assertThat(v6.getAddress()).hasSize(16);
        assertThat(policy.permits(v6)).isFalse();
    }

    @Test
    void allowListOpensOnlyItsRanges() throws Exception {
        HostOutboundPolicy onPrem = HostOutboundPolicy.withAllowList("10.1.2.0/24, 127.0.0.0/8,fd00:1::/32");
        assertThat(onPrem.permits(InetAddress.getByName("10.1.2.99"))).isTrue();
        assertThat(onPrem.permits(InetAddress.getByName("10.1.3.1"))).isFalse();
        assertThat(onPrem.permits(InetAddress.getByName("127.0.0.1"))).isTrue();
        assertThat(onPrem.permits(InetAddress.getByName("::ffff:127.0.0.1"))).isTrue();
        assertThat(onPrem.permits(InetAddress.getByName("fd00:1::5"))).isTrue();
        assertThat(onPrem.permits(InetAddress.getByName("fd00:2::5"))).isFalse();
        assertThat(onPrem.permits(InetAddress.getByName("169.254.169.254"))).isFalse();
    }

    @Test
    void allowListTakesOnlyLiteralRanges() {
        assertThatThrownBy(() -> HostOutboundPolicy.withAllowList("intranet.example/24"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("intranet.example");
        assertThatThrownBy(() -> HostOutboundPolicy.withAllowList("10.0.0.0/33"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prefix");
        assertThatThrownBy(() -> HostOutboundPolicy.withAllowList("10.0.0.0/x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(HostOutboundPolicy.withAllowList(" ").allowed()).isEmpty();
        assertThat(HostOutboundPolicy.withAllowList("192.168.7.7").allowed()).singleElement()
                .hasToString("192.168.7.7/32");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://169.254.169.254/latest/meta-data/", "https://10.0.0.1/", "http://127.0.0.1:8080/x",
            "http://[::1]/", "http://[::ffff:169.254.169.254]/", "http://0.0.0.0/", "http://user:pw@example.com/",
            "ftp://example.com/", "file:///etc/passwd", "http:///nohost"})
    void refusesUrlsThatPointInsideOrCarryUserInfo(String url) {
        assertThatThrownBy(() -> policy.checkUrl(URI.create(url))).isInstanceOf(IllegalArgumentException.class)
                .hasCauseInstanceOf(OutboundDeniedException.class);
    }

    @Test
    void userInfoIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> policy.checkUrl(URI.create("https://admin:hunter2@example.com/")))
                .hasMessageContaining("user info").hasMessageNotContaining("hunter2");
    }

    @Test
    void acceptsPublicUrls() {
        policy.checkUrl(URI.create("https://acme.creatio.com/0/odata"));
        policy.checkUrl(URI.create("http://93.184.215.14:8080/callback"));
    }

    @Test
    void lookupReturnsOnlyPermittedAddressesAndRefusesANameOfOnlyInternalOnes() throws Exception {
        HostOutboundPolicy resolving = new HostOutboundPolicy(List.of(), host -> switch (host) {
            case "mixed.example" -> new InetAddress[] {InetAddress.getByName("10.0.0.7"), InetAddress.getByName("93.184.215.14")};
            case "metadata.example" -> new InetAddress[] {InetAddress.getByName("169.254.169.254")};
            default -> throw new UnknownHostException(host);
        });
        assertThat(resolving.lookup("mixed.example")).containsExactly(InetAddress.getByName("93.184.215.14"));
        assertThatThrownBy(() -> resolving.lookup("metadata.example")).isInstanceOf(OutboundDeniedException.class)
                .hasMessageContaining("HELPDESK_CONNECT_OUTBOUND_ALLOW");
        assertThatThrownBy(() -> resolving.lookup("nowhere.example")).isInstanceOf(UnknownHostException.class)
                .isNotInstanceOf(OutboundDeniedException.class);
        // a name is only checked when resolved: checkUrlAndResolve does it at save time
        assertThatThrownBy(() -> resolving.checkUrlAndResolve(URI.create("http://metadata.example/latest/")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void dnsRebindingGainsNothing() throws Exception {
        // first answer public, every later one loopback: the classic rebinding resolver
        AtomicInteger asked = new AtomicInteger();
        HostOutboundPolicy rebinding = new HostOutboundPolicy(List.of(), host -> asked.getAndIncrement() == 0
                ? new InetAddress[] {InetAddress.getByName("93.184.215.14")}
                : new InetAddress[] {InetAddress.getByName("127.0.0.1")});
        rebinding.checkUrlAndResolve(URI.create("http://rebind.example/"));
        assertThatThrownBy(() -> rebinding.lookup("rebind.example")).isInstanceOf(OutboundDeniedException.class);
        // and a client that resolves on its own still connects through the guarded socket
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket socket = rebinding.socketFactory().createSocket()) {
            assertThatThrownBy(() -> socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()), 1000))
                    .isInstanceOf(OutboundDeniedException.class);
        }
    }

    @Test
    void guardedSocketsConnectWhereTheAllowListSays() throws IOException {
        HostOutboundPolicy sandbox = HostOutboundPolicy.withAllowList("127.0.0.0/8");
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket socket = sandbox.socketFactory().createSocket("127.0.0.1", listener.getLocalPort())) {
            assertThat(socket.isConnected()).isTrue();
        }
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> policy.socketFactory().createSocket("127.0.0.1", listener.getLocalPort()))
                    .isInstanceOf(OutboundDeniedException.class);
        }
    }
}
