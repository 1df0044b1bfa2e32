package com.helpdeskconnect.host.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.helpdeskconnect.host.testing.Api;
import com.helpdeskconnect.host.testing.HostProcess;
import com.helpdeskconnect.sandbox.CreatioSandbox;
import com.helpdeskconnect.sandbox.CreatioSandboxExtension;
import com.helpdeskconnect.sandbox.faults.FaultRule;
import com.helpdeskconnect.sandbox.inspection.CaseView;
import com.helpdeskconnect.sandbox.model.EdmType;
import com.helpdeskconnect.sandbox.model.StandardRows;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Kill -9 the host (a separate JVM) while it is writing to Creatio; the restarted host finishes every conversation exactly once. */
class CreatioCrashRestartTest {
    private static final int CONVERSATIONS = 3;

    @RegisterExtension
    final CreatioSandboxExtension creatio = new CreatioSandboxExtension(
            b -> b.customColumn("Case", CreatioEndToEndTest.SENTIMENT_COLUMN, EdmType.STRING));

    @TempDir
    Path dir;

    @Test
    void killedHostFinishesEveryConversationInCreatioExactlyOnce() {
        CreatioSandbox sandbox = creatio.sandbox();
        Path plugins = dir.resolve("plugins");
        CreatioPluginJar.installInto(plugins);
        Path data = dir.resolve("data");
        Map<String, Object> settings = CreatioPluginJar.settings(sandbox);
        settings.put("fieldMap", Map.of("sentiment", CreatioEndToEndTest.SENTIMENT_COLUMN));

        try (HostProcess first = HostProcess.serve(data, plugins, dir.resolve("first.log"))) {
            Api api = first.api();
            assertThat(api.put("/api/v1/integrations/acme", Map.of("connector", "creatio", "settings", settings)).status())
                    .isEqualTo(200);
            // slow Creatio so the kill lands in the middle of the writes: a case's last writes come seconds
            // after its first (at 200 ms a loaded CI machine saw every case resolved before the kill)
            sandbox.faults().add(FaultRule.on("*", "/0/odata").latency(Duration.ofMillis(1000), Duration.ZERO));
            // every event in one request, so posting cannot outlast the writes either
            List<Map<String, Object>> events = new ArrayList<>();
            for (int c = 0; c < CONVERSATIONS; c++) {
                String id = "crash-" + c;
                for (Map<String, Object> event : List.of(
                        CreatioEndToEndTest.customer("acme", id + "-1", "Where is my parcel?", "ada" + c + "@example.com"),
                        CreatioEndToEndTest.aiReply("acme", id + "-2", "Let me check the tracking."),
                        CreatioEndToEndTest.handoff("acme", id + "-3", null, null),
                        CreatioEndToEndTest.resolved("acme", id + "-4"))) {
                    Map<String, Object> withId = new LinkedHashMap<>(event);
                    withId.put("conversationId", id);
                    events.add(withId);
                }
            }
            Api.Response posted = api.post("/api/v1/events", Map.of("events", events));
            assertThat(posted.status()).as(posted.text()).isEqualTo(200);
            assertThat(posted.json().get("accepted").asInt()).as(posted.text()).isEqualTo(CONVERSATIONS * 4);
            await().atMost(Duration.ofSeconds(30)).until(() -> !sandbox.inspect().cases().isEmpty());
            first.kill();
        }
        long resolvedBefore = sandbox.inspect().cases().stream()
                .filter(c -> StandardRows.STATUS_RESOLVED.equals(c.statusId())).count();
        assertThat(resolvedBefore).isLessThan(CONVERSATIONS);
        sandbox.faults().clear();

        try (HostProcess second = HostProcess.serve(data, plugins, dir.resolve("second.log"))) {
            Api api = second.api();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
                for (int c = 0; c < CONVERSATIONS; c++) {
                    var conversation = api.get("/api/v1/conversations/crash-" + c + "?integrationId=acme").json();
                    if (!conversation.get("pending").isEmpty() || !"resolved".equals(conversation.get("status").asText())) {
                        return false;
                    }
                }
                return true;
            });
        }
        List<CaseView> cases = sandbox.inspect().cases();
        assertThat(cases).hasSize(CONVERSATIONS).allSatisfy(view -> {
            assertThat(view.activities().stream().map(a -> (String) a.get("Body")).toList()).containsExactly(
                    "Where is my parcel?", "Let me check the tracking.",
                    "Handoff summary: Parcel lost in transit; customer wants a refund");
            assertThat(view.fields().get("PriorityId")).isEqualTo(StandardRows.PRIORITY_HIGH);
            assertThat(view.fields().get(CreatioEndToEndTest.SENTIMENT_COLUMN)).isEqualTo("upset");
            assertThat(view.statusId()).isEqualTo(StandardRows.STATUS_RESOLVED);
        });
        // the contacts made for new customers were not duplicated either
        assertThat(sandbox.inspect().rows("Contact").stream().filter(r -> String.valueOf(r.get("Email")).startsWith("ada")))
                .hasSize(CONVERSATIONS);
    }
}
