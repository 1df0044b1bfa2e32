package com.helpdeskconnect.host.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.helpdeskconnect.host.testing.HostFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With HELPDESK_CONNECT_ADMIN_TOKEN set, the admin API wants it; what others call stays open. */
class AdminTokenTest {
    private static final String TOKEN = "admin-token-for-tests-0123456789";

    @TempDir
    Path dir;
    HostFixture host;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        host = HostFixture.start(dir, c -> c.withAdminToken(TOKEN));
    }

    @AfterEach
    void stop() {
        host.close();
    }

    private int get(String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + host.port() + path)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void adminApiNeedsTheToken() throws Exception {
        assertThat(get("/api/v1/connectors", null)).isEqualTo(401);
        assertThat(get("/api/v1/connectors", "Bearer wrong")).isEqualTo(401);
        assertThat(get("/api/v1/integrations/acme", null)).isEqualTo(401);
        assertThat(get("/api/v1/connectors", "Bearer " + TOKEN)).isEqualTo(200);
        assertThat(get("/api/v1/integrations/acme", "Bearer " + TOKEN)).isEqualTo(404);
    }

    @Test
    void whatTheHelpdeskTheAiAndTheWidgetCallStaysOpen() throws Exception {
        assertThat(get("/health", null)).isEqualTo(200);
        assertThat(get("/api/v1/conversations/nobody", null)).isEqualTo(404);
        assertThat(get("/openapi.yaml", null)).isEqualTo(200);
    }
}
