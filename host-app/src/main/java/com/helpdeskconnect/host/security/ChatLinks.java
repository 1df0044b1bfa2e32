package com.helpdeskconnect.host.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Short-lived signed links to one conversation's chat page and stream. A token is
 * {@code hcl1.<integration>.<conversation>.<expires>.<mac>}: the two ids base64url-encoded, the
 * expiry in epoch seconds, and an HMAC-SHA256 over everything before the last dot with a host key
 * (see {@code HostKeyStore}). Nothing is stored per link: a link is valid until it expires.
 */
public final class ChatLinks {
    public static final String PREFIX = "hcl1.";
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(15);
    public static final Duration MAX_TTL = Duration.ofHours(24);

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final SecretKeySpec key;
    private final Clock clock;

    public ChatLinks(byte[] key, Clock clock) {
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
        this.clock = clock;
    }

    /** A verified link: who it is for and until when. */
    public record Link(String integrationId, String conversationId, Instant expiresAt) {}

    /** A new token for the conversation, valid for {@code ttl}. */
    public String issue(String integrationId, String conversationId, Duration ttl) {
        long expires = clock.instant().plus(ttl).getEpochSecond();
        String body = PREFIX + b64(integrationId) + "." + b64(conversationId) + "." + expires;
        return body + "." + B64.encodeToString(mac(body));
    }

    /** The link, if the token is well-formed, signed with our key and not expired. */
    public Optional<Link> verify(String token) {
        if (token == null || !token.startsWith(PREFIX) || token.length() > 2000) {
            return Optional.empty();
        }
        int lastDot = token.lastIndexOf('.');
        String body = token.substring(0, lastDot);
        byte[] presented;
        try {
            presented = B64D.decode(token.substring(lastDot + 1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!MessageDigest.isEqual(mac(body), presented)) {
            return Optional.empty();
        }
        String[] parts = body.substring(PREFIX.length()).split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            Instant expires = Instant.ofEpochSecond(Long.parseLong(parts[2]));
            if (!clock.instant().isBefore(expires)) {
                return Optional.empty();
            }
            return Optional.of(new Link(text(parts[0]), text(parts[1]), expires));
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            return Optional.empty();
        }
    }

    private byte[] mac(String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(body.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static String b64(String value) {
        return B64.encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(String b64) {
        return new String(B64D.decode(b64), StandardCharsets.UTF_8);
    }
}
