package com.helpdeskconnect.sandbox.identity;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code POST /connect/token} on the identity service: the OAuth 2.0 client-credentials grant as
 * Creatio's IdentityServer-based service answers it. Credentials come from the form, or from HTTP
 * Basic as IdentityServer also accepts.
 */
public final class TokenEndpoint implements Handler {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ClientRegistry clients;
    private final TokenStore tokens;
    private final Supplier<Duration> defaultLifetime;

    public TokenEndpoint(ClientRegistry clients, TokenStore tokens, Supplier<Duration> defaultLifetime) {
        this.clients = clients;
        this.tokens = tokens;
        this.defaultLifetime = defaultLifetime;
    }

    @Override
    public void handle(Context ctx) {
        String clientId = ctx.formParam("client_id");
        String clientSecret = ctx.formParam("client_secret");
        String basic = ctx.header("Authorization");
        if (clientId == null && basic != null && basic.startsWith("Basic ")) {
            String[] pair = new String(Base64.getDecoder().decode(basic.substring(6).trim()), StandardCharsets.UTF_8)
                    .split(":", 2);
            clientId = pair[0];
            clientSecret = pair.length > 1 ? pair[1] : null;
        }
        ctx.header("Cache-Control", "no-store, no-cache, max-age=0");
        ctx.header("Pragma", "no-cache");
        Optional<RegisteredClient> client = clientId == null
                ? Optional.empty()
                : clients.authenticate(clientId, clientSecret);
        if (client.isEmpty()) {
            error(ctx, "invalid_client");
            return;
        }
        if (!"client_credentials".equals(ctx.formParam("grant_type"))) {
            error(ctx, "unsupported_grant_type");
            return;
        }
        Duration lifetime = client.get().tokenLifetime() != null
                ? client.get().tokenLifetime()
                : defaultLifetime.get();
        ObjectNode body = JSON.createObjectNode()
                .put("access_token", tokens.issue(client.get().clientId(), lifetime))
                .put("expires_in", lifetime.toSeconds())
                .put("token_type", "Bearer");
        ctx.status(200).contentType("application/json; charset=UTF-8").result(body.toString());
    }

    private static void error(Context ctx, String code) {
        ctx.status(400).contentType("application/json; charset=UTF-8")
                .result(JSON.createObjectNode().put("error", code).toString());
    }
}
