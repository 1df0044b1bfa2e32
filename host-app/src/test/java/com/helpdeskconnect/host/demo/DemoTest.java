package com.helpdeskconnect.host.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.helpdeskconnect.host.e2e.CreatioPluginJar;
import com.helpdeskconnect.host.e2e.ZendeskPluginJar;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's demo, script and all: the built sandbox jar as a child process, the built Creatio
 * plugin jar, the host on a random port; what a newcomer sees is checked step by step.
 */
class DemoTest {
    @TempDir
    Path dir;

    @Test
    void scriptedConversationRunsAgainstTheSandboxJarAndEndsResolved() throws Exception {
        Path sandboxJar;
        try {
            sandboxJar = Demo.locate("creatio-sandbox", "creatio-sandbox.jar");
        } catch (IllegalStateException e) {
            sandboxJar = null;
        }
        // the root build packages the sandbox before host-app; a lone `-pl host-app` run may not have it
        assumeTrue(sandboxJar != null && Files.isRegularFile(sandboxJar), "creatio-sandbox.jar is not built");
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
             Demo demo = new Demo(out)) {
            demo.run(new Demo.Options(sandboxJar, CreatioPluginJar.location(), dir, 0));
            demo.printLinks(null);
        }
        String text = buffer.toString(StandardCharsets.UTF_8);
        assertThat(text)
                .contains("connectors loaded: [creatio]")
                .contains("Case SR00000001 created in Creatio")
                .contains("priority High, category Incident, sentiment upset, owner Alice Agent, group 1st-line support")
                .contains("The chat stream got it:").contains("Hello Ada, a replacement ships today.")
                .contains("signature valid")
                .contains("Conversation demo-conversation-1 is now resolved")
                .contains("status Resolved")
                .contains("the scripted chat: http://127.0.0.1:")
                .contains("/chat?conversation=demo-conversation-1&token=")
                .contains("a new chat:        http://127.0.0.1:");
        assertThat(text).doesNotContain("files:");
        // the demo's generated client secret is passed to the sandbox, never printed
        assertThat(text).doesNotContainPattern("[0-9A-F]{64}");
        // the demo's key is a throw-away one: no key file, no "back it up" warning
        assertThat(dir.resolve("data").resolve("secret.key")).doesNotExist();
    }

    @Test
    void theSameScriptRunsAgainstTheZendeskSandboxJar() throws Exception {
        Path sandboxJar;
        try {
            sandboxJar = Demo.Helpdesk.ZENDESK.sandboxJar();
        } catch (IllegalStateException e) {
            sandboxJar = null;
        }
        assumeTrue(sandboxJar != null && Files.isRegularFile(sandboxJar), "zendesk-sandbox.jar is not built");
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
             Demo demo = new Demo(out)) {
            demo.run(new Demo.Options(Demo.Helpdesk.ZENDESK, sandboxJar, ZendeskPluginJar.location(), dir, 0));
            demo.printLinks(null);
        }
        String text = buffer.toString(StandardCharsets.UTF_8);
        assertThat(text)
                .contains("Start Helpdesk Connect with the Zendesk plugin")
                .contains("connectors loaded: [zendesk]")
                .contains("Zendesk at http://127.0.0.1:")
                .contains("GET /api/v2/ticket_fields.json")
                .contains("Verified against Zendesk and saved")
                .contains("Ticket 1 created in Zendesk")
                .contains("as an internal note")
                .contains("priority high, type incident, sentiment very_unhappy, assignee Alice Agent, group Support")
                .contains("The chat stream got it:").contains("Hello Ada, a replacement ships today.")
                .contains("signature valid")
                .contains("Conversation demo-conversation-1 is now resolved")
                .contains("status solved")
                .contains("public reply: Hello Ada, a replacement ships today.")
                .contains("internal note: Handoff from the AI assistant")
                .contains("the scripted chat: http://127.0.0.1:")
                .contains("Zendesk:           http://127.0.0.1:");
        // the generated API token and signing secret go to the sandbox and the host, never to the terminal
        assertThat(text).doesNotContainPattern("[0-9A-F]{40}");
        assertThat(dir.resolve("data").resolve("secret.key")).doesNotExist();
    }

    @Test
    void aSandboxThatDoesNotStartIsReportedWithWhatItSaid() throws Exception {
        Path notAJar = Files.writeString(dir.resolve("creatio-sandbox.jar"), "not a jar");
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
             Demo demo = new Demo(out)) {
            assertThatThrownBy(() -> demo.run(new Demo.Options(notAJar, CreatioPluginJar.location(), dir, 0)))
                    .hasMessageStartingWith("The sandbox did not start: ")
                    .hasMessageContaining("jarfile")
                    .hasMessageContaining("exit code 1")
                    .hasMessageNotContaining("null");
        }
    }
}
