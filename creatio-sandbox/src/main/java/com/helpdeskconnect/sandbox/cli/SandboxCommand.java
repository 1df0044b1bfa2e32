package com.helpdeskconnect.sandbox.cli;

import com.helpdeskconnect.sandbox.support.SandboxConsole;
import com.helpdeskconnect.sandbox.CreatioSandbox;
import com.helpdeskconnect.sandbox.identity.RegisteredClient;
import com.helpdeskconnect.sandbox.inspection.CaseView;
import com.helpdeskconnect.sandbox.model.EdmType;
import com.helpdeskconnect.sandbox.odata.ODataEndpoint;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar creatio-sandbox.jar}: starts the sandbox, prints where it listens on the first
 * line, then reads agent commands from standard input until it closes or the process is stopped.
 */
@Command(name = "creatio-sandbox", mixinStandardHelpOptions = true, versionProvider = SandboxCommand.Version.class,
        description = "A local Creatio (identity service, OData 4, business-process webhooks, faults) for tests "
                + "and demos.",
        footer = {"", "Commands on standard input:", "  cases | requests | reply <caseId> <text> | "
                + "status <caseId> <statusId> | resolve <caseId> <solution> | reopen <caseId> | quit"})
public final class SandboxCommand implements Callable<Integer> {
    @Option(names = "--port", description = "Site port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--is-port", description = "Identity service port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int identityPort;

    @Option(names = "--client-id", description = "OAuth client id of the integration (default: random).")
    String clientId;

    @Option(names = "--client-secret", description = "OAuth client secret (default: random, printed).")
    String clientSecret;

    @Option(names = "--webhook-url", description = "Where the business processes POST their payloads.")
    String webhookUrl;

    @Option(names = "--webhook-secret", description = "Value of the X-Helpdesk-Connect-Secret header.")
    String webhookSecret;

    @Option(names = "--created-by-filter",
            description = "Skip webhooks for the integration's own writes (the recommended process filter).")
    boolean createdByFilter;

    @Option(names = "--token-lifetime", description = "Access token lifetime in seconds (default: ${DEFAULT-VALUE}).")
    long tokenLifetimeSeconds = 3600;

    @Option(names = "--seed", description = "Seed of the fault injector's random choices (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--custom-column", paramLabel = "ENTITY.UsrName:TYPE",
            description = "Declare a custom column, e.g. Case.UsrSentiment:String (types: String, Guid, Int32, "
                    + "Decimal, Boolean, DateTimeOffset). Repeatable.")
    List<String> customColumns = new ArrayList<>();

    @Option(names = "--odata-root", paramLabel = "ROOT",
            description = "Where OData is served: /0/odata (cloud, .NET Framework) or /odata (on-site .NET Core / "
                    + ".NET 8) (default: ${DEFAULT-VALUE}).")
    String odataRoot = "/0/odata";

    @Option(names = "--data-file", paramLabel = "PATH",
            description = "Keep the data in this JSON file: loaded at start when it exists, saved after each change "
                    + "and at shutdown (default: memory only).")
    Path dataFile;

    private final PrintStream out;

    public SandboxCommand() {
        this(System.out);
    }

    SandboxCommand(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        int exit = new CommandLine(new SandboxCommand()).execute(args);
        if (exit != 0) {
            System.exit(exit);
        }
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (!odataRoot.equals(ODataEndpoint.ROOT) && !odataRoot.equals(ODataEndpoint.NET_CORE_ROOT)) {
            throw new CommandLine.ParameterException(new CommandLine(new SandboxCommand()),
                    "--odata-root is " + ODataEndpoint.ROOT + " or " + ODataEndpoint.NET_CORE_ROOT + ", got " + odataRoot);
        }
        CreatioSandbox.Builder builder = CreatioSandbox.builder()
                .port(port)
                .identityPort(identityPort)
                .tokenLifetime(Duration.ofSeconds(tokenLifetimeSeconds))
                .webhook(webhookUrl, webhookSecret)
                .createdByFilter(createdByFilter)
                .seed(seed)
                .odataRoot(odataRoot)
                .dataFile(dataFile);
        boolean generatedSecret = clientSecret == null;
        RegisteredClient generated = RegisteredClient.generate();
        builder.client(clientId != null ? clientId : generated.clientId(),
                clientSecret != null ? clientSecret : generated.clientSecret());
        for (String column : customColumns) {
            addCustomColumn(builder, column);
        }
        CreatioSandbox sandbox;
        try {
            sandbox = builder.start();
        } catch (RuntimeException e) {
            // One line, no stack trace: the usual causes are a taken port or an unusable data file.
            System.err.println("creatio-sandbox: cannot start: " + reason(e));
            return 1;
        }
        CountDownLatch stopped = SandboxConsole.closeOnShutdown(sandbox::close, "creatio-sandbox-shutdown");
        out.println("Creatio sandbox listening on " + sandbox.baseUrl() + " (identity service "
                + sandbox.identityUrl() + ")");
        out.println("Client ID: " + sandbox.clientId());
        if (generatedSecret) {
            out.println("Client secret: " + sandbox.clientSecret());
        }
        out.println("OData: " + sandbox.odataUrl() + "   admin API: " + sandbox.baseUrl() + "/sandbox/");
        out.flush();
        SandboxConsole.readCommands(System.in, out, words -> run(sandbox, words));
        stopped.await();
        return 0;
    }

    private boolean run(CreatioSandbox sandbox, String[] words) {
        switch (words[0]) {
            case "cases" -> sandbox.inspect().cases().forEach(this::printCase);
            case "requests" -> sandbox.inspect().requestCounts()
                    .forEach((endpoint, count) -> out.println(count + "\t" + endpoint));
            case "reply" -> out.println("Activity " + sandbox.agent().reply(words[1], words[2]));
            case "status" -> sandbox.agent().changeStatus(words[1], words[2]);
            case "resolve" -> sandbox.agent().resolve(words[1], words.length > 2 ? words[2] : "");
            case "reopen" -> sandbox.agent().reopen(words[1]);
            default -> {
                return false;
            }
        }
        return true;
    }

    private static String reason(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause
                && (cause.getMessage() == null || cause.getMessage().isBlank())) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        if (message.toLowerCase(Locale.ROOT).contains("address already in use")
                || e.getClass().getSimpleName().contains("Bind")) {
            return message + " (choose another --port / --is-port, or 0 for a free one)";
        }
        return message;
    }

    private void printCase(CaseView view) {
        out.println(view.number() + "  " + view.id() + "  [" + view.statusId() + "]  " + view.subject());
        view.activities().forEach(a -> out.println("    " + a.get("CreatedOn") + "  " + a.get("Title") + ": "
                + a.get("Body")));
    }

    private static void addCustomColumn(CreatioSandbox.Builder builder, String spec) {
        int dot = spec.indexOf('.');
        int colon = spec.indexOf(':');
        if (dot < 0 || colon < dot) {
            throw new CommandLine.ParameterException(new CommandLine(new SandboxCommand()),
                    "--custom-column wants ENTITY.UsrName:TYPE, got " + spec);
        }
        builder.customColumn(spec.substring(0, dot), spec.substring(dot + 1, colon),
                EdmType.parse(spec.substring(colon + 1)));
    }

    /** The jar's Implementation-Version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return SandboxConsole.version("creatio-sandbox", SandboxCommand.class);
        }
    }
}
