package com.helpdeskconnect.host.sync;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs callbacks two ways with the integration's callback secret:
 * <ul>
 *   <li><a href="https://www.standardwebhooks.com/">Standard Webhooks</a>: {@value #ID_HEADER} (the
 *       delivery's id, the same on every retry), {@value #TIMESTAMP_HEADER} (Unix seconds) and
 *       {@value #STANDARD_SIGNATURE_HEADER}: {@code v1,<base64 of HMAC-SHA256(key, id.timestamp.body)>}.
 *       The key is given to receivers as {@code whsec_<base64 of the key bytes>}
 *       ({@link #standardSecret}), so their Standard Webhooks library verifies it and refuses replays
 *       by the timestamp.</li>
 *   <li>The first release's {@value #SIGNATURE_HEADER}: {@code sha256=<hex of HMAC-SHA256(key, body)>},
 *       kept for receivers that already check it. It signs no time, so it cannot tell a replay.</li>
 * </ul>
 * The key bytes are the UTF-8 bytes of the secret the API shows as {@code callback.secret}.
 */
public final class CallbackSigner {
    public static final String SIGNATURE_HEADER = "X-Helpdesk-Connect-Signature";
    public static final String EVENT_HEADER = "X-Helpdesk-Connect-Event";
    public static final String DELIVERY_HEADER = "X-Helpdesk-Connect-Delivery";
    public static final String ID_HEADER = "webhook-id";
    public static final String TIMESTAMP_HEADER = "webhook-timestamp";
    public static final String STANDARD_SIGNATURE_HEADER = "webhook-signature";
    public static final String STANDARD_SECRET_PREFIX = "whsec_";

    private CallbackSigner() {}

    /** Every signature header for one delivery attempt, in sending order. */
    public static Map<String, String> headers(String secret, String deliveryId, Instant now, byte[] body) {
        long timestamp = now.getEpochSecond();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(ID_HEADER, deliveryId);
        headers.put(TIMESTAMP_HEADER, Long.toString(timestamp));
        headers.put(STANDARD_SIGNATURE_HEADER, standardSignature(secret, deliveryId, timestamp, body));
        headers.put(SIGNATURE_HEADER, sign(secret, body));
        return headers;
    }

    /** The secret as Standard Webhooks libraries take it. */
    public static String standardSecret(String secret) {
        return STANDARD_SECRET_PREFIX + Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code v1,<base64>} over {@code id.timestamp.body}. */
    public static String standardSignature(String secret, String id, long timestamp, byte[] body) {
        byte[] prefix = (id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
        Mac mac = mac(secret);
        mac.update(prefix);
        return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
    }

    /** The first release's signature: {@code sha256=<hex>} over the body alone. */
    public static String sign(String secret, byte[] body) {
        return "sha256=" + HexFormat.of().formatHex(mac(secret).doFinal(body));
    }

    /** What a receiver of the old header does: recompute and compare in constant time. */
    public static boolean verify(String secret, byte[] body, String header) {
        return header != null && MessageDigest.isEqual(sign(secret, body).getBytes(StandardCharsets.US_ASCII),
                header.trim().getBytes(StandardCharsets.US_ASCII));
    }

    private static Mac mac(String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
