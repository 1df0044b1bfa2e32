package com.helpdeskconnect.zendesk.sandbox.cli;

import com.helpdeskconnect.sandbox.support.SandboxConsole;
import com.helpdeskconnect.zendesk.sandbox.ZendeskSandbox;
import com.helpdeskconnect.zendesk.sandbox.inspection.TicketView;
import com.helpdeskconnect.zendesk.sandbox.model.Status;
import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar zendesk-sandbox.jar}: starts the sandbox, prints where it listens on the first
 * line, then reads agent commands from standard input until it closes or the process is stopped.
 */
@Command(name = "zendesk-sandbox", mixinStandardHelpOptions = true, versionProvider = SandboxCommand.Version.class,
        description = "A local Zendesk Support (API-token auth, tickets, comments, ticket fields, rate limits, "
                + "signed trigger webhooks, faults) for tests and demos.",
        footer = {"", "Commands on standard input:", "  tickets | requests | reply <ticketId> <text> | "
                + "note <ticketId> <text> | status <ticketId> <status> | solve <ticketId> | close <ticketId> | "
                + "customer <ticketId> <text> | quit"})
public final class SandboxCommand implements Callable<Integer> {
    @Option(names = "--port", description = "Port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--email", description = "The integration admin's email (default: ${DEFAULT-VALUE}).")
    String email = "integration@sandbox.example";

    @Option(names = "--api-token", description = "The admin's API token (default: random, printed).")
    String apiToken;

    @Option(names = "--webhook-url", description = "Where the trigger's webhook POSTs {\"ticket_id\":\"…\"}.")
    String webhookUrl;

    @Option(names = "--signing-secret", description = "The webhook's signing secret (default: random, printed).")
    String signingSecret;

    @Option(names = "--seed", description = "Seed of the fault injector's random choices (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--rate-limit", description = "Account API requests per minute (default: ${DEFAULT-VALUE}).")
    int rateLimit = 700;

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
        ZendeskSandbox.Builder builder = ZendeskSandbox.builder().port(port).seed(seed).accountRateLimit(rateLimit)
                .webhook(webhookUrl, signingSecret);
        boolean generatedToken = apiToken == null;
        if (apiToken != null) {
            builder.credentials(email, apiToken);
        } else {
            builder.credentials(email, com.helpdeskconnect.zendesk.sandbox.auth.Credentials.generateToken());
        }
        ZendeskSandbox sandbox = builder.start();
        CountDownLatch stopped = SandboxConsole.closeOnShutdown(sandbox::close, "zendesk-sandbox-shutdown");
        out.println("Zendesk sandbox listening on " + sandbox.baseUrl());
        out.println("Email: " + sandbox.email());
        if (generatedToken) {
            out.println("API token: " + sandbox.apiToken());
        }
        if (signingSecret == null) {
            out.println("Signing secret: " + sandbox.signingSecret());
        }
        out.println("Webhook: " + (webhookUrl == null ? "(none)" : webhookUrl) + "   API: " + sandbox.apiUrl()
                + "   agent and inspection API: " + sandbox.sandboxUrl() + "/");
        out.flush();
        SandboxConsole.readCommands(System.in, out, words -> run(sandbox, words));
        stopped.await();
        return 0;
    }

    private boolean run(ZendeskSandbox sandbox, String[] words) {
        switch (words[0]) {
            case "tickets" -> sandbox.inspect().tickets().forEach(this::printTicket);
            case "requests" -> sandbox.inspect().requestCounts()
                    .forEach((endpoint, count) -> out.println(count + "\t" + endpoint));
            case "reply" -> out.println("Comment " + sandbox.agent().reply(id(words[1]), words[2]));
            case "note" -> out.println("Comment " + sandbox.agent().note(id(words[1]), words[2]));
            case "customer" -> out.println("Comment " + sandbox.agent().customerReply(id(words[1]), words[2]));
            case "status" -> sandbox.agent().changeStatus(id(words[1]), Status.parse(words[2])
                    .orElseThrow(() -> new IllegalArgumentException("unknown status " + words[2])));
            case "solve" -> sandbox.agent().solve(id(words[1]));
            case "close" -> sandbox.agent().close(id(words[1]));
            default -> {
                return false;
            }
        }
        return true;
    }

    private static long id(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a ticket id: " + text, e);
        }
    }

    private void printTicket(TicketView view) {
        out.println("#" + view.id() + "  [" + view.ticket().status().wire() + "]  " + view.ticket().subject()
                + (view.ticket().externalId() == null ? "" : "  (external_id " + view.ticket().externalId() + ")"));
        view.comments().forEach(c -> out.println("    " + c.createdAt() + "  " + (c.isPublic() ? "public " : "note   ")
                + c.authorId() + ": " + c.body()));
    }

    /** The jar's Implementation-Version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return SandboxConsole.version("zendesk-sandbox", SandboxCommand.class);
        }
    }
}
