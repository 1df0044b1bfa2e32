package com.helpdeskconnect.creatio.auth;

import com.helpdeskconnect.api.errors.ConnectorException;
import java.io.IOException;
import okhttp3.Authenticator;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.Route;

/**
 * On a 401 from Creatio (token expired or revoked), retries once with a fresh token; a second 401
 * is given up on, and surfaces as invalid credentials.
 */
public final class TokenRefreshingAuthenticator implements Authenticator {
    private static final String BEARER = "Bearer ";
    private final TokenProvider tokens;

    public TokenRefreshingAuthenticator(TokenProvider tokens) {
        this.tokens = tokens;
    }

    @Override
    public Request authenticate(Route route, Response response) throws IOException {
        if (response.priorResponse() != null) {
            return null; // refreshed once already
        }
        String sent = response.request().header("Authorization");
        String rejected = sent != null && sent.startsWith(BEARER) ? sent.substring(BEARER.length()) : "";
        try {
            String fresh = tokens.refreshAfterRejection(rejected);
            return response.request().newBuilder().header("Authorization", BEARER + fresh).build();
        } catch (ConnectorException e) {
            throw new TokenUnavailableException(e);
        }
    }
}
