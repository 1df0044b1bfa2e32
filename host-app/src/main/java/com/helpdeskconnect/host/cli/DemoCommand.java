package com.helpdeskconnect.host.cli;

import com.helpdeskconnect.host.demo.Demo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code demo}: a helpdesk sandbox, the host with that helpdesk's plugin, and a scripted conversation. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run a scripted conversation against a local helpdesk sandbox.",
                "Starts the sandbox of the chosen helpdesk (Creatio or Zendesk), this host with",
                "that helpdesk's plugin jar and an integration, then plays a conversation",
                "(message, AI reply, handoff, agent reply, resolution) step by step. The",
                "servers keep running afterwards (Ctrl-C stops them) unless --no-wait. Library",
                "logs go to demo.log in the work folder, which is removed on exit unless",
                "--work-dir or --keep is given (or the demo fails)."})
public final class DemoCommand implements Callable<Integer> {
    /** The file in the work folder that receives every library's log lines. */
    static final String LOG_FILE = "demo.log";

    @Option(names = "--helpdesk", paramLabel = "NAME", defaultValue = "creatio", converter = HelpdeskConverter.class,
            completionCandidates = HelpdeskNames.class,
            description = "the helpdesk to run against: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    Demo.Helpdesk helpdesk;

    @Option(names = "--sandbox-jar", paramLabel = "JAR",
            description = "default: <helpdesk>-sandbox/target/<helpdesk>-sandbox.jar, e.g. creatio-sandbox/target/creatio-sandbox.jar")
    Path sandboxJar;

    @Option(names = "--plugin-jar", paramLabel = "JAR",
            description = "default: <helpdesk>-plugin/target/<helpdesk>-plugin-<version>.jar")
    Path pluginJar;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "plugins, database and logs; kept. Default: a new temp folder, removed on exit")
    Path workDir;

    @Option(names = "--keep", description = "keep the temp work folder on exit")
    boolean keep;

    @Option(names = "--port", paramLabel = "N", defaultValue = "0", description = "host port; 0 (default) picks a free one")
    int port;

    @Option(names = "--no-wait", description = "stop everything after the script (for tests and CI)")
    boolean noWait;

    @Override
    public Integer call() throws Exception {
        Path dir;
        try {
            dir = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("helpdesk-connect-demo");
        } catch (IOException e) {
            System.err.println("The demo cannot create its work folder: " + e.getMessage());
            return 1;
        }
        boolean remove = workDir == null && !keep;
        routeLibraryLogs(dir.resolve(LOG_FILE));
        System.out.println("Helpdesk Connect demo (work folder " + dir + "; library logs in " + LOG_FILE + " there)");
        Demo demo = new Demo(System.out);
        try {
            Path sandbox = sandboxJar != null ? sandboxJar : helpdesk.sandboxJar();
            Path plugin = pluginJar != null ? pluginJar : helpdesk.pluginJar();
            demo.run(new Demo.Options(helpdesk, sandbox, plugin, dir, port));
        } catch (Exception e) {
            demo.close();
            // the folder stays: its logs say why
            System.err.println("The demo failed: " + e.getMessage());
            System.err.println("Logs: " + dir.resolve(LOG_FILE) + " and " + dir.resolve("sandbox.log"));
            return 1;
        }
        if (noWait) {
            demo.close();
            cleanUp(dir, remove);
            System.out.println();
            System.out.println("Done; the servers are stopped (--no-wait)"
                    + (remove ? " and the work folder is removed." : "; files in " + dir));
            return 0;
        }
        demo.printLinks(remove ? null : dir);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            demo.close();
            cleanUp(dir, remove);
        }, "demo-shutdown"));
        System.out.println();
        System.out.println("Servers are running; press Ctrl-C to stop them"
                + (remove ? " (the work folder is removed then)." : "."));
        System.out.flush();
        return ServeCommand.KEEP_RUNNING;
    }

    /** {@code --helpdesk creatio|zendesk}, any case; an unknown name lists the known ones. */
    static final class HelpdeskConverter implements CommandLine.ITypeConverter<Demo.Helpdesk> {
        @Override
        public Demo.Helpdesk convert(String value) {
            try {
                return Demo.Helpdesk.of(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** The names {@code --help} lists. */
    static final class HelpdeskNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Demo.Helpdesk.ids().iterator();
        }
    }

    /**
     * Sends SLF4J (and, through it, PF4J, Hikari, Flyway, Jetty, Javalin and Hibernate Validator)
     * to a file, so the terminal shows only the demo's story. Works because no logger exists yet:
     * slf4j-simple reads these properties when the first one is made.
     */
    static void routeLibraryLogs(Path logFile) {
        System.setProperty("org.slf4j.simpleLogger.logFile", logFile.toString());
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
        System.setProperty("org.jboss.logging.provider", "slf4j");
    }

    private static void cleanUp(Path dir, boolean remove) {
        if (!remove) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("Could not remove the work folder " + dir + ": " + e.getMessage());
        }
    }
}
