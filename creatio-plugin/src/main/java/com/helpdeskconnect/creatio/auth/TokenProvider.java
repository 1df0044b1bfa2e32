package com.helpdeskconnect.creatio.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.helpdeskconnect.api.errors.InvalidCredentialsException;
import com.helpdeskconnect.api.errors.InvalidSettingsException;
import com.helpdeskconnect.api.errors.RateLimitedException;
import com.helpdeskconnect.api.errors.TransientException;
import com.helpdeskconnect.api.settings.Secret;
import com.helpdeskconnect.creatio.net.Failures;
import com.helpdeskconnect.creatio.odata.RetryAfter;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import okhttp3.FormBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OAuth 2.0 client-credentials tokens from Creatio's identity service, for one integration.
 *
 * <p>The token is cached and renewed shortly before it expires. Callers that arrive while a token is
 * being fetched wait for that fetch instead of starting their own (one lock, checked twice), so a
 * burst of requests after expiry costs one token request.
 */
public final class TokenProvider {
    private static final Logger LOG = LoggerFactory.getLogger(TokenProvider.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Renew this long before expiry, so a request never leaves with a token about to lapse. */
    private static final Duration EARLY_RENEWAL = Duration.ofSeconds(60);

    private final OkHttpClient http;
    private final URI tokenUrl;
    private final String clientId;
    private final Secret clientSecret;
    private final Clock clock;
    private Token token;
    private int fetches;

    private record Token(String value, Instant renewAt) {}

    public TokenProvider(OkHttpClient http, URI identityServerUrl, String clientId, Secret clientSecret, Clock clock) {
        this.http = http;
        this.tokenUrl = identityServerUrl.resolve("/connect/token");
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.clock = clock;
    }

    /** A valid access token, fetched only when none is cached or it is about to expire. */
    public synchronized String token() {
        if (token == null || !clock.instant().isBefore(token.renewAt())) {
            token = fetch();
        }
        return token.value();
    }

    /**
     * Called when Creatio refused {@code rejected} with 401: fetches a new token unless another caller
     * already replaced it, and returns the token to retry with.
     */
    public synchronized String refreshAfterRejection(String rejected) {
        if (token == null || token.value().equals(rejected)) {
            token = fetch();
        }
        return token.value();
    }

    /** How many tokens were fetched: for tests and metrics. */
    public synchronized int fetchCount() {
        return fetches;
    }

    private Token fetch() {
        Request request = new Request.Builder()
                .url(tokenUrl.toString())
                .header("Accept", "application/json")
                .post(new FormBody.Builder()
                        .add("grant_type", "client_credentials")
                        .add("client_id", clientId)
                        .add("client_secret", clientSecret.reveal())
                        .build())
                .build();
        Instant started = clock.instant();
        try (Response response = http.newCall(request).execute()) {
            fetches++;
            ResponseBody body = response.body();
            String text = body.string();
            String contentType = response.header("Content-Type", "");
            if (response.code() == 429 || response.code() == 503 && response.header("Retry-After") != null) {
                throw new RateLimitedException("Creatio's identity service asked us to slow down",
                        RetryAfter.parse(response.header("Retry-After"), clock));
            }
            if (response.code() >= 500) {
                throw new TransientException("Creatio's identity service at " + where() + " answered " + response.code());
            }
            if (!contentType.contains("json")) {
                // The site's login page, or any other server: the address is wrong, not the credentials.
                throw new InvalidSettingsException(Map.of("identityServerUrl", "does not point at Creatio's identity "
                        + "service: " + where() + " answered " + response.code() + " with "
                        + (contentType.contains("html") ? "a web page" : "no JSON")
                        + "; check the Identity service URL"));
            }
            JsonNode json = readJson(text);
            if (!response.isSuccessful() || !json.hasNonNull("access_token")) {
                String error = json.path("error").asText("");
                throw new InvalidCredentialsException("Invalid credentials: Creatio's identity service refused the "
                        + "Client ID or Client secret" + (error.isEmpty() ? "" : " (" + error + ")"));
            }
            long lifetime = json.path("expires_in").asLong(3600);
            Duration renewIn = Duration.ofSeconds(lifetime).minus(EARLY_RENEWAL);
            if (renewIn.compareTo(Duration.ofSeconds(lifetime / 2)) < 0) {
                renewIn = Duration.ofSeconds(lifetime / 2);
            }
            LOG.debug("Fetched a Creatio access token valid for {} s", lifetime);
            return new Token(json.get("access_token").asText(), started.plus(renewIn));
        } catch (IOException e) {
            throw Failures.ofIo(e, "Creatio's identity service", where(), "identityServerUrl");
        }
    }

    private JsonNode readJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new TransientException("Creatio's identity service at " + where() + " answered with unreadable JSON");
        }
    }

    /** Host and port of the identity service: what messages name. */
    private String where() {
        return tokenUrl.getPort() == -1 ? tokenUrl.getHost() : tokenUrl.getHost() + ":" + tokenUrl.getPort();
    }
}
