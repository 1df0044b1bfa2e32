package com.helpdeskconnect.zendesk.sandbox.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Zendesk's {@code Idempotency-Key} for ticket creation: the first successful answer is kept for
 * the key's lifetime (2 hours) and replayed for the same key and the same body; the same key with
 * another body is an {@code IdempotentRequestError}. Bodies are compared byte for byte, the strictest
 * reading of "request parameters don't match", so a client that passes here passes in Zendesk.
 */
public final class IdempotencyKeys {
    public static final Duration DEFAULT_LIFETIME = Duration.ofHours(2);

    /** A kept answer. */
    public record Stored(byte[] bodyHash, int status, String responseBody, String location, Instant storedAt) {
    }

    /** What a lookup found. */
    public sealed interface Lookup permits Miss, Hit, Mismatch {
    }

    public record Miss() implements Lookup {
    }

    public record Hit(Stored stored) implements Lookup {
    }

    public record Mismatch() implements Lookup {
    }

    private final Clock clock;
    private final Map<String, Stored> keys = new ConcurrentHashMap<>();
    private volatile Duration lifetime = DEFAULT_LIFETIME;

    public IdempotencyKeys(Clock clock) {
        this.clock = clock;
    }

    public void lifetime(Duration keyLifetime) {
        this.lifetime = keyLifetime;
    }

    public Duration lifetime() {
        return lifetime;
    }

    /** Callers hold the desk lock between {@code lookup} and {@code store}, so two tries cannot both miss. */
    public Lookup lookup(String key, byte[] body) {
        Stored stored = keys.get(key);
        if (stored == null || expired(stored)) {
            keys.remove(key);
            return new Miss();
        }
        return MessageDigest.isEqual(stored.bodyHash(), hash(body)) ? new Hit(stored) : new Mismatch();
    }

    public void store(String key, byte[] body, int status, String responseBody, String location) {
        keys.put(key, new Stored(hash(body), status, responseBody, location, clock.instant()));
    }

    /** The kept answer of a key still alive, for inspection. */
    public Optional<Stored> find(String key) {
        return Optional.ofNullable(keys.get(key)).filter(s -> !expired(s));
    }

    public void clear() {
        keys.clear();
    }

    private boolean expired(Stored stored) {
        return !clock.instant().isBefore(stored.storedAt().plus(lifetime));
    }

    private static byte[] hash(byte[] body) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
