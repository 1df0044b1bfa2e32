package com.helpdeskconnect.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The SPI's own semantic version, independent of the product version.
 *
 * <p>Plugins declare the range they need in their {@code Plugin-Requires} manifest attribute
 * (for example {@code >=1.0.0 & <2.0.0}); the host passes {@link #current()} to PF4J's
 * {@code setSystemVersion}, so a plugin built for an incompatible SPI is refused at load time.
 * A minor version adds default methods or records; a major version removes or changes them.
 */
public final class SpiVersion {
    private static final String CURRENT = load();

    private SpiVersion() {}

    /** The version of the SPI on the class path, for example {@code 1.0.0}. */
    public static String current() {
        return CURRENT;
    }

    private static String load() {
        try (InputStream in = SpiVersion.class.getResourceAsStream("spi-version.properties")) {
            if (in == null) {
                throw new IllegalStateException("spi-version.properties is missing from connector-api");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("spi.version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
