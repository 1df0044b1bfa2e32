package com.helpdeskconnect.host.e2e;

import com.helpdeskconnect.zendesk.sandbox.ZendeskSandbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The real Zendesk plugin jar, as the zendesk-plugin module built it (copied to
 * {@code target/test-plugins/zendesk-plugin.jar} by the dependency plugin; the path comes in as
 * {@code -Dzendesk.plugin.jar}). Its classes are on no test class path: only PF4J loads them.
 */
public final class ZendeskPluginJar {
    private ZendeskPluginJar() {}

    public static Path location() {
        Path jar = Path.of(System.getProperty("zendesk.plugin.jar", "target/test-plugins/zendesk-plugin.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("Zendesk plugin jar not found at " + jar.toAbsolutePath()
                    + "; run the build through Maven (process-test-classes copies it)");
        }
        return jar;
    }

    /** Copies the jar into {@code pluginsDir}, creating it. */
    public static Path installInto(Path pluginsDir) {
        try {
            Files.createDirectories(pluginsDir);
            return Files.copy(location(), pluginsDir.resolve("zendesk-plugin.jar"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Settings that verify against {@code sandbox}, with its webhook signing secret. */
    public static Map<String, Object> settings(ZendeskSandbox sandbox) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("instanceUrl", sandbox.baseUrl());
        settings.put("email", sandbox.email());
        settings.put("apiToken", sandbox.apiToken());
        settings.put("webhookSigningSecret", sandbox.signingSecret());
        return settings;
    }
}
