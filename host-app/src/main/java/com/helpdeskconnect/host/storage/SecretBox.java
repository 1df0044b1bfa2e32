package com.helpdeskconnect.host.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seals values at rest with AES-256-GCM. Each value gets a fresh 96-bit IV; the caller's context
 * (e.g. the integration id) is bound as associated data, so a sealed value copied to another row
 * does not open. Format: {@code v1:} + base64(iv || ciphertext+tag).
 */
public final class SecretBox {
    private static final Logger log = LoggerFactory.getLogger(SecretBox.class);
    private static final String PREFIX = "v1:";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();

    SecretBox(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("The encryption key must be 32 bytes (base64 of 256 bits), was " + key.length);
        }
        this.key = new SecretKeySpec(key, "AES");
    }

    /**
     * The key from {@code base64Key} (the environment) if given, else from {@code keyFile}; a missing
     * key file is generated, and the log says so, because losing it makes stored integrations unreadable.
     */
    public static SecretBox load(String base64Key, Path keyFile) {
        if (base64Key != null) {
            return new SecretBox(decode(base64Key, "HELPDESK_CONNECT_ENCRYPTION_KEY"));
        }
        try {
            if (Files.exists(keyFile)) {
                return new SecretBox(decode(Files.readString(keyFile, StandardCharsets.US_ASCII).trim(), keyFile.toString()));
            }
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            Files.createDirectories(keyFile.toAbsolutePath().getParent());
            Files.writeString(keyFile, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
            try {
                Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // Windows: the folder's ACL applies
            }
            log.warn("Generated a new encryption key in {}. Back it up: stored integrations cannot be read without it. "
                    + "Set HELPDESK_CONNECT_ENCRYPTION_KEY to supply a key instead.", keyFile.toAbsolutePath());
            return new SecretBox(key);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create key file " + keyFile, e);
        }
    }

    private static byte[] decode(String base64, String source) {
        try {
            return Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            // the message must not echo the key
            throw new IllegalArgumentException("The encryption key in " + source + " is not valid base64");
        }
    }

    public String seal(String plaintext, String context) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[IV_BYTES + sealed.length];
            System.arraycopy(iv, 0, out, 0, IV_BYTES);
            System.arraycopy(sealed, 0, out, IV_BYTES, sealed.length);
            return PREFIX + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** @throws IllegalStateException when the value was sealed with another key or context */
    public String open(String sealed, String context) {
        if (!sealed.startsWith(PREFIX)) {
            throw new IllegalStateException("Unknown sealed value format");
        }
        byte[] in = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, IV_BYTES));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot decrypt a stored secret: wrong encryption key or corrupted data");
        }
    }
}
