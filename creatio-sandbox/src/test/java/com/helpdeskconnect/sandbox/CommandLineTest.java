package com.helpdeskconnect.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.helpdeskconnect.sandbox.cli.SandboxCommand;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Runs the command line in a child JVM, as {@code java -jar creatio-sandbox.jar} would. */
class CommandLineTest {
    private static final Pattern FIRST_LINE = Pattern.compile(
            "Creatio sandbox listening on (http://127\\.0\\.0\\.1:\\d+) \\(identity service (http://127\\.0\\.0\\.1:\\d+)\\)");

    @Test
    void firstLineSaysWhereItListensAndTheGivenClientWorks() throws Exception {
        Process process = start("--port", "0", "--is-port", "0", "--client-id", "CLI", "--client-secret", "CLISECRET",
                "--custom-column", "Case.UsrSentiment:String");
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            Matcher first = FIRST_LINE.matcher(out.readLine());
            assertThat(first.matches()).isTrue();
            assertThat(out.readLine()).isEqualTo("Client ID: CLI");
            assertThat(out.readLine()).doesNotContain("CLISECRET");

            Http.Response token = Http.postForm(first.group(2) + "/connect/token", Map.of(
                    "grant_type", "client_credentials", "client_id", "CLI", "client_secret", "CLISECRET"));
            assertThat(token.status()).isEqualTo(200);
            Http.Response created = Http.post(first.group(1) + "/0/odata/Case", token.json().get("access_token")
                    .asText(), "{\"Subject\":\"From the CLI\",\"UsrSentiment\":\"calm\"}");
            assertThat(created.status()).isEqualTo(201);
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
            assertThat(out.readLine()).matches("Client ID: [0-9A-F]{32}");
            assertThat(out.readLine()).matches("Client secret: [0-9A-F]{64}");
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

        assertThat(help).contains("--port", "--is-port", "--client-id", "--client-secret", "--webhook-url",
                "--webhook-secret", "--token-lifetime", "--seed");
    }

    @Test
    void aTakenPortOrABadDataFileIsOneLineAndANonZeroExit(@org.junit.jupiter.api.io.TempDir Path folder)
            throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getByName("127.0.0.1"))) {
            Process process = startCapturingErrors("--port", String.valueOf(taken.getLocalPort()));
            String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();

            assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isNotZero();
            assertThat(errors.lines().filter(l -> l.startsWith("creatio-sandbox:"))).singleElement().asString()
                    .contains("--port");
            assertThat(errors).doesNotContain("\tat ");
        }

        Path bad = folder.resolve("bad.json");
        java.nio.file.Files.writeString(bad, "not json");
        Process process = startCapturingErrors("--data-file", bad.toString());
        String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isNotZero();
        assertThat(errors).startsWith("creatio-sandbox: cannot start: Cannot read the sandbox data file").contains("bad.json")
                .doesNotContain("\tat ");
    }

    private static Process startCapturingErrors(String... args) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new java.util.ArrayList<>(List.of(java.toString(),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=off",
                "-cp", System.getProperty("java.class.path"), SandboxCommand.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static Process start(String... args) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new java.util.ArrayList<>(List.of(java.toString(),
                "-Dorg.slf4j.simpleLogger.logFile=System.err",
                "-cp", System.getProperty("java.class.path"), SandboxCommand.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }
}
