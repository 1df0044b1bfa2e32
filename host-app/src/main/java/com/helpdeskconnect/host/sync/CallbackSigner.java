package com.helpdeskconnect.host.sync;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs callback bodies: {@value #SIGNATURE_HEADER}: {@code sha256=<hex of HMAC-SHA256(key, body)>},
 * the key being the integration's callback secret (UTF-8), the body the exact bytes sent.
 */
public final class CallbackSigner {
    public static final String SIGNATURE_HEADER = "X-Helpdesk-Connect-Signature";
    public static final String EVENT_HEADER = "X-Helpdesk-Connect-Event";
    public static final String DELIVERY_HEADER = "X-Helpdesk-Connect-Delivery";

    private CallbackSigner() {}

    public static String sign(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** What a receiver does: recompute and compare in constant time. */
    public static boolean verify(String secret, byte[] body, String header) {
        return header != null && MessageDigest.isEqual(sign(secret, body).getBytes(StandardCharsets.US_ASCII),
                header.trim().getBytes(StandardCharsets.US_ASCII));
    }
}
