package com.helpdeskconnect.host.cli;

import com.helpdeskconnect.host.config.HostConfig;
import com.helpdeskconnect.host.plugins.LoadedConnector;
import com.helpdeskconnect.host.plugins.PluginFailure;
import com.helpdeskconnect.host.plugins.PluginRuntime;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code plugins}: inspect the plugins folder without starting the server. */
@Command(name = "plugins", mixinStandardHelpOptions = true,
        subcommands = {PluginsCommand.ListCommand.class},
        description = "Inspect the plugins folder.")
public final class PluginsCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        CommandLine.usage(this, System.out);
        return 0;
    }

    /** {@code plugins list}: loads every jar and reports connectors and failures; exit 1 if any jar failed. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Load every plugin jar and list its connectors, or why it failed.")
    static final class ListCommand implements Callable<Integer> {
        @Mixin
        PluginsDirOptions options;

        @Override
        public Integer call() {
            HostConfig config;
            try {
                config = options.resolve(Map.of());
                StartupCheck.pluginsDir(config.pluginsDir());
            } catch (RuntimeException e) {
                System.err.println("Cannot list plugins: " + e.getMessage());
                return ServeCommand.CANNOT_START;
            }
            try (PluginRuntime plugins = new PluginRuntime(config.pluginsDir())) {
                plugins.start();
                System.out.println("Plugins folder: " + plugins.pluginsDir());
                for (LoadedConnector c : plugins.connectors()) {
                    System.out.printf("  %-16s %-10s %s (plugin %s)%n", c.id(), c.descriptor().version(),
                            c.descriptor().name(), c.pluginId());
                }
                for (PluginFailure f : plugins.failures()) {
                    System.out.println("  FAILED " + f);
                }
                if (plugins.connectors().isEmpty() && plugins.failures().isEmpty()) {
                    System.out.println("  (no plugins)");
                }
                return plugins.failures().isEmpty() ? 0 : 1;
            }
        }
    }
}
