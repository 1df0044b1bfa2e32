package com.helpdeskconnect.sandbox.identity;

import com.helpdeskconnect.sandbox.model.StandardRows;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;

/**
 * An "OAuth 2.0 integrated application": client id and secret, the system user it runs as, and the
 * rights that user lacks. {@code toString} leaves the secret out.
 *
 * @param tokenLifetime null for the sandbox-wide lifetime
 */
public record RegisteredClient(String clientId, String clientSecret, String systemUserContactId,
        Set<String> denied, Duration tokenLifetime) {

    private static final SecureRandom RANDOM = new SecureRandom();

    public RegisteredClient {
        denied = Set.copyOf(denied);
    }

    /** A client with Creatio-shaped random credentials (32 and 64 upper-case hex characters). */
    public static RegisteredClient generate() {
        return of(randomHex(16), randomHex(32));
    }

    /** A client running as the sandbox's integration user with every right. */
    public static RegisteredClient of(String clientId, String clientSecret) {
        return new RegisteredClient(clientId, clientSecret, StandardRows.CONTACT_INTEGRATION_USER, Set.of(), null);
    }

    /** This client without the right to do {@code operation} on {@code entity}. */
    public RegisteredClient deny(String entity, Operation operation) {
        Set<String> more = new HashSet<>(denied);
        more.add(entity + ":" + operation);
        return new RegisteredClient(clientId, clientSecret, systemUserContactId, more, tokenLifetime);
    }

    public RegisteredClient withTokenLifetime(Duration lifetime) {
        return new RegisteredClient(clientId, clientSecret, systemUserContactId, denied, lifetime);
    }

    public RegisteredClient runningAs(String contactId) {
        return new RegisteredClient(clientId, clientSecret, contactId, denied, tokenLifetime);
    }

    public Caller asCaller() {
        return new Caller("client " + clientId, systemUserContactId, denied);
    }

    @Override
    public String toString() {
        return "RegisteredClient[clientId=" + clientId + ", systemUserContactId=" + systemUserContactId
                + ", denied=" + denied + ", tokenLifetime=" + tokenLifetime + "]";
    }

    private static String randomHex(int bytes) {
        byte[] buffer = new byte[bytes];
        RANDOM.nextBytes(buffer);
        return HexFormat.of().formatHex(buffer).toUpperCase(Locale.ROOT);
    }
}
