package com.helpdeskconnect.zendesk.webhook;

import com.helpdeskconnect.api.errors.WebhookAuthenticationException;
import com.helpdeskconnect.api.settings.Secret;
import com.helpdeskconnect.api.webhook.WebhookRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Zendesk's webhook signature (reference §6, Zendesk's "Verifying webhook authenticity"):
 * {@code X-Zendesk-Webhook-Signature} = base64(HMAC-SHA256(signing secret as UTF-8, timestamp +
 * raw body)), {@code X-Zendesk-Webhook-Signature-Timestamp} an ISO-8601 UTC time. Checked over
 * the exact bytes, compared in constant time, and only within {@link #WINDOW} of when the host
 * received the call, so a recorded call cannot be replayed later.
 */
public final class WebhookSignature {
    public static final String SIGNATURE_HEADER = "X-Zendesk-Webhook-Signature";
    public static final String TIMESTAMP_HEADER = "X-Zendesk-Webhook-Signature-Timestamp";
    /** How far the signature's timestamp may be from the arrival (either way: clocks differ). */
    public static final Duration WINDOW = Duration.ofMinutes(5);

    private WebhookSignature() {}

    public static void verify(Secret secret, WebhookRequest request) {
        if (secret == null || secret.isEmpty()) {
            throw new WebhookAuthenticationException("No webhook signing secret is configured for this integration:"
                    + " copy it from the webhook's page in Zendesk into webhookSigningSecret");
        }
        String signature = request.header(SIGNATURE_HEADER).orElse(null);
        String timestamp = request.header(TIMESTAMP_HEADER).orElse(null);
        if (signature == null || timestamp == null) {
            throw new WebhookAuthenticationException("The call carries no Zendesk webhook signature");
        }
        Instant signedAt;
        try {
            signedAt = OffsetDateTime.parse(timestamp.strip()).toInstant();
        } catch (DateTimeParseException e) {
            throw new WebhookAuthenticationException("The Zendesk webhook signature timestamp is not an ISO-8601 time");
        }
        if (Duration.between(signedAt, request.receivedAt()).abs().compareTo(WINDOW) > 0) {
            throw new WebhookAuthenticationException("The Zendesk webhook signature is more than "
                    + WINDOW.toMinutes() + " minutes from the call's arrival (a replay, or a wrong clock)");
        }
        byte[] expected = Base64.getEncoder().encode(sign(secret, timestamp, request.body()));
        if (!MessageDigest.isEqual(expected, signature.strip().getBytes(StandardCharsets.US_ASCII))) {
            throw new WebhookAuthenticationException("The Zendesk webhook signature does not match: "
                    + "check webhookSigningSecret against the webhook's signing secret in Zendesk");
        }
    }

    /** HMAC-SHA256(secret, timestamp + body): the raw digest. */
    static byte[] sign(Secret secret, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(timestamp.getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JVM", e);
        }
    }
}
