package com.helpdeskconnect.host.security;

import com.helpdeskconnect.host.storage.ApiKeyStore;
import com.helpdeskconnect.host.storage.ApiKeyStore.KeyRow;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * API keys: {@code hck_} and 256 random bits (base64url). Only the key's SHA-256 is stored. A slow
 * password hash (bcrypt, Argon2) protects guessable passwords; a 256-bit random key cannot be
 * guessed however fast the hash, while a slow hash would cost every API call tens of milliseconds
 * of CPU (a denial-of-service lever) and rule out the indexed lookup by hash.
 *
 * <p>Lookups are cached for {@link #CACHE_TTL}, so a key used a thousand times a second costs one
 * query per few seconds. Revoking through this host clears the cache at once; another host
 * process on the same database sees the revocation within {@link #CACHE_TTL}.
 */
public final class ApiKeys {
    public static final String PREFIX = "hck_";
    public static final Duration CACHE_TTL = Duration.ofSeconds(2);
    private static final int CACHE_MAX = 10_000;

    private final ApiKeyStore store;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(Optional<Principal> principal, Instant loadedAt) {}

    public ApiKeys(ApiKeyStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** A new key: its stored row and the key itself, which is shown once and then exists only as a hash. */
    public record Created(KeyRow row, String key) {}

    public Created create(String name, Set<String> integrations, Set<Scope> scopes, String createdBy) {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String key = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        byte[] idBytes = new byte[8];
        random.nextBytes(idBytes);
        KeyRow row = new KeyRow("key_" + HexFormat.of().formatHex(idBytes), name, integrations,
                scopes.stream().map(Scope::wire).collect(Collectors.toCollection(java.util.LinkedHashSet::new)), createdBy,
                clock.instant(), null);
        store.insert(row, hash(key));
        return new Created(row, key);
    }

    /** The principal of a live key; empty for an unknown or revoked one. */
    public Optional<Principal> authenticate(String key) {
        if (key == null || !key.startsWith(PREFIX) || key.length() > 200) {
            return Optional.empty();
        }
        String hash = hash(key);
        Instant now = clock.instant();
        Cached cached = cache.get(hash);
        if (cached != null && cached.loadedAt().plus(CACHE_TTL).isAfter(now)) {
            return cached.principal();
        }
        Optional<Principal> principal = store.findByHash(hash).filter(r -> !r.revoked()).map(ApiKeys::principal);
        if (cache.size() >= CACHE_MAX) {
            cache.clear(); // a flood of wrong keys must not grow memory
        }
        cache.put(hash, new Cached(principal, now));
        return principal;
    }

    public java.util.List<KeyRow> list() {
        return store.list();
    }

    public Optional<KeyRow> find(String id) {
        return store.find(id);
    }

    /** Revokes the key at once in this process; false when there is no such key. */
    public boolean revoke(String id) {
        boolean found = store.revoke(id);
        cache.clear();
        return found;
    }

    private static Principal principal(KeyRow row) {
        Set<Scope> scopes = row.scopes().stream().map(Scope::fromWire).flatMap(Optional::stream).collect(Collectors.toSet());
        return new Principal(row.id(), row.name(), scopes, row.integrations(), Optional.empty());
    }

    static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
