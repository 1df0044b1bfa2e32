package com.helpdeskconnect.zendesk.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.helpdeskconnect.zendesk.sandbox.cli.SandboxCommand;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Runs the command line in a child JVM, as {@code java -jar zendesk-sandbox.jar} would. */
class CommandLineTest {
    private static final Pattern FIRST_LINE = Pattern.compile(
            "Zendesk sandbox listening on (http://127\\.0\\.0\\.1:(\\d+))");

    @Test
    void firstLineSaysWhereItListensAndTheGivenTokenWorks() throws Exception {
        Process process = start("--port", "0", "--email", "cli@acme.example", "--api-token", "CLITOKEN",
                "--signing-secret", "CLISECRET", "--webhook-url", "http://127.0.0.1:9/hook", "--seed", "3");
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            Matcher first = FIRST_LINE.matcher(out.readLine());
            assertThat(first.matches()).isTrue();
            assertThat(out.readLine()).isEqualTo("Email: cli@acme.example");
            assertThat(out.readLine()).doesNotContain("CLITOKEN").doesNotContain("CLISECRET");

            Http.Response me = Http.get(first.group(1) + "/api/v2/users/me.json",
                    ZendeskSandbox.basicAuthorization("cli@acme.example", "CLITOKEN"));
            assertThat(me.status()).isEqualTo(200);
        } finally {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void generatedSecretsArePrinted() throws Exception {
        Process process = start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).matches(FIRST_LINE);
            assertThat(out.readLine()).isEqualTo("Email: integration@sandbox.example");
            assertThat(out.readLine()).matches("API token: [A-Za-z0-9]{40}");
            assertThat(out.readLine()).matches("Signing secret: [A-Za-z0-9+/=]{44}");
        } finally {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void helpListsEveryOption() throws Exception {
        Process process = start("--help");
        String help = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(10, TimeUnit.SECONDS);

        assertThat(help).contains("--port", "--email", "--api-token", "--webhook-url", "--signing-secret", "--seed");
    }

    private static Process start(String... args) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(),
                "-Dorg.slf4j.simpleLogger.logFile=System.err",
                "-cp", System.getProperty("java.class.path"), SandboxCommand.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }
}
