package com.helpdeskconnect.host.cli;

import com.helpdeskconnect.host.config.HostConfig;
import com.helpdeskconnect.host.storage.Database;
import com.helpdeskconnect.host.storage.KeyRotation;
import com.helpdeskconnect.host.storage.SecretBox;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code keys}: manage the keys that seal secrets at rest. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Manage the keys that seal secrets at rest.",
        subcommands = KeysCommand.Rotate.class)
public final class KeysCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("Usage: helpdesk-connect keys rotate --data-dir DIR");
        return 2;
    }

    /** {@code keys rotate}: a new key seals from now on; everything stored is sealed again under it. */
    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = "Add a new key to the keyset, make it the sealing key and re-encrypt every stored secret "
                    + "(also first-release AES-GCM values). Stop the host first.")
    static final class Rotate implements Callable<Integer> {
        @Mixin
        HostOptions options;

        @Override
        public Integer call() {
            HostConfig config;
            try {
                config = options.resolve();
            } catch (IllegalArgumentException e) {
                System.err.println("Invalid configuration: " + e.getMessage());
                return 2;
            }
            try (Database db = Database.open(config.dataDir(), config.database(), 2)) {
                SecretBox box = SecretBox.load(config.encryptionKey(), config.keyFile());
                KeyRotation.Result result = KeyRotation.rotate(db, box);
                System.out.println("Rotated: key " + Integer.toUnsignedString(result.primaryKeyId()) + " now seals ("
                        + result.keys() + " keys in the keyset); re-encrypted " + result.resealed() + " values, "
                        + result.migratedFromV1() + " of them from the first release's format");
                return 0;
            } catch (RuntimeException e) {
                // H2 refuses a second process: the usual cause is a running host
                System.err.println("Cannot rotate keys: " + e.getMessage()
                        + (String.valueOf(e.getMessage()).contains("already in use") ? " (stop the host first)" : ""));
                return 1;
            }
        }
    }
}
