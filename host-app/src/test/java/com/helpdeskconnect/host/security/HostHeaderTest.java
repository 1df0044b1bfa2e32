package com.helpdeskconnect.host.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.helpdeskconnect.host.testing.HostFixture;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code Host} header must name this service (DNS rebinding: a page on evil.example resolving
 * to 127.0.0.1 makes the browser send {@code Host: evil.example}). Raw sockets, because HTTP
 * clients do not let a caller set {@code Host}.
 */
class HostHeaderTest {
    @TempDir
    Path dir;
    HostFixture host;

    @AfterEach
    void stop() {
        host.close();
    }

    private int status(String path, String hostHeader) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", host.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\n" + (hostHeader == null ? "" : "Host: " + hostHeader + "\r\n")
                    + "Authorization: Bearer " + host.adminToken() + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String head = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            return Integer.parseInt(head.substring(9, 12));
        }
    }

    @Test
    void onLoopbackOnlyLoopbackNamesAreServed() throws IOException {
        host = HostFixture.start(dir);
        assertThat(status("/api/v1/connectors", "127.0.0.1:" + host.port())).isEqualTo(200);
        assertThat(status("/api/v1/connectors", "localhost:" + host.port())).isEqualTo(200);
        assertThat(status("/api/v1/connectors", "LOCALHOST")).isEqualTo(200);
        assertThat(status("/api/v1/connectors", "[::1]:" + host.port())).isEqualTo(200);
        assertThat(status("/api/v1/connectors", "evil.example")).isEqualTo(421);
        assertThat(status("/api/v1/connectors", "evil.example:" + host.port())).isEqualTo(421);
        assertThat(status("/api/v1/connectors", "localhost.evil.example")).isEqualTo(421);
        assertThat(status("/webhooks/acme", "evil.example")).isEqualTo(421);
        assertThat(status("/chat", "evil.example")).isEqualTo(421);
        assertThat(status("/health", "evil.example")).isEqualTo(200);
    }

    @Test
    void withAPublicUrlItsHostIsServed() throws IOException {
        host = HostFixture.start(dir, c -> c.withBind("127.0.0.1", "https://connect.example.com"));
        assertThat(status("/api/v1/connectors", "connect.example.com")).isEqualTo(200);
        assertThat(status("/api/v1/connectors", "Connect.Example.com:443")).isEqualTo(200);
        assertThat(status("/api/v1/connectors", "connect.example.com:8443")).isEqualTo(421);
        assertThat(status("/api/v1/connectors", "127.0.0.1:" + host.port())).isEqualTo(200); // bound to loopback
        assertThat(status("/api/v1/connectors", "example.com")).isEqualTo(421);
    }
}
