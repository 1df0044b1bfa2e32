package com.helpdeskconnect.host.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.helpdeskconnect.host.testing.Api;
import com.helpdeskconnect.host.testing.HostFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the API shows about secrets, and that what it shows is what works. */
class SecretHandlingTest {
    @TempDir
    Path dir;
    HostFixture host;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        host = HostFixture.start(dir);
    }

    @AfterEach
    void stop() {
        host.close();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void generatedWebhookSecretShownOnGetIsTheOneTheConnectorAccepts() throws Exception {
        assertThat(host.putIntegration("acme", Map.of()).status()).isEqualTo(200); // no webhookSecret setting
        String shown = host.api.get("/api/v1/integrations/acme").json().get("webhook").get("secret").asText();
        assertThat(shown).isNotBlank();
        HttpRequest.Builder call = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + host.port() + "/webhooks/acme"))
                .header("X-Webhook-Secret", shown)
                .POST(HttpRequest.BodyPublishers.ofString("replied:case-1:On it"));
        assertThat(send(call).statusCode()).isEqualTo(202);
    }

    @Test
    void malformedJsonIsRefusedWithoutQuotingTheBody() throws Exception {
        String secret = "SUPERSECRETVALUE123";
        Api.Response response = host.api.put("/api/v1/integrations/acme",
                "{\"connector\":\"fakedesk\",\"settings\":{\"password\": " + secret + "}}");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.text()).contains("invalid_json").doesNotContain(secret);
        assertThat(host.api.get("/api/v1/integrations/acme").status()).isEqualTo(404);
    }
}
