package com.helpdeskconnect.host.cli;

import com.helpdeskconnect.host.Main;
import com.helpdeskconnect.host.config.ConfigResolver;
import com.helpdeskconnect.host.config.HostConfig;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options every command that looks at plugins takes; unset options fall back to env and file. */
public final class PluginsDirOptions {
    @Option(names = "--plugins-dir", paramLabel = "DIR", description = "plugin jars (env HELPDESK_CONNECT_PLUGINS_DIR, default plugins/ beside the jar)")
    Path pluginsDir;

    @Option(names = "--config", paramLabel = "FILE", description = "properties file with the same options, e.g. port=8080 (env HELPDESK_CONNECT_CONFIG, default ./helpdesk-connect.properties)")
    Path configFile;

    HostConfig resolve(Map<String, String> more) {
        Map<String, String> cli = new HashMap<>(more);
        if (pluginsDir != null) cli.put("plugins-dir", pluginsDir.toString());
        return new ConfigResolver(cli, System.getenv(), configFile).resolve(defaultPluginsDir());
    }

    /** {@code plugins/} next to the application jar; {@code ./plugins} when run from classes. */
    static Path defaultPluginsDir() {
        try {
            Path location = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(location) && location.getParent() != null) {
                return location.getParent().resolve("plugins");
            }
        } catch (URISyntaxException | RuntimeException e) {
            // fall back to the working directory
        }
        return Path.of("plugins");
    }
}
