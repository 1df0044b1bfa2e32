package com.helpdeskconnect.host.testing;

import com.helpdeskconnect.host.Host;
import com.helpdeskconnect.host.config.HostConfig;
import com.helpdeskconnect.host.security.BootstrapToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/** A host in this JVM on a random port, with the Fake Desk plugin in a temp plugins folder. */
public final class HostFixture implements AutoCloseable {
    public final Path dir;
    public final Path journal;
    private Host host;
    public Api api;
    private final UnaryOperator<HostConfig> tweak;

    private HostFixture(Path dir, UnaryOperator<HostConfig> tweak) {
        this.dir = dir;
        this.journal = dir.resolve("helpdesk-journal.txt");
        this.tweak = tweak;
    }

    public static HostFixture start(Path dir) {
        return start(dir, c -> c);
    }

    public static HostFixture start(Path dir, UnaryOperator<HostConfig> tweak) {
        try {
            Path plugins = Files.createDirectories(dir.resolve("plugins"));
            if (!Files.exists(plugins.resolve("fakedesk.jar"))) {
                TestPluginJar.fakeDesk(plugins);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        HostFixture fixture = new HostFixture(dir, tweak);
        fixture.restart();
        return fixture;
    }

    /** The test helpdesks and callback receivers listen on loopback, which the outbound policy denies by default. */
    public static final String LOOPBACK = "127.0.0.0/8";

    public HostConfig config() {
        return tweak.apply(HostConfig.defaults(dir.resolve("data"), dir.resolve("plugins"))
                .withRetry(Duration.ofMillis(20), Duration.ofMillis(200), 5)
                .withOutboundAllow(LOOPBACK));
    }

    /** Stops (if running) and starts again on the same data folder. */
    public void restart() {
        if (host != null) {
            host.close();
        }
        HostConfig config = config();
        host = Host.start(config);
        api = new Api(host.port(), adminToken(config));
    }

    public int port() {
        return host.port();
    }

    /** The bootstrap admin token: the configured one, else the one the host generated in its data folder. */
    static String adminToken(HostConfig config) {
        if (config.adminToken() != null) {
            return config.adminToken();
        }
        try {
            return Files.readString(config.dataDir().resolve(BootstrapToken.FILE_NAME)).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String adminToken() {
        return api.token();
    }

    /** A client without any credential. */
    public Api anonymous() {
        return api.as(null);
    }

    /** Fake Desk settings that verify, writing to this fixture's journal. */
    public Map<String, Object> settings(Map<String, Object> overrides) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("journal", journal.toString());
        settings.put("password", "good");
        settings.putAll(overrides);
        return settings;
    }

    public Api.Response putIntegration(String id, Map<String, Object> overrides) {
        return api.put("/api/v1/integrations/" + id, Map.of("connector", "fakedesk", "settings", settings(overrides)));
    }

    @Override
    public void close() {
        if (host != null) {
            host.close();
        }
    }
}
