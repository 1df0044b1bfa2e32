package com.helpdeskconnect.host.cli;

import com.helpdeskconnect.host.config.ConfigResolver;
import com.helpdeskconnect.host.config.HostConfig;
import com.helpdeskconnect.host.config.HostConfig.DatabaseSettings;
import com.helpdeskconnect.host.storage.Database;
import com.helpdeskconnect.host.storage.SecretBox;
import com.helpdeskconnect.host.storage.StoreCopy;
import com.helpdeskconnect.host.storage.StoreCopy.Store;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code store}: the host's database. */
@Command(name = "store", mixinStandardHelpOptions = true, description = "Move the host's data from one database to another.",
        subcommands = StoreCommand.Copy.class)
public final class StoreCommand implements Callable<Integer> {
    /** Exit code: copied, and every table's row count matches. */
    public static final int COPIED = 0;
    /** Exit code: refused (store in use, target not empty...) or failed; the target holds nothing new. */
    public static final int FAILED = 1;
    /** Exit code: the options or the configuration are invalid. */
    public static final int INVALID = 2;

    @Override
    public Integer call() {
        System.err.println("Usage: helpdesk-connect store copy --data-dir DIR (--to sqlite | --to-database-url URL)");
        return INVALID;
    }

    /**
     * {@code store copy}: every table of one store into an empty other one, verified by row counts.
     * The source is the data folder's own database unless {@code --from-database-url} names another.
     */
    @Command(name = "copy", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Copy every table of the host's database into an empty one, in one transaction, and check "
                    + "each table's row count. Stop the host first.",
                    "Source: the data folder's database, as serve opens it (H2 helpdesk-connect.mv.db if the folder has one, "
                            + "else SQLite helpdesk-connect.db), or --from-database-url.",
                    "--to sqlite: into the data folder's SQLite file; the H2 file is then renamed to "
                            + "helpdesk-connect.mv.db.copied-<time> (kept), so serve opens SQLite.",
                    "Secrets are copied sealed: the target's hosts need the same key file and keyset (or "
                            + "HELPDESK_CONNECT_ENCRYPTION_KEY)."})
    static final class Copy implements Callable<Integer> {
        @Option(names = "--data-dir", paramLabel = "DIR", description = "the data folder (env HELPDESK_CONNECT_DATA_DIR, default ./data)")
        Path dataDir;

        @Option(names = "--from-database-url", paramLabel = "URL", description = "copy from this database instead: "
                + "jdbc:postgresql://host:5432/db or jdbc:sqlite:/path/file.db (user and password in the URL or in "
                + "HELPDESK_CONNECT_DATABASE_USER / _PASSWORD)")
        String fromUrl;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Target target;

        @Option(names = "--config", paramLabel = "FILE", description = "properties file read like serve's (env HELPDESK_CONNECT_CONFIG)")
        Path configFile;

        static final class Target {
            @Option(names = "--to-database-url", paramLabel = "URL", required = true,
                    description = "an empty database: jdbc:postgresql://host:5432/db or jdbc:sqlite:/path/file.db")
            String url;

            @Option(names = "--to", paramLabel = "sqlite", required = true,
                    description = "sqlite: the data folder's SQLite file (an H2 folder moving to SQLite)")
            String embedded;
        }

        @Override
        public Integer call() {
            // the summary is the output; Hikari's and Flyway's start-up lines would bury it (set before any logger exists)
            if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
                System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
            }
            return run(System.out, System.err);
        }

        int run(PrintStream out, PrintStream err) {
            // belt and braces: whatever a driver puts in a message, the passwords of both ends are not printed
            List<String> secrets = new ArrayList<>();
            HostConfig config;
            Store from;
            Store to;
            try {
                Map<String, String> cli = new HashMap<>();
                if (dataDir != null) {
                    cli.put("data-dir", dataDir.toString());
                }
                // database-url from the environment or the config file is serve's, not this command's: both ends are named here
                config = new ConfigResolver(cli, withoutDatabaseUrl(System.getenv()), configFile).resolve(Path.of("plugins"));
                DatabaseSettings env = config.database();
                from = fromUrl == null ? Store.dataFolder(config.dataDir(), env.lease())
                        : Store.url(config.dataDir(), settings("--from-database-url", fromUrl, env));
                if (target.embedded != null) {
                    if (!target.embedded.trim().toLowerCase(Locale.ROOT).equals("sqlite")) {
                        throw new IllegalArgumentException("--to takes sqlite (the data folder's SQLite file); "
                                + "name any other database with --to-database-url");
                    }
                    to = Store.sqliteIn(config.dataDir(), env.lease());
                } else {
                    to = Store.url(config.dataDir(), settings("--to-database-url", target.url, env));
                }
                from.password().ifPresent(secrets::add);
                to.password().ifPresent(secrets::add);
            } catch (IllegalArgumentException e) {
                err.println(CliErrors.scrub("Invalid configuration: " + e.getMessage(), secrets));
                return INVALID;
            }
            out.println("Copying " + from.describe());
            out.println("     to " + to.describe());
            out.flush();
            StoreCopy.Result result;
            try {
                result = StoreCopy.copy(from, to);
            } catch (RuntimeException e) {
                err.println(CliErrors.scrub("Cannot copy: " + message(e), secrets));
                return FAILED;
            }
            summary(out, result);
            if (!result.verified()) {
                err.println("Cannot copy: row counts differ between the source and the target (marked above)");
                return FAILED;
            }
            result.movedAside().ifPresent(aside -> out.println("Renamed " + from.file().getFileName() + " to " + aside.getFileName()
                    + " (kept, not deleted): serve --data-dir " + config.dataDir() + " now opens the SQLite file."));
            if (to.kind() == Store.Kind.POSTGRES) {
                out.println("Start the hosts with --database-url for it (docs/deployment.md)"
                        + (fromUrl == null ? "; serve without it would still open " + from.describe() : "") + ".");
            }
            boolean inFolder = to.file() != null && to.file().getParent().equals(config.dataDir().toAbsolutePath().normalize());
            if (fromUrl != null) {
                out.println("Secrets were copied sealed: a host on the target needs the key and keyset the source's hosts use "
                        + "(their key file and the secret.keyset.json beside it, or HELPDESK_CONNECT_ENCRYPTION_KEY and that keyset).");
            } else if (!inFolder) {
                // within the data folder the folder's key goes on being used; anywhere else it must go along
                Path keyset = SecretBox.keysetFileFor(config.keyFile());
                out.println("Secrets were copied sealed: a host on the target needs "
                        + (config.encryptionKey() != null ? "the same HELPDESK_CONNECT_ENCRYPTION_KEY and the keyset " + keyset
                        : "the key file " + config.keyFile().toAbsolutePath().normalize() + " and the keyset " + keyset + " beside it")
                        + ".");
            }
            return COPIED;
        }

        private static void summary(PrintStream out, StoreCopy.Result result) {
            int width = Math.max("table".length(), result.tables().stream().mapToInt(t -> t.table().length()).max().orElse(0));
            String format = "  %-" + width + "s %10s %10s%s%n";
            out.printf(format, "table", "source", "target", "");
            for (StoreCopy.TableCount t : result.tables()) {
                out.printf(format, t.table(), t.source(), t.target(), t.matches() ? "" : "  MISMATCH");
            }
            if (result.verified()) {
                out.printf(Locale.ROOT, "Copied %d rows in %d tables (schema version %s) in %.1f s; every table's row count matches.%n",
                        result.rows(), result.tables().size(), result.schemaVersion(), result.took().toMillis() / 1000.0);
            }
        }

        /** The URL as settings, credentials from the environment where the URL has none; never echoes the value. */
        private static DatabaseSettings settings(String option, String url, DatabaseSettings env) {
            String value = url.trim();
            if (!value.startsWith("jdbc:postgresql://") && !value.startsWith("jdbc:sqlite:")) {
                throw new IllegalArgumentException(option + " must be jdbc:postgresql://host:5432/db or jdbc:sqlite:/path/file.db");
            }
            try {
                return new DatabaseSettings(value, env.user(), env.password(), env.lease());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(option + " must be jdbc:postgresql://host:5432/db or an SQLite file, "
                        + "jdbc:sqlite:/path/file.db");
            }
        }

        private static Map<String, String> withoutDatabaseUrl(Map<String, String> env) {
            Map<String, String> copy = new HashMap<>(env);
            copy.remove(ConfigResolver.envName("database-url"));
            return copy;
        }

        private static String message(Throwable e) {
            return e instanceof StoreCopy.Refused ? e.getMessage() : Database.rootMessage(e);
        }
    }
}
