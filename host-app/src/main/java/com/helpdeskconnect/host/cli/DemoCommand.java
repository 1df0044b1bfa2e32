package com.helpdeskconnect.host.cli;

import com.helpdeskconnect.host.demo.Demo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code demo}: the sandbox, the host with the Creatio plugin, and a scripted conversation. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the whole product locally: the Creatio sandbox, this host with the Creatio plugin jar,",
                "an integration and a scripted conversation (message, AI reply, handoff, agent reply, closing).",
                "Servers keep running afterwards (Ctrl-C stops them) unless --no-wait."})
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--sandbox-jar", paramLabel = "JAR", description = "default: creatio-sandbox/target/creatio-sandbox.jar")
    Path sandboxJar;

    @Option(names = "--plugin-jar", paramLabel = "JAR", description = "default: creatio-plugin/target/creatio-plugin-<version>.jar")
    Path pluginJar;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "plugins, database and sandbox log; default: a new temp folder")
    Path workDir;

    @Option(names = "--port", paramLabel = "N", defaultValue = "0", description = "host port; 0 (default) picks a free one")
    int port;

    @Option(names = "--no-wait", description = "stop everything after the script (for tests and CI)")
    boolean noWait;

    @Override
    public Integer call() throws Exception {
        Demo demo = new Demo(System.out);
        try {
            Path sandbox = sandboxJar != null ? sandboxJar : Demo.locate("creatio-sandbox", "creatio-sandbox.jar");
            Path plugin = pluginJar != null ? pluginJar : Demo.locate("creatio-plugin", "creatio-plugin-*.jar");
            Path dir = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("helpdesk-connect-demo");
            System.out.println("Helpdesk Connect demo (work folder " + dir + ")");
            demo.run(new Demo.Options(sandbox, plugin, dir, port));
        } catch (RuntimeException e) {
            demo.close();
            System.err.println("The demo failed: " + e.getMessage());
            return 1;
        }
        if (noWait) {
            demo.close();
            return 0;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(demo::close, "demo-shutdown"));
        System.out.println();
        System.out.println("Servers are running; press Ctrl-C to stop them.");
        System.out.flush();
        return ServeCommand.KEEP_RUNNING;
    }
}
