package com.helpdeskconnect.zendesk.sandbox.auth;

import com.helpdeskconnect.zendesk.sandbox.api.ZendeskError;
import com.helpdeskconnect.zendesk.sandbox.model.Desk;
import com.helpdeskconnect.zendesk.sandbox.model.User;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * API tokens, OAuth clients and the access tokens issued to them, and the check of an
 * {@code Authorization} header: {@code Basic base64("{email}/token:{token}")} or
 * {@code Bearer {access_token}}. Password Basic auth is refused, as on accounts with password
 * access turned off.
 */
public final class Credentials {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Desk desk;
    private final List<ApiToken> apiTokens = new CopyOnWriteArrayList<>();
    private final Map<String, OAuthClient> oauthClients = new ConcurrentHashMap<>();
    private final Map<String, Long> accessTokens = new ConcurrentHashMap<>();

    public Credentials(Desk desk) {
        this.desk = desk;
    }

    /** 40 random letters and digits, the shape of a Zendesk API token. */
    public static String generateToken() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder token = new StringBuilder(40);
        for (int i = 0; i < 40; i++) {
            token.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return token.toString();
    }

    /** 32 random bytes, base64: the shape of a webhook signing secret or OAuth client secret. */
    public static String generateSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    public void addApiToken(ApiToken token) {
        apiTokens.add(token);
    }

    /** Revokes a token; its next use gets 401. */
    public void revokeApiToken(String token) {
        apiTokens.removeIf(t -> t.token().equals(token));
    }

    public void addOAuthClient(OAuthClient client) {
        oauthClients.put(client.identifier(), client);
    }

    /** Client-credentials grant: a new access token for the client, or empty when the secret is wrong. */
    public Optional<String> issueAccessToken(String clientId, String clientSecret) {
        OAuthClient client = clientId == null ? null : oauthClients.get(clientId);
        if (client == null || clientSecret == null || !constantTimeEquals(client.secret(), clientSecret)) {
            return Optional.empty();
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = HexFormat.of().formatHex(bytes);
        accessTokens.put(token, client.userId());
        return Optional.of(token);
    }

    public void revokeAllAccessTokens() {
        accessTokens.clear();
    }

    /** The user an {@code Authorization} header authenticates; 401 "Couldn't authenticate you" otherwise. */
    public User authenticate(String authorization) {
        return userFor(authorization).orElseThrow(Credentials::couldNotAuthenticate);
    }

    private Optional<User> userFor(String authorization) {
        if (authorization == null) {
            return Optional.empty();
        }
        int space = authorization.indexOf(' ');
        if (space < 0) {
            return Optional.empty();
        }
        String scheme = authorization.substring(0, space);
        String value = authorization.substring(space + 1).trim();
        if (scheme.equalsIgnoreCase("Bearer")) {
            return Optional.ofNullable(accessTokens.get(value)).flatMap(desk::user);
        }
        if (!scheme.equalsIgnoreCase("Basic")) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon < 0 || !decoded.substring(0, colon).endsWith("/token")) {
            return Optional.empty();
        }
        String email = decoded.substring(0, colon - "/token".length());
        String token = decoded.substring(colon + 1);
        Optional<User> user = desk.userByEmail(email);
        if (user.isEmpty()) {
            return Optional.empty();
        }
        long userId = user.get().id();
        boolean valid = apiTokens.stream().anyMatch(t -> t.userId() == userId && constantTimeEquals(t.token(), token));
        return valid ? user : Optional.empty();
    }

    public static ZendeskError couldNotAuthenticate() {
        return new ZendeskError(401, "Couldn't authenticate you", null, null);
    }

    private static boolean constantTimeEquals(String expected, String given) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }
}
