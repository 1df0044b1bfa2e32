package com.helpdeskconnect.zendesk.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.helpdeskconnect.zendesk.sandbox.model.SeedData;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AuthenticationTest {
    @RegisterExtension
    static ZendeskSandboxExtension zendesk = new ZendeskSandboxExtension(
            b -> b.credentials("admin@acme.example", "GOODTOKEN").restrictedUser("rita@acme.example", "RITATOKEN"));

    @Test
    void apiTokenBasicAuthActsAsTheTokensUser() {
        Http.Response me = Http.get(zendesk.apiUrl() + "/users/me.json", zendesk.basicAuthorization());

        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().path("user").path("id").asLong()).isEqualTo(SeedData.USER_INTEGRATION);
        assertThat(me.json().path("user").path("role").asText()).isEqualTo("admin");
        assertThat(me.json().path("user").path("email").asText()).isEqualTo("admin@acme.example");
        assertThat(me.header("X-Rate-Limit")).isEqualTo("700");
    }

    @Test
    void aWrongTokenGetsCouldntAuthenticateYou() {
        Http.Response response = Http.get(zendesk.apiUrl() + "/tickets",
                ZendeskSandbox.basicAuthorization("admin@acme.example", "WRONG"));

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.body()).isEqualTo("{\"error\":\"Couldn't authenticate you\"}");
    }

    @Test
    void noHeaderPasswordAuthAndOtherUsersTokenAreAllRefused() {
        String password = "Basic " + Base64.getEncoder().encodeToString("admin@acme.example:GOODTOKEN"
                .getBytes(StandardCharsets.UTF_8));

        assertThat(Http.get(zendesk.apiUrl() + "/users/me", null).status()).isEqualTo(401);
        assertThat(Http.get(zendesk.apiUrl() + "/users/me", password).status()).isEqualTo(401);
        assertThat(Http.get(zendesk.apiUrl() + "/users/me",
                ZendeskSandbox.basicAuthorization("rita@acme.example", "GOODTOKEN")).status()).isEqualTo(401);
        assertThat(Http.get(zendesk.apiUrl() + "/users/me", "Bearer nope").status()).isEqualTo(401);
    }

    @Test
    void anEndUserTokenAuthenticatesButMayNotUseAgentEndpoints() {
        String rita = ZendeskSandbox.basicAuthorization("rita@acme.example", "RITATOKEN");

        Http.Response me = Http.get(zendesk.apiUrl() + "/users/me", rita);
        Http.Response fields = Http.get(zendesk.apiUrl() + "/ticket_fields", rita);

        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().path("user").path("role").asText()).isEqualTo("end-user");
        assertThat(fields.status()).isEqualTo(403);
        assertThat(fields.json().path("error").path("title").asText()).isEqualTo("Forbidden");
        assertThat(fields.json().path("error").path("message").asText()).startsWith("You do not have access");
    }

    @Test
    void clientCredentialsGrantGivesABearerTokenActingAsTheAdmin() {
        ZendeskSandbox sandbox = zendesk.sandbox();
        Http.Response token = Http.send(HttpRequest.newBuilder(URI.create(sandbox.tokenUrl()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"grant_type\":\"client_credentials\",\"client_id\":\""
                        + sandbox.oauthClientId() + "\",\"client_secret\":\"" + sandbox.oauthClientSecret()
                        + "\",\"scope\":\"read write\"}")));
        Http.Response wrong = Http.send(HttpRequest.newBuilder(URI.create(sandbox.tokenUrl()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id="
                        + sandbox.oauthClientId() + "&client_secret=nope")));

        assertThat(token.status()).isEqualTo(200);
        assertThat(token.json().path("token_type").asText()).isEqualTo("bearer");
        Http.Response me = Http.get(sandbox.apiUrl() + "/users/me",
                "Bearer " + token.json().path("access_token").asText());
        assertThat(me.json().path("user").path("id").asLong()).isEqualTo(SeedData.USER_INTEGRATION);
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json().path("error").asText()).isEqualTo("invalid_client");
    }

    @Test
    void recordedRequestsNeverHoldTheToken() {
        Http.get(zendesk.apiUrl() + "/users/me", zendesk.basicAuthorization());

        assertThat(zendesk.inspect().requests()).isNotEmpty().allSatisfy(r ->
                assertThat(r.headers().toString()).doesNotContain("GOODTOKEN").doesNotContain(
                        zendesk.basicAuthorization().substring(6)));
    }
}
