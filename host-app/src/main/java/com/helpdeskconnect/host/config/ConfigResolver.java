package com.helpdeskconnect.host.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

/**
 * Resolves {@link HostConfig} from, in order of precedence: command-line options, environment
 * variables ({@code HELPDESK_CONNECT_PORT}, {@code HELPDESK_CONNECT_DATA_DIR}, …), a properties file
 * ({@code port=8080}, {@code data-dir=…}), then defaults.
 *
 * <p>The encryption key comes only from the environment ({@code HELPDESK_CONNECT_ENCRYPTION_KEY})
 * or a key file: command lines and config files end up in shell histories and backups. So does the
 * database password ({@code HELPDESK_CONNECT_DATABASE_PASSWORD}), unless the operator puts it in the
 * database URL themselves.
 */
public final class ConfigResolver {
    public static final String ENV_PREFIX = "HELPDESK_CONNECT_";
    public static final String DEFAULT_CONFIG_FILE = "helpdesk-connect.properties";

    private final Map<String, String> cli;
    private final Map<String, String> env;
    private final Properties file = new Properties();

    /**
     * @param cli        option name (kebab-case, e.g. {@code data-dir}) to value, only options given
     * @param env        the environment
     * @param configFile explicit config file, or {@code null} to look for {@value #DEFAULT_CONFIG_FILE}
     *                   (or {@code HELPDESK_CONNECT_CONFIG}) in the working directory
     */
    public ConfigResolver(Map<String, String> cli, Map<String, String> env, Path configFile) {
        this.cli = Map.copyOf(cli);
        this.env = Map.copyOf(env);
        Path path = configFile;
        if (path == null && env.get(ENV_PREFIX + "CONFIG") != null) {
            path = Path.of(env.get(ENV_PREFIX + "CONFIG"));
        }
        boolean explicit = path != null;
        if (path == null) {
            path = Path.of(DEFAULT_CONFIG_FILE);
        }
        if (Files.isRegularFile(path)) {
            try (Reader reader = Files.newBufferedReader(path)) {
                file.load(reader);
            } catch (IOException e) {
                throw new IllegalArgumentException("Cannot read config file " + path + ": " + e.getMessage(), e);
            }
        } else if (explicit) {
            throw new IllegalArgumentException("Config file " + path + " does not exist");
        }
    }

    /** Resolves the configuration; {@code defaultPluginsDir} is usually {@code plugins/} beside the jar. */
    public HostConfig resolve(Path defaultPluginsDir) {
        HostConfig defaults = HostConfig.defaults(Path.of("data"), defaultPluginsDir);
        Path dataDir = get("data-dir", Path::of, Path.of("data"));
        String key = env.get(ENV_PREFIX + "ENCRYPTION_KEY");
        // secrets come from the environment only: a command line shows in the process list
        String adminToken = env.get(ENV_PREFIX + "ADMIN_TOKEN");
        String dbPassword = env.get(ENV_PREFIX + "DATABASE_PASSWORD");
        return new HostConfig(
                get("bind-host", s -> s, "127.0.0.1"),
                get("port", s -> parseInt("port", s), 8080),
                dataDir,
                get("plugins-dir", Path::of, defaultPluginsDir),
                key == null || key.isBlank() ? null : key.trim(),
                get("key-file", Path::of, null),
                get("public-url", s -> s, null),
                get("worker-threads", s -> parseInt("worker-threads", s), defaults.workerThreads()),
                get("retry-base-delay-ms", s -> Duration.ofMillis(parseInt("retry-base-delay-ms", s)),
                        defaults.retryBaseDelay()),
                get("retry-max-delay-ms", s -> Duration.ofMillis(parseInt("retry-max-delay-ms", s)),
                        defaults.retryMaxDelay()),
                get("max-attempts", s -> parseInt("max-attempts", s), defaults.maxAttempts()),
                get("max-request-bytes", s -> (long) parseInt("max-request-bytes", s), defaults.maxRequestBytes()),
                adminToken == null || adminToken.isBlank() ? null : adminToken.trim(),
                new HostConfig.Limits(
                        get("rate-limit", s -> (double) parseInt("rate-limit", s), HostConfig.Limits.DEFAULTS.ratePerSecond()),
                        get("rate-limit-burst", s -> parseInt("rate-limit-burst", s), HostConfig.Limits.DEFAULTS.rateBurst()),
                        get("max-streams-per-credential", s -> parseInt("max-streams-per-credential", s),
                                HostConfig.Limits.DEFAULTS.maxStreamsPerCredential()),
                        get("max-streams", s -> parseInt("max-streams", s), HostConfig.Limits.DEFAULTS.maxStreams())),
                get("outbound-allow", s -> s, null),
                new HostConfig.DatabaseSettings(
                        get("database-url", s -> s, null),
                        get("database-user", s -> s, null),
                        dbPassword == null || dbPassword.isEmpty() ? null : dbPassword,
                        get("lease-seconds", s -> Duration.ofSeconds(parseInt("lease-seconds", s)),
                                HostConfig.DatabaseSettings.DEFAULT_LEASE)));
    }

    /** The environment variable for an option: {@code data-dir} → {@code HELPDESK_CONNECT_DATA_DIR}. */
    public static String envName(String option) {
        return ENV_PREFIX + option.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    private <T> T get(String option, Function<String, T> parse, T fallback) {
        String value = cli.get(option);
        if (value == null) {
            value = env.get(envName(option));
        }
        if (value == null) {
            value = file.getProperty(option);
        }
        return value == null || value.isBlank() ? fallback : parse.apply(value.trim());
    }

    private static int parseInt(String option, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a whole number, was '" + value + "'");
        }
    }
}
