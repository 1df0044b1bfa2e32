package com.helpdeskconnect.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.helpdeskconnect.sandbox.identity.RegisteredClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TokenFlowTest {
    private static final MutableClock CLOCK = new MutableClock();

    @RegisterExtension
    static CreatioSandboxExtension creatio = new CreatioSandboxExtension(b -> b.clock(CLOCK)
            .tokenLifetime(Duration.ofSeconds(120))
            .addClient(RegisteredClient.of("SHORTLIVED", "SECRET").withTokenLifetime(Duration.ofSeconds(30))));

    @Test
    void clientCredentialsGiveABearerTokenThatOpensOData() {
        Http.Response response = Http.postForm(creatio.tokenUrl(), Map.of("grant_type", "client_credentials",
                "client_id", creatio.clientId(), "client_secret", creatio.clientSecret()));

        assertThat(response.status()).isEqualTo(200);
        JsonNode json = response.json();
        assertThat(json.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(json.get("expires_in").asInt()).isEqualTo(120);
        assertThat(json.has("refresh_token")).isFalse();
        String token = json.get("access_token").asText();
        assertThat(Http.get(creatio.odataUrl() + "/CaseStatus", token).status()).isEqualTo(200);
    }

    @Test
    void generatedCredentialsLookLikeCreatios() {
        assertThat(creatio.clientId()).matches("[0-9A-F]{32}");
        assertThat(creatio.clientSecret()).matches("[0-9A-F]{64}");
    }

    @Test
    void wrongSecretIsInvalidClient() {
        Http.Response response = Http.postForm(creatio.tokenUrl(), Map.of("grant_type", "client_credentials",
                "client_id", creatio.clientId(), "client_secret", "nope"));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("error").asText()).isEqualTo("invalid_client");
    }

    @Test
    void unknownClientIsInvalidClient() {
        Http.Response response = Http.postForm(creatio.tokenUrl(), Map.of("grant_type", "client_credentials",
                "client_id", "NOBODY", "client_secret", "x"));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("error").asText()).isEqualTo("invalid_client");
    }

    @Test
    void otherGrantTypesAreUnsupported() {
        Http.Response response = Http.postForm(creatio.tokenUrl(), Map.of("grant_type", "password",
                "client_id", creatio.clientId(), "client_secret", creatio.clientSecret()));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("error").asText()).isEqualTo("unsupported_grant_type");
    }

    @Test
    void tokenRequestSentToTheSiteGetsTheHtmlLoginPage() {
        Http.Response response = Http.postForm(creatio.baseUrl() + "/connect/token", Map.of(
                "grant_type", "client_credentials", "client_id", creatio.clientId(),
                "client_secret", creatio.clientSecret()));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("text/html");
        assertThat(response.body()).contains("<html");
    }

    @Test
    void tokensExpireAfterTheirClientsLifetime() {
        String token = Http.token(creatio.sandbox(), "SHORTLIVED", "SECRET");
        assertThat(Http.get(creatio.odataUrl() + "/CaseStatus", token).status()).isEqualTo(200);

        CLOCK.advance(Duration.ofSeconds(31));

        Http.Response expired = Http.get(creatio.odataUrl() + "/CaseStatus", token);
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.json().at("/error/message").asText()).isNotEmpty();
    }

    @Test
    void revokedTokensAreRefused() {
        String token = Http.token(creatio.sandbox(), "SHORTLIVED", "SECRET");
        creatio.sandbox().revokeAllTokens();

        assertThat(Http.get(creatio.odataUrl() + "/CaseStatus", token).status()).isEqualTo(401);
    }

    @Test
    void recordedTokenRequestsHideTheSecret() {
        Http.token(creatio.sandbox());

        assertThat(creatio.inspect().requests())
                .filteredOn(r -> r.endpoint().equals("POST /connect/token"))
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.body()).doesNotContain(creatio.clientSecret()));
    }
}
