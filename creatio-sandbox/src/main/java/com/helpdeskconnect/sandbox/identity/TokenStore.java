package com.helpdeskconnect.sandbox.identity;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Access tokens the identity service issued. Tokens are opaque random strings; a token is valid
 * until it expires, is revoked, or its client is removed.
 */
public final class TokenStore {
    private static final SecureRandom RANDOM = new SecureRandom();

    private record Issued(String clientId, Instant expiresAt) {
    }

    private final Map<String, Issued> tokens = new ConcurrentHashMap<>();
    private final Clock clock;

    public TokenStore(Clock clock) {
        this.clock = clock;
    }

    public String issue(String clientId, Duration lifetime) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        tokens.put(token, new Issued(clientId, clock.instant().plus(lifetime)));
        return token;
    }

    /** The client id the token belongs to, if the token is known, unexpired and not revoked. */
    public Optional<String> clientOf(String token) {
        Issued issued = tokens.get(token);
        if (issued == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(issued.expiresAt())) {
            tokens.remove(token);
            return Optional.empty();
        }
        return Optional.of(issued.clientId());
    }

    public void revoke(String token) {
        tokens.remove(token);
    }

    /** Revokes every token issued so far, as an admin deactivating and reactivating the app would. */
    public void revokeAll() {
        tokens.clear();
    }

    public int activeCount() {
        Instant now = clock.instant();
        return (int) tokens.values().stream().filter(t -> now.isBefore(t.expiresAt())).count();
    }

    /** Constant-time comparison, so secret checks leak nothing through timing. */
    static boolean sameSecret(String expected, String given) {
        return given != null && MessageDigest.isEqual(expected.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                given.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
