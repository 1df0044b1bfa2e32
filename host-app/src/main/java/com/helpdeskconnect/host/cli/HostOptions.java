package com.helpdeskconnect.host.cli;

import com.helpdeskconnect.host.config.HostConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options of {@code serve}: the plugin options plus what only a running host uses. */
public final class HostOptions {
    @Option(names = "--port", paramLabel = "N", description = "HTTP port; 0 picks a free one (env HELPDESK_CONNECT_PORT, default 8080)")
    Integer port;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "database and key file (env HELPDESK_CONNECT_DATA_DIR, default ./data)")
    Path dataDir;

    @Option(names = "--key-file", paramLabel = "FILE", description = "AES key file; generated on first run (env HELPDESK_CONNECT_KEY_FILE, default DATA_DIR/secret.key)")
    Path keyFile;

    @Option(names = "--database-url", paramLabel = "URL", description = "a PostgreSQL database shared by several hosts, "
            + "jdbc:postgresql://host:5432/db; user and password in the URL or in HELPDESK_CONNECT_DATABASE_USER / "
            + "_PASSWORD; or an SQLite file for one host, jdbc:sqlite:/path/helpdesk-connect.db "
            + "(env HELPDESK_CONNECT_DATABASE_URL, default: the embedded database in DATA_DIR)")
    String databaseUrl;

    @Mixin
    PluginsDirOptions plugins;

    @Option(names = "--outbound-allow", paramLabel = "CIDRS", description = "comma-separated address ranges the host and plugins may call although internal, e.g. 10.1.2.0/24 (env HELPDESK_CONNECT_OUTBOUND_ALLOW, default none)")
    String outboundAllow;

    HostConfig resolve() {
        Map<String, String> cli = new HashMap<>();
        if (port != null) cli.put("port", port.toString());
        if (dataDir != null) cli.put("data-dir", dataDir.toString());
        if (keyFile != null) cli.put("key-file", keyFile.toString());
        if (outboundAllow != null) cli.put("outbound-allow", outboundAllow);
        if (databaseUrl != null) cli.put("database-url", databaseUrl);
        return plugins.resolve(cli);
    }
}
