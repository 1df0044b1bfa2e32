package com.helpdeskconnect.host.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.helpdeskconnect.host.e2e.CreatioPluginJar;
import com.helpdeskconnect.host.testing.HostProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar helpdesk-connect.jar demo --no-wait} as a newcomer sees it in the terminal. */
class DemoCommandTest {
    private static final Pattern WORK_FOLDER = Pattern.compile("work folder (\\S+);");

    @TempDir
    Path dir;

    @Test
    void theTerminalShowsTheStoryOnlyAndTheTempFolderIsRemoved() throws Exception {
        Path sandboxJar = sandboxJar();
        Path errors = dir.resolve("stderr.txt");
        Process process = HostProcess.launch(errors, List.of("demo", "--no-wait", "--sandbox-jar", sandboxJar.toString(),
                "--plugin-jar", CreatioPluginJar.location().toString()));
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).as(out + Files.readString(errors)).isZero();
        assertThat(out).contains("1. Start Helpdesk Connect", "starting:", "Conversation demo-conversation-1 is now resolved")
                .contains("the servers are stopped (--no-wait) and the work folder is removed.")
                // library logs and the key warning stay out of the terminal
                .doesNotContain("INFO", "Javalin", "HikariPool", "Flyway", "Back it up", "Hibernate Validator")
                // no links to servers that are gone
                .doesNotContain("Try it yourself", "/chat?");
        assertThat(Files.readString(errors)).doesNotContain("INFO", "WARN");
        Matcher folder = WORK_FOLDER.matcher(out);
        assertThat(folder.find()).isTrue();
        assertThat(Path.of(folder.group(1))).doesNotExist();
    }

    @Test
    void aGivenWorkFolderIsKeptWithTheLibraryLogInIt() throws Exception {
        Path sandboxJar = sandboxJar();
        Path work = dir.resolve("work");
        Process process = HostProcess.launch(dir.resolve("stderr.txt"), List.of("demo", "--no-wait", "--work-dir",
                work.toString(), "--sandbox-jar", sandboxJar.toString(), "--plugin-jar",
                CreatioPluginJar.location().toString()));
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).isZero();
        assertThat(out).contains("files in " + work);
        assertThat(Files.readString(work.resolve("demo.log"))).contains("Javalin", "HikariPool");
        assertThat(work.resolve("data").resolve("secret.key")).doesNotExist();
    }

    @Test
    void helpListsTheHelpdesksAndAnUnknownOneIsRefusedWithTheKnownNames() {
        CommandLine command = new CommandLine(new com.helpdeskconnect.host.cli.DemoCommand());
        assertThat(command.getUsageMessage()).contains("--helpdesk=NAME").contains("creatio, zendesk").contains("default: creatio");
        java.io.StringWriter errors = new java.io.StringWriter();
        command.setErr(new java.io.PrintWriter(errors));
        assertThat(command.execute("--helpdesk", "freshdesk")).isEqualTo(2);
        assertThat(errors.toString()).contains("Unknown helpdesk 'freshdesk'; choose one of [creatio, zendesk]");
    }

    private static Path sandboxJar() {
        Path jar;
        try {
            jar = Demo.locate("creatio-sandbox", "creatio-sandbox.jar");
        } catch (IllegalStateException e) {
            jar = null;
        }
        assumeTrue(jar != null && Files.isRegularFile(jar), "creatio-sandbox.jar is not built");
        return jar;
    }
}
