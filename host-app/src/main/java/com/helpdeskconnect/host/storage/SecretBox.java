package com.helpdeskconnect.host.storage;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.subtle.AesGcmJce;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Seals values at rest with a versioned keyset: Google Tink's AEAD (AES-256-GCM), each value
 * carrying the id of the key that sealed it, so keys rotate ({@link #rotate}) while older values
 * still open. The caller's context (e.g. {@code settings:<integration id>}) is bound as associated
 * data, so a sealed value copied to another row does not open. Format: {@code v2:} + base64(Tink
 * ciphertext).
 *
 * <p>The keyset lives beside the key file ({@code secret.key} → {@code secret.keyset.json}),
 * itself sealed with the master key (the key file, or {@code HELPDESK_CONNECT_ENCRYPTION_KEY}).
 * Values of the first release ({@code v1:} + base64(iv || AES-256-GCM ciphertext) under the master
 * key) still open; {@code helpdesk-connect keys rotate} seals them again under the keyset.
 */
public final class SecretBox {
    private static final Logger log = LoggerFactory.getLogger(SecretBox.class);
    private static final String LEGACY_PREFIX = "v1:";
    private static final String PREFIX = "v2:";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String KEY_TEMPLATE = "AES256_GCM";
    private static final byte[] KEYSET_CONTEXT = "helpdesk-connect keyset".getBytes(StandardCharsets.UTF_8);

    static {
        try {
            AeadConfig.register();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final SecretKey master;
    private final Path keysetFile;
    private volatile KeysetHandle keyset;
    private volatile Aead aead;

    private SecretBox(byte[] masterKey, Path keysetFile, KeysetHandle keyset) {
        this.master = new SecretKeySpec(masterKey, "AES");
        this.keysetFile = keysetFile;
        use(keyset);
    }

    /**
     * The master key from {@code base64Key} (the environment) if given, else from {@code keyFile}; a
     * missing key file is generated (0600 from creation), and the log says so, because losing it
     * makes stored integrations unreadable. The keyset beside it is read, or generated on first use.
     */
    public static SecretBox load(String base64Key, Path keyFile) {
        byte[] master = base64Key != null ? decode(base64Key, "HELPDESK_CONNECT_ENCRYPTION_KEY") : keyFile(keyFile);
        if (master.length != 32) {
            throw new IllegalArgumentException("The encryption key must be 32 bytes (base64 of 256 bits), was " + master.length);
        }
        Path keysetFile = keysetFileFor(keyFile);
        try {
            Aead wrap = new AesGcmJce(master);
            if (Files.exists(keysetFile)) {
                KeysetHandle handle = TinkJsonProtoKeysetFormat.parseEncryptedKeyset(
                        Files.readString(keysetFile, StandardCharsets.UTF_8), wrap, KEYSET_CONTEXT);
                return new SecretBox(master, keysetFile, handle);
            }
            KeysetHandle handle = KeysetHandle.generateNew(com.google.crypto.tink.KeyTemplates.get(KEY_TEMPLATE));
            write(keysetFile, handle, wrap);
            log.info("Generated a new keyset in {} (sealed with the master key)", keysetFile.toAbsolutePath());
            return new SecretBox(master, keysetFile, handle);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot open the keyset " + keysetFile + ": wrong encryption key or corrupted file");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the keyset " + keysetFile, e);
        }
    }

    /** {@code secret.key} → {@code secret.keyset.json}, beside it (also when the master key comes from the environment). */
    public static Path keysetFileFor(Path keyFile) {
        String name = keyFile.getFileName().toString();
        String base = name.endsWith(".key") ? name.substring(0, name.length() - 4) : name;
        return keyFile.toAbsolutePath().resolveSibling(base + ".keyset.json");
    }

    private static byte[] keyFile(Path keyFile) {
        try {
            if (Files.exists(keyFile)) {
                return decode(Files.readString(keyFile, StandardCharsets.US_ASCII).trim(), keyFile.toString());
            }
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            PrivateFiles.writeAtomically(keyFile, (Base64.getEncoder().encodeToString(key) + "\n").getBytes(StandardCharsets.US_ASCII));
            log.warn("Generated a new encryption key in {}. Back it up: stored integrations cannot be read without it. "
                    + "Set HELPDESK_CONNECT_ENCRYPTION_KEY to supply a key instead.", keyFile.toAbsolutePath());
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create key file " + keyFile, e);
        }
    }

    private static void write(Path keysetFile, KeysetHandle handle, Aead wrap) throws GeneralSecurityException, IOException {
        String json = TinkJsonProtoKeysetFormat.serializeEncryptedKeyset(handle, wrap, KEYSET_CONTEXT);
        PrivateFiles.writeAtomically(keysetFile, json.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] decode(String base64, String source) {
        try {
            return Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            // the message must not echo the key
            throw new IllegalArgumentException("The encryption key in " + source + " is not valid base64");
        }
    }

    private void use(KeysetHandle handle) {
        try {
            this.aead = handle.getPrimitive(RegistryConfiguration.get(), Aead.class);
            this.keyset = handle;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The keyset holds no usable AEAD key", e);
        }
    }

    public String seal(String plaintext, String context) {
        try {
            return PREFIX + Base64.getEncoder().encodeToString(
                    aead.encrypt(plaintext.getBytes(StandardCharsets.UTF_8), context.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot seal a value", e);
        }
    }

    /** @throws IllegalStateException when the value was sealed with another key or context */
    public String open(String sealed, String context) {
        if (sealed.startsWith(LEGACY_PREFIX)) {
            return openLegacy(sealed, context);
        }
        if (!sealed.startsWith(PREFIX)) {
            throw new IllegalStateException("Unknown sealed value format");
        }
        try {
            byte[] in = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
            return new String(aead.decrypt(in, context.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("Cannot decrypt a stored secret: wrong encryption key or corrupted data");
        }
    }

    /** Whether a sealed value is under the current primary key (else {@code keys rotate} seals it again). */
    public boolean isCurrent(String sealed) {
        if (!sealed.startsWith(PREFIX)) {
            return false;
        }
        byte[] in = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
        // Tink's output prefix: one version byte, then the sealing key's id, big-endian
        return in.length > 5 && ByteBuffer.wrap(in, 1, 4).getInt() == keyset.getPrimary().getId();
    }

    /**
     * Adds a fresh key and makes it the one that seals; the older keys stay to open what they
     * sealed until it is sealed again. The keyset file is replaced atomically.
     *
     * @return the new primary key's id
     */
    public synchronized int rotate() {
        try {
            KeysetHandle.Builder builder = KeysetHandle.newBuilder(keyset);
            builder.addEntry(KeysetHandle.generateEntryFromParametersName(KEY_TEMPLATE).withRandomId().makePrimary());
            KeysetHandle rotated = builder.build();
            write(keysetFile, rotated, new AesGcmJce(master.getEncoded()));
            use(rotated);
            return rotated.getPrimary().getId();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot rotate the keyset", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the keyset " + keysetFile, e);
        }
    }

    /** How many keys the keyset holds. */
    public int keyCount() {
        return keyset.size();
    }

    private String openLegacy(String sealed, String context) {
        try {
            byte[] in = Base64.getDecoder().decode(sealed.substring(LEGACY_PREFIX.length()));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, master, new GCMParameterSpec(TAG_BITS, in, 0, IV_BYTES));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("Cannot decrypt a stored secret: wrong encryption key or corrupted data");
        }
    }

    /** Seals like the first release did: for tests that check old data still opens. */
    static String sealLegacy(byte[] masterKey, String plaintext, String context) {
        try {
            byte[] iv = new byte[IV_BYTES];
            new SecureRandom().nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(masterKey, "AES"), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[IV_BYTES + sealed.length];
            System.arraycopy(iv, 0, out, 0, IV_BYTES);
            System.arraycopy(sealed, 0, out, IV_BYTES, sealed.length);
            return LEGACY_PREFIX + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }
}
