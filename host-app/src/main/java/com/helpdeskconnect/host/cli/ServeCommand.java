package com.helpdeskconnect.host.cli;

import com.helpdeskconnect.host.Host;
import com.helpdeskconnect.host.config.BindPolicy;
import com.helpdeskconnect.host.config.HostConfig;
import com.helpdeskconnect.host.security.BootstrapToken;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code serve}: runs the host until the process is stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Start the host: load plugins, open the database, serve the HTTP API.")
public final class ServeCommand implements Callable<Integer> {
    /** Exit code meaning "the server runs on"; {@code Main} then does not call System.exit. */
    public static final int KEEP_RUNNING = -1;
    /** Exit code of a configuration the host cannot start with (bad values, missing folders, taken port). */
    public static final int CANNOT_START = 2;

    @Mixin
    HostOptions options;

    @Override
    public Integer call() {
        HostConfig config;
        try {
            config = options.resolve();
        } catch (IllegalArgumentException e) {
            System.err.println("Invalid configuration: " + e.getMessage());
            return CANNOT_START;
        }
        Optional<String> refusal = BindPolicy.refusal(config);
        if (refusal.isPresent()) {
            System.err.println(refusal.get());
            return CANNOT_START;
        }
        Host host;
        try {
            StartupCheck.all(config);
            host = Host.start(config);
        } catch (RuntimeException e) {
            System.err.println("Cannot start: " + StartupCheck.explain(e, config));
            return CANNOT_START;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(host::close, "helpdesk-connect-shutdown"));
        System.out.println("Helpdesk Connect listening on http://" + config.bindHost() + ":" + host.port());
        // on the console only (never the log), and only on the start that generated it
        host.generatedAdminToken().ifPresent(token -> System.out.println("Generated the bootstrap admin token (shown once; kept in "
                + config.dataDir().resolve(BootstrapToken.FILE_NAME) + "): " + token));
        System.out.flush();
        return KEEP_RUNNING;
    }
}
