package com.helpdeskconnect.sandbox.identity;

import java.util.Optional;

/** Turns a site request's {@code Authorization: Bearer …} header into the caller it runs as. */
public final class BearerAuthenticator {
    private final TokenStore tokens;
    private final ClientRegistry clients;

    public BearerAuthenticator(TokenStore tokens, ClientRegistry clients) {
        this.tokens = tokens;
        this.clients = clients;
    }

    /** Empty for a missing, unknown, expired or revoked token, or a removed client. */
    public Optional<Caller> authenticate(String authorizationHeader) {
        return bearerToken(authorizationHeader)
                .flatMap(tokens::clientOf)
                .flatMap(clients::find)
                .map(RegisteredClient::asCaller);
    }

    public static Optional<String> bearerToken(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String token = authorizationHeader.substring(7).trim();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }
}
