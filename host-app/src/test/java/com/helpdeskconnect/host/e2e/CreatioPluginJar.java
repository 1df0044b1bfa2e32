package com.helpdeskconnect.host.e2e;

import com.helpdeskconnect.sandbox.CreatioSandbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The real Creatio plugin jar, as the creatio-plugin module built it (copied to
 * {@code target/test-plugins/creatio-plugin.jar} by the dependency plugin; the path comes in as
 * {@code -Dcreatio.plugin.jar}). Its classes are on no test class path: only PF4J loads them.
 */
public final class CreatioPluginJar {
    private CreatioPluginJar() {}

    public static Path location() {
        Path jar = Path.of(System.getProperty("creatio.plugin.jar", "target/test-plugins/creatio-plugin.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("Creatio plugin jar not found at " + jar.toAbsolutePath()
                    + "; run the build through Maven (process-test-classes copies it)");
        }
        return jar;
    }

    /** Copies the jar into {@code pluginsDir}, creating it. */
    public static Path installInto(Path pluginsDir) {
        try {
            Files.createDirectories(pluginsDir);
            return Files.copy(location(), pluginsDir.resolve("creatio-plugin.jar"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Settings that verify against {@code sandbox}. */
    public static Map<String, Object> settings(CreatioSandbox sandbox) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("instanceUrl", sandbox.baseUrl());
        settings.put("identityServerUrl", sandbox.identityUrl());
        settings.put("clientId", sandbox.clientId());
        settings.put("clientSecret", sandbox.clientSecret());
        settings.put("webhookSecret", "e2e-webhook-secret");
        return settings;
    }
}
