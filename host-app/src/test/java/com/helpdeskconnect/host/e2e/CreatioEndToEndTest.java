package com.helpdeskconnect.host.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.helpdeskconnect.host.testing.Api;
import com.helpdeskconnect.host.testing.HostFixture;
import com.helpdeskconnect.host.testing.Journal;
import com.helpdeskconnect.sandbox.CreatioSandbox;
import com.helpdeskconnect.sandbox.CreatioSandboxExtension;
import com.helpdeskconnect.sandbox.faults.FaultRule;
import com.helpdeskconnect.sandbox.inspection.CaseView;
import com.helpdeskconnect.sandbox.model.EdmType;
import com.helpdeskconnect.sandbox.model.StandardRows;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host with the real Creatio plugin jar (and the test Fake Desk jar beside it) in a temp plugins
 * folder, talking to the Creatio sandbox on random ports; everything goes through the HTTP API.
 */
class CreatioEndToEndTest {
    static final String SENTIMENT_COLUMN = "UsrSentiment";

    // an instance field: each test gets its own sandbox (data, request counts, faults)
    @RegisterExtension
    final CreatioSandboxExtension creatio = new CreatioSandboxExtension(
            b -> b.customColumn("Case", SENTIMENT_COLUMN, EdmType.STRING));

    @TempDir
    Path dir;
    HostFixture host;
    CreatioSandbox sandbox;

    @BeforeEach
    void start() {
        sandbox = creatio.sandbox();
        CreatioPluginJar.installInto(dir.resolve("plugins"));
        host = HostFixture.start(dir); // adds the Fake Desk jar beside it
    }

    @AfterEach
    void stop() {
        host.close();
    }

    // ---- helpers ------------------------------------------------------------------------------

    Map<String, Object> settings(Map<String, Object> overrides) {
        Map<String, Object> settings = CreatioPluginJar.settings(sandbox);
        settings.put("defaultCaseOwnerId", StandardRows.CONTACT_AGENT);
        settings.put("defaultCaseGroupId", StandardRows.SYS_ADMIN_UNIT_SUPPORT_GROUP);
        settings.put("fieldMap", Map.of("sentiment", SENTIMENT_COLUMN));
        settings.putAll(overrides);
        return settings;
    }

    Api.Response putCreatio(String id, Map<String, Object> settings) {
        return host.api.put("/api/v1/integrations/" + id, Map.of("connector", "creatio", "settings", settings));
    }

    static Map<String, Object> event(String integration, String eventId, String type, Map<String, Object> body) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("eventId", eventId);
        event.put("integrationId", integration);
        event.put("type", type);
        event.put("occurredAt", "2025-03-01T10:00:00Z");
        event.putAll(body);
        return event;
    }

    static Map<String, Object> customer(String integration, String eventId, String text, String email) {
        return event(integration, eventId, "customer_message",
                Map.of("text", text, "customer", Map.of("name", "Ada Lovelace", "email", email, "phone", "+44 20 0000")));
    }

    static Map<String, Object> aiReply(String integration, String eventId, String text) {
        return event(integration, eventId, "ai_reply", Map.of("text", text));
    }

    static Map<String, Object> handoff(String integration, String eventId, String ownerId, String groupId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("summary", "Parcel lost in transit; customer wants a refund");
        body.put("fields", Map.of("priority", "High", "category", "Incident", "sentiment", "upset"));
        if (ownerId != null) {
            body.put("ownerId", ownerId);
        }
        if (groupId != null) {
            body.put("groupId", groupId);
        }
        return event(integration, eventId, "handoff", body);
    }

    static Map<String, Object> resolved(String integration, String eventId) {
        return event(integration, eventId, "resolved", Map.of("resolution", "Refund issued"));
    }

    /** Which integration each conversation belongs to (ids are unique per integration only). */
    final Map<String, Object> owners = new java.util.concurrent.ConcurrentHashMap<>();

    Api.Response post(String conversation, Map<String, Object> event) {
        owners.put(conversation, event.get("integrationId"));
        return host.api.post("/api/v1/conversations/" + conversation + "/events", event);
    }

    /** One {@code POST /api/v1/events} with all of {@code events}: they are stored in one commit, so due together. */
    void postTogether(String conversation, List<Map<String, Object>> events) {
        List<Map<String, Object>> batch = events.stream().map(e -> {
            owners.put(conversation, e.get("integrationId"));
            Map<String, Object> withId = new LinkedHashMap<>(e);
            withId.put("conversationId", conversation);
            return withId;
        }).toList();
        Api.Response answer = host.api.post("/api/v1/events", Map.of("events", batch));
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        assertThat(answer.json().get("accepted").asInt()).as(answer.text()).isEqualTo(events.size());
    }

    JsonNode conversation(String id) {
        return host.api.get("/api/v1/conversations/" + id + "?integrationId=" + owners.get(id)).json();
    }

    void awaitStatus(String conversation, String status) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            JsonNode c = conversation(conversation);
            return c.get("pending").isEmpty() && status.equals(c.get("status").asText());
        });
    }

    void awaitSynced(String conversation, String eventId) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            for (JsonNode entry : conversation(conversation).get("transcript")) {
                if (entry.get("eventId").asText().equals(eventId)) {
                    return !entry.get("syncedAt").isNull();
                }
            }
            return false;
        });
    }

    List<String> activityBodies(CaseView view) {
        return view.activities().stream().map(a -> (String) a.get("Body")).toList();
    }

    /** The whole script; asserts each event is accepted. */
    void converse(String integration, String conversation, String email, String ownerId, String groupId) {
        assertThat(post(conversation, customer(integration, conversation + "-1", "Where is my parcel?", email)).status()).isEqualTo(202);
        assertThat(post(conversation, aiReply(integration, conversation + "-2", "Let me check the tracking.")).status()).isEqualTo(202);
        assertThat(post(conversation, handoff(integration, conversation + "-3", ownerId, groupId)).status()).isEqualTo(202);
        assertThat(post(conversation, resolved(integration, conversation + "-4")).status()).isEqualTo(202);
    }

    /** What both handoff modes must leave in Creatio: one case, three activities in order, fields, resolved. */
    CaseView assertFinishedCase(String conversation, String ownerId, String groupId) {
        awaitStatus(conversation, "resolved");
        List<CaseView> cases = sandbox.inspect().cases();
        assertThat(cases).hasSize(1);
        CaseView view = cases.get(0);
        assertThat(activityBodies(view)).containsExactly("Where is my parcel?", "Let me check the tracking.",
                "Handoff summary: Parcel lost in transit; customer wants a refund");
        assertThat(view.fields().get("OwnerId")).isEqualTo(ownerId);
        assertThat(view.fields().get("GroupId")).isEqualTo(groupId);
        assertThat(view.fields().get("PriorityId")).isEqualTo(StandardRows.PRIORITY_HIGH);
        assertThat(view.fields().get("CategoryId")).isEqualTo(StandardRows.CATEGORY_INCIDENT);
        assertThat(view.fields().get(SENTIMENT_COLUMN)).isEqualTo("upset");
        assertThat(view.statusId()).isEqualTo(StandardRows.STATUS_RESOLVED);
        assertThat(view.fields().get("Solution")).isEqualTo("Refund issued");

        JsonNode c = conversation(conversation);
        assertThat(c.get("case").get("id").asText()).isEqualTo(view.id());
        assertThat(c.get("case").get("number").asText()).isEqualTo(view.number());
        assertThat(c.get("case").get("link").asText()).startsWith(sandbox.baseUrl()).contains(view.id());
        assertThat(c.get("transcript")).hasSize(4).allSatisfy(t -> assertThat(t.get("syncedAt").isNull()).isFalse());
        assertThat(c.get("parked")).isEmpty();
        assertThat(c.get("lastError").isNull()).as("lastError %s", c.get("lastError")).isTrue();
        return view;
    }

    // ---- tests --------------------------------------------------------------------------------

    @Test
    void integrationSaveVerifiesCredentialsAgainstCreatio() {
        Map<String, Object> wrongSecret = settings(Map.of("clientSecret", "0".repeat(64)));
        Api.Response bad = putCreatio("acme", wrongSecret);
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.json().get("error").asText()).isEqualTo("verification_failed");
        assertThat(bad.json().get("message").asText()).startsWith("Invalid credentials");
        assertThat(host.api.get("/api/v1/integrations/acme").status()).isEqualTo(404);

        Api.Response invalid = putCreatio("acme", settings(Map.of("instanceUrl", "", "defaultCaseOwnerId", "not-a-guid")));
        assertThat(invalid.status()).isEqualTo(422);
        assertThat(invalid.json().get("error").asText()).isEqualTo("invalid_settings");
        assertThat(invalid.json().get("fields").has("instanceUrl")).isTrue();
        assertThat(invalid.json().get("fields").has("defaultCaseOwnerId")).isTrue();

        int tokensBefore = sandbox.inspect().requestCount("POST", "/connect/token");
        Api.Response good = putCreatio("acme", settings(Map.of()));
        assertThat(good.status()).as(good.text()).isEqualTo(200);
        // verify really asked Creatio: a token, then the status list
        assertThat(sandbox.inspect().requestCount("POST", "/connect/token")).isGreaterThan(tokensBefore);
        assertThat(sandbox.inspect().requestCount("GET", "/0/odata/CaseStatus")).isPositive();

        Api.Response stored = host.api.get("/api/v1/integrations/acme");
        assertThat(stored.status()).isEqualTo(200);
        assertThat(stored.json().get("connector").asText()).isEqualTo("creatio");
        assertThat(stored.text()).doesNotContain(sandbox.clientSecret());
        assertThat(stored.json().get("webhook").get("url").asText()).endsWith("/acme");

        JsonNode fields = host.api.get("/api/v1/integrations/acme/fields").json().get("fields");
        assertThat(fields.findValuesAsText("name")).contains("priority", "category", "sentiment");
    }

    @Test
    void rejectedHandoffFieldsAreVisibleOnTheConversation() {
        assertThat(putCreatio("acme", settings(Map.of())).status()).isEqualTo(200);
        assertThat(post("conv-f", customer("acme", "conv-f-1", "Where is my parcel?", "fay@example.com")).status()).isEqualTo(202);
        assertThat(post("conv-f", event("acme", "conv-f-2", "handoff", Map.of("summary", "Lost parcel",
                "fields", Map.of("priority", "Urgentest", "category", "Incident")))).status()).isEqualTo(202);
        awaitStatus("conv-f", "handed_off");
        JsonNode c = conversation("conv-f");
        assertThat(c.get("lastError").asText()).contains("Some fields were not filled").contains("priority");
        assertThat(c.get("parked")).isEmpty();
    }

    @Test
    void conversationOpensTheCaseOnTheFirstMessageAndFillsAndResolvesIt() {
        assertThat(putCreatio("acme", settings(Map.of())).status()).isEqualTo(200);
        assertThat(post("conv-a", customer("acme", "conv-a-1", "Where is my parcel?", "ada@example.com")).status()).isEqualTo(202);
        // the case exists before any handoff
        await().atMost(Duration.ofSeconds(20)).until(() -> sandbox.inspect().cases().size() == 1);
        assertThat(sandbox.inspect().cases().get(0).subject()).isEqualTo("Where is my parcel?");

        assertThat(post("conv-a", aiReply("acme", "conv-a-2", "Let me check the tracking.")).status()).isEqualTo(202);
        // the case opened with the integration's default owner and group; the handoff reassigns the owner
        assertThat(post("conv-a", handoff("acme", "conv-a-3", StandardRows.CONTACT_SUPERVISOR, null)).status()).isEqualTo(202);
        assertThat(post("conv-a", resolved("acme", "conv-a-4")).status()).isEqualTo(202);

        CaseView view = assertFinishedCase("conv-a", StandardRows.CONTACT_SUPERVISOR, StandardRows.SYS_ADMIN_UNIT_SUPPORT_GROUP);
        assertThat(view.fields().get("OriginId")).isEqualTo(StandardRows.ORIGIN_CHAT);
        // the new customer became a Creatio contact linked to the case
        assertThat(sandbox.inspect().rows("Contact")).anySatisfy(contact -> {
            assertThat(contact.get("Email")).isEqualTo("ada@example.com");
            assertThat(contact.get("Id")).isEqualTo(view.fields().get("ContactId"));
        });
    }

    @Test
    void handoffOnlyModeWritesNothingUntilHandoffThenOpensTheCaseWithTheWholeTranscript() {
        assertThat(putCreatio("acme", settings(Map.of("createCaseOnlyOnHandoff", true))).status()).isEqualTo(200);
        assertThat(post("conv-b", customer("acme", "conv-b-1", "Where is my parcel?", "ada@example.com")).status()).isEqualTo(202);
        assertThat(post("conv-b", aiReply("acme", "conv-b-2", "Let me check the tracking.")).status()).isEqualTo(202);
        awaitStatus("conv-b", "open");
        Map<String, Integer> before = sandbox.inspect().requestCounts();
        assertThat(sandbox.inspect().cases()).isEmpty();
        assertThat(before.keySet()).noneMatch(endpoint -> endpoint.startsWith("POST /0/odata/Activity")
                || endpoint.startsWith("POST /0/odata/$batch"));
        assertThat(conversation("conv-b").get("case").isNull()).isTrue();

        // the handoff names its own assignee and group
        assertThat(post("conv-b", handoff("acme", "conv-b-3", StandardRows.CONTACT_SUPERVISOR,
                StandardRows.SYS_ADMIN_UNIT_SUPPORT_GROUP)).status()).isEqualTo(202);
        assertThat(post("conv-b", resolved("acme", "conv-b-4")).status()).isEqualTo(202);

        CaseView view = assertFinishedCase("conv-b", StandardRows.CONTACT_SUPERVISOR, StandardRows.SYS_ADMIN_UNIT_SUPPORT_GROUP);
        assertThat(view.fields().get("Symptoms")).isEqualTo("Parcel lost in transit; customer wants a refund");
        assertThat(view.subject()).isEqualTo("Where is my parcel?");
    }

    /**
     * Issue 14's target through the host: an AI reply and the handoff right behind it go to Creatio in
     * the handoff's $batch, so a new customer's conversation costs 4 requests once caches are warm.
     */
    @Test
    void aReplyDueWithTheHandoffGoesInTheHandoffBatch() {
        assertThat(putCreatio("acme", settings(Map.of())).status()).isEqualTo(200);
        converse("acme", "conv-w", "warm.up@example.com", null, null); // token, lookups, $metadata
        awaitStatus("conv-w", "resolved");
        // the case's $batch is held, so the reply and the handoff queue up behind the first message
        int held = sandbox.faults().add(FaultRule.on("POST", "/0/odata/$batch").latency(Duration.ofMillis(1500), Duration.ZERO)
                .times(1));
        Map<String, Integer> before = sandbox.inspect().requestCounts();
        int batches = sandbox.inspect().requestCount("POST", "/0/odata/$batch");
        assertThat(post("conv-n", customer("acme", "conv-n-1", "Where is my parcel?", "nina.new@example.com")).status())
                .isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                .until(() -> sandbox.inspect().requestCount("POST", "/0/odata/$batch") > batches);
        // in one request: three posts took longer than the hold on a loaded CI machine, and the reply,
        // synced on its own before the handoff came, cost a fifth request
        postTogether("conv-n", List.of(aiReply("acme", "conv-n-2", "Let me check the tracking."),
                handoff("acme", "conv-n-3", StandardRows.CONTACT_SUPERVISOR, null), resolved("acme", "conv-n-4")));
        awaitStatus("conv-n", "resolved");
        assertThat(sandbox.faults().injected(held)).isEqualTo(1);

        Map<String, Integer> spent = new java.util.TreeMap<>();
        sandbox.inspect().requestCounts().forEach((endpoint, n) -> {
            int delta = n - before.getOrDefault(endpoint, 0);
            if (delta > 0) {
                spent.put(endpoint, delta);
            }
        });
        // GET Contact (search), $batch (contact + case + first message), $batch (reply + summary + case update), PATCH Case
        assertThat(spent.values().stream().mapToInt(Integer::intValue).sum()).as("Creatio requests: %s", spent).isEqualTo(4);
        assertThat(spent).as("no POST Activity of its own for the reply").containsEntry("POST /0/odata/$batch", 2)
                .doesNotContainKey("POST /0/odata/Activity");
        CaseView view = sandbox.inspect().cases().stream().filter(c -> c.id().equals(conversation("conv-n").get("case")
                .get("id").asText())).findFirst().orElseThrow();
        assertThat(activityBodies(view)).containsExactly("Where is my parcel?", "Let me check the tracking.",
                "Handoff summary: Parcel lost in transit; customer wants a refund");
        assertThat(view.fields().get("OwnerId")).isEqualTo(StandardRows.CONTACT_SUPERVISOR);
        assertThat(conversation("conv-n").get("transcript")).hasSize(4)
                .allSatisfy(t -> assertThat(t.get("syncedAt").isNull()).isFalse());
    }

    @Test
    void injectedServerErrorsAndRateLimitsAreRetriedWithoutDuplicates() {
        assertThat(putCreatio("acme", settings(Map.of())).status()).isEqualTo(200);
        // the case opens with the first message in one $batch; the AI reply is a plain POST Activity,
        // the resolve a plain PATCH Case (the handoff is another $batch, after these faults are used up)
        int caseFaults = sandbox.faults().add(FaultRule.on("POST", "/0/odata/$batch").status(503).times(2));
        int activityFaults = sandbox.faults().add(FaultRule.on("POST", "/0/odata/Activity").status(500).times(1));
        int rateLimit = sandbox.faults().add(FaultRule.on("PATCH", "/0/odata/Case").tooManyRequests(Duration.ofSeconds(1)).times(1));

        long started = System.nanoTime();
        // the reply waits for the case: sent with the first message it would go in the case's $batch
        assertThat(post("conv-r", customer("acme", "conv-r-1", "Where is my parcel?", "chris.customer@example.com")).status())
                .isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> conversation("conv-r").get("case").hasNonNull("id"));
        assertThat(post("conv-r", aiReply("acme", "conv-r-2", "Let me check the tracking.")).status()).isEqualTo(202);
        // and the handoff after it synced: due together, the reply would go in the handoff's $batch
        awaitSynced("conv-r", "conv-r-2");
        assertThat(post("conv-r", handoff("acme", "conv-r-3", null, null)).status()).isEqualTo(202);
        assertThat(post("conv-r", resolved("acme", "conv-r-4")).status()).isEqualTo(202);
        assertFinishedCase("conv-r", StandardRows.CONTACT_AGENT, StandardRows.SYS_ADMIN_UNIT_SUPPORT_GROUP);
        assertThat(sandbox.faults().injected(caseFaults)).isEqualTo(2);
        assertThat(sandbox.faults().injected(activityFaults)).isEqualTo(1);
        assertThat(sandbox.faults().injected(rateLimit)).isEqualTo(1);
        // Retry-After: 1 was honoured
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(sandbox.inspect().cases().get(0).fields().get("ContactId")).isEqualTo(StandardRows.CONTACT_CUSTOMER);
        assertThat(host.api.get("/metrics").text())
                .contains("helpdesk_connect_operation_seconds_count{connector=\"creatio\",operation=\"customer_message\",outcome=\"retry\"}");
    }

    @Test
    void repeatedEventsReachCreatioOnce() {
        assertThat(putCreatio("acme", settings(Map.of())).status()).isEqualTo(200);
        Map<String, Object> first = customer("acme", "dup-1", "Where is my parcel?", "ada@example.com");
        Map<String, Object> reply = aiReply("acme", "dup-2", "Let me check the tracking.");
        assertThat(post("conv-d", first).status()).isEqualTo(202);
        assertThat(post("conv-d", first).json().get("status").asText()).isEqualTo("duplicate");
        assertThat(post("conv-d", reply).status()).isEqualTo(202);
        assertThat(post("conv-d", reply).status()).isEqualTo(200);
        awaitStatus("conv-d", "open");
        // and once more after it synced, as a retrying AI platform would
        assertThat(post("conv-d", first).status()).isEqualTo(200);
        assertThat(conversation("conv-d").get("pending")).isEmpty();

        assertThat(sandbox.inspect().cases()).singleElement()
                .satisfies(c -> assertThat(activityBodies(c)).containsExactly("Where is my parcel?", "Let me check the tracking."));
        // the first message went in the case's $batch; the reply with it when it was due by then (messages
        // due together go in one call), else on its own: either way each once
        assertThat(sandbox.inspect().requestCount("POST", "/0/odata/$batch")).isEqualTo(1);
        assertThat(sandbox.inspect().requestCount("POST", "/0/odata/Activity")).isBetween(0, 1);
        assertThat(conversation("conv-d").get("transcript")).hasSize(2);
    }

    @Test
    void gracefulRestartInTheMiddleOfAConversationFinishesIt() {
        assertThat(putCreatio("acme", settings(Map.of())).status()).isEqualTo(200);
        int slow = sandbox.faults().add(FaultRule.on("*", "/0/odata").latency(Duration.ofMillis(150), Duration.ZERO));
        assertThat(post("conv-g", customer("acme", "conv-g-1", "Where is my parcel?", "ada@example.com")).status()).isEqualTo(202);
        assertThat(post("conv-g", aiReply("acme", "conv-g-2", "Let me check the tracking.")).status()).isEqualTo(202);
        assertThat(post("conv-g", handoff("acme", "conv-g-3", null, null)).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> sandbox.inspect().cases().size() == 1);
        host.restart();
        sandbox.faults().remove(slow);
        assertThat(post("conv-g", resolved("acme", "conv-g-4")).status()).isEqualTo(202);
        assertFinishedCase("conv-g", StandardRows.CONTACT_AGENT, StandardRows.SYS_ADMIN_UNIT_SUPPORT_GROUP);
    }

    @Test
    void aSecondPluginRunsBesideCreatio() {
        JsonNode listing = host.api.get("/api/v1/connectors").json();
        assertThat(listing.get("failures")).isEmpty();
        assertThat(listing.get("connectors").findValuesAsText("id")).containsExactly("creatio", "fakedesk");
        assertThat(listing.get("connectors").get(0).get("plugin").asText()).isEqualTo("creatio");

        assertThat(putCreatio("crm", settings(Map.of())).status()).isEqualTo(200);
        assertThat(host.putIntegration("fake", Map.of()).status()).isEqualTo(200);
        converse("crm", "conv-c", "ada@example.com", null, null);
        Map<String, Object> fakeFirst = customer("fake", "conv-f-1", "Hello fake desk", "ada@example.com");
        assertThat(post("conv-f", fakeFirst).status()).isEqualTo(202);
        assertThat(post("conv-f", resolved("fake", "conv-f-2")).status()).isEqualTo(202);

        assertFinishedCase("conv-c", StandardRows.CONTACT_AGENT, StandardRows.SYS_ADMIN_UNIT_SUPPORT_GROUP);
        awaitStatus("conv-f", "resolved");
        assertThat(Journal.activityIds(host.journal)).containsExactly("conv-f-1");
        assertThat(Journal.of(host.journal, "RESOLVE")).hasSize(1);
        assertThat(host.api.get("/metrics").text())
                .contains("connector=\"creatio\"").contains("connector=\"fakedesk\"");
    }
}
