package com.helpdeskconnect.host;

import com.helpdeskconnect.api.SpiVersion;
import com.helpdeskconnect.host.cli.CliErrors;
import com.helpdeskconnect.host.cli.PluginsCommand;
import com.helpdeskconnect.host.cli.ServeCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code helpdesk-connect} command line. Without a command it prints its version line. */
@Command(name = "helpdesk-connect", mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        subcommands = {ServeCommand.class, PluginsCommand.class, com.helpdeskconnect.host.cli.DemoCommand.class,
                com.helpdeskconnect.host.cli.KeysCommand.class, com.helpdeskconnect.host.cli.StoreCommand.class,
                CommandLine.HelpCommand.class},
        description = "Connects an AI customer-support platform to helpdesks.")
public final class Main implements Callable<Integer> {

    public static void main(String[] args) {
        // Hibernate Validator logs through JBoss Logging, which would pick java.util.logging (a second log
        // format on the console); route it to SLF4J like every other library.
        if (System.getProperty("org.jboss.logging.provider") == null) {
            System.setProperty("org.jboss.logging.provider", "slf4j");
        }
        int exit = commandLine(new Main()).execute(args);
        if (exit != ServeCommand.KEEP_RUNNING) {
            System.exit(exit);
        }
    }

    /** A command line for {@code command} whose error output never shows a password (see {@link CliErrors}). */
    public static CommandLine commandLine(Object command) {
        return CliErrors.install(new CommandLine(command));
    }

    @Override
    public Integer call() {
        System.out.println(versionLine());
        return 0;
    }

    public static String versionLine() {
        String version = Main.class.getPackage().getImplementationVersion();
        return "Helpdesk Connect " + (version == null ? "dev" : version) + " (connector SPI " + SpiVersion.current() + ")";
    }

    /** Feeds {@code --version}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {versionLine()};
        }
    }
}
