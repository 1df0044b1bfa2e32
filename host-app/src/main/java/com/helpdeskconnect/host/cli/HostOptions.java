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

/** Options shared by the commands that need a configuration; unset options fall back to env and file. */
public final class HostOptions {
    @Option(names = "--port", paramLabel = "N", description = "HTTP port; 0 picks a free one (env HELPDESK_CONNECT_PORT, default 8080)")
    Integer port;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "database and key file (env HELPDESK_CONNECT_DATA_DIR, default ./data)")
    Path dataDir;

    @Option(names = "--plugins-dir", paramLabel = "DIR", description = "plugin jars (env HELPDESK_CONNECT_PLUGINS_DIR, default plugins/ beside the jar)")
    Path pluginsDir;

    @Option(names = "--key-file", paramLabel = "FILE", description = "AES key file; generated on first run (env HELPDESK_CONNECT_KEY_FILE, default DATA_DIR/secret.key)")
    Path keyFile;

    @Option(names = "--outbound-allow", paramLabel = "CIDRS", description = "comma-separated address ranges the host and plugins may call although internal, e.g. 10.1.2.0/24 (env HELPDESK_CONNECT_OUTBOUND_ALLOW, default none)")
    String outboundAllow;

    @Option(names = "--config", paramLabel = "FILE", description = "properties file with the same options, e.g. port=8080 (env HELPDESK_CONNECT_CONFIG, default ./helpdesk-connect.properties)")
    Path configFile;

    HostConfig resolve() {
        Map<String, String> cli = new HashMap<>();
        if (port != null) cli.put("port", port.toString());
        if (dataDir != null) cli.put("data-dir", dataDir.toString());
        if (pluginsDir != null) cli.put("plugins-dir", pluginsDir.toString());
        if (keyFile != null) cli.put("key-file", keyFile.toString());
        if (outboundAllow != null) cli.put("outbound-allow", outboundAllow);
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
