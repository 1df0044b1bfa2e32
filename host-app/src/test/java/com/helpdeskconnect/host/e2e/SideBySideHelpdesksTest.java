package com.helpdeskconnect.host.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.helpdeskconnect.host.testing.Api;
import com.helpdeskconnect.host.testing.HostFixture;
import com.helpdeskconnect.sandbox.CreatioSandbox;
import com.helpdeskconnect.sandbox.CreatioSandboxExtension;
import com.helpdeskconnect.sandbox.inspection.CaseView;
import com.helpdeskconnect.sandbox.model.EdmType;
import com.helpdeskconnect.sandbox.model.StandardRows;
import com.helpdeskconnect.zendesk.sandbox.ZendeskSandbox;
import com.helpdeskconnect.zendesk.sandbox.ZendeskSandboxExtension;
import com.helpdeskconnect.zendesk.sandbox.inspection.TicketView;
import com.helpdeskconnect.zendesk.sandbox.model.Comment;
import com.helpdeskconnect.zendesk.sandbox.model.SeedData;
import com.helpdeskconnect.zendesk.sandbox.model.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13's "no host change" claim: one host, one plugins folder holding the real Creatio and
 * Zendesk plugin jars, a Creatio integration against the Creatio sandbox and a Zendesk one against
 * the Zendesk sandbox, each sandbox calling the host's webhook URL. The same conversation script
 * runs on both at once, two-way: case or ticket, messages, handoff, an agent reply back through the
 * helpdesk's webhook, resolve. Both conversations have the same id: ids are scoped per integration.
 */
class SideBySideHelpdesksTest {
    static final String CONVERSATION = "chat-1";
    static final String CREATIO_WEBHOOK_SECRET = "e2e-webhook-secret";

    @RegisterExtension
    final CreatioSandboxExtension creatioSandbox = new CreatioSandboxExtension(
            b -> b.customColumn("Case", "UsrSentiment", EdmType.STRING));
    @RegisterExtension
    final ZendeskSandboxExtension zendeskSandbox = new ZendeskSandboxExtension();

    @TempDir
    Path dir;
    HostFixture host;
    CreatioSandbox creatio;
    ZendeskSandbox zendesk;

    @BeforeEach
    void start() {
        creatio = creatioSandbox.sandbox();
        zendesk = zendeskSandbox.sandbox();
        Path plugins = dir.resolve("plugins");
        CreatioPluginJar.installInto(plugins);
        ZendeskPluginJar.installInto(plugins);
        host = HostFixture.start(dir); // loopback allowed, as for every e2e test
    }

    @AfterEach
    void stop() {
        host.close();
    }

    Api.Response save(String id, String connector, Map<String, Object> settings) {
        return host.api.put("/api/v1/integrations/" + id, Map.of("connector", connector, "settings", settings));
    }

    /** The webhook URL the host shows for an integration: what an admin pastes into the helpdesk. */
    String webhookUrl(String integration) {
        return host.api.get("/api/v1/integrations/" + integration).json().get("webhook").get("url").asText();
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

    void post(String integration, Map<String, Object> event) {
        Api.Response r = host.api.post("/api/v1/conversations/" + CONVERSATION + "/events", event);
        assertThat(r.status()).as(r.text()).isEqualTo(202);
    }

    JsonNode conversation(String integration) {
        return host.api.get("/api/v1/conversations/" + CONVERSATION + "?integrationId=" + integration).json();
    }

    List<JsonNode> transcript(String integration, String type) {
        return StreamSupport.stream(conversation(integration).get("transcript").spliterator(), false)
                .filter(e -> e.get("type").asText().equals(type)).toList();
    }

    void awaitConversation(String integration, Predicate<JsonNode> done) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            JsonNode c = conversation(integration);
            assertThat(c.get("parked")).as("parked on %s", integration).isEmpty();
            return c.get("pending").isEmpty() && done.test(c);
        });
    }

    /** The script up to the handoff, for one integration; the fields are named as the helpdesk knows them. */
    void talkAndHandOff(String integration, String email, Map<String, Object> fields) {
        post(integration, event(integration, integration + "-1", "customer_message", Map.of("text", "Where is my parcel?",
                "customer", Map.of("name", "Ada Lovelace", "email", email))));
        post(integration, event(integration, integration + "-2", "ai_reply", Map.of("text", "Let me check the tracking.")));
        post(integration, event(integration, integration + "-3", "handoff",
                Map.of("summary", "Parcel lost in transit; customer wants a refund", "fields", fields)));
    }

    @Test
    void creatioAndZendeskConversationsRunSideBySideInOneHost() throws Exception {
        JsonNode listing = host.api.get("/api/v1/connectors").json();
        assertThat(listing.get("failures")).isEmpty();
        assertThat(listing.get("connectors").findValuesAsText("id")).contains("creatio", "zendesk");

        Map<String, Object> creatioSettings = CreatioPluginJar.settings(creatio);
        creatioSettings.put("defaultCaseOwnerId", StandardRows.CONTACT_AGENT);
        creatioSettings.put("defaultCaseGroupId", StandardRows.SYS_ADMIN_UNIT_SUPPORT_GROUP);
        creatioSettings.put("fieldMap", Map.of("sentiment", "UsrSentiment"));
        Api.Response savedCreatio = save("crm", "creatio", creatioSettings);
        assertThat(savedCreatio.status()).as(savedCreatio.text()).isEqualTo(200);

        Map<String, Object> zendeskSettings = ZendeskPluginJar.settings(zendesk);
        zendeskSettings.put("defaultGroupId", SeedData.GROUP_SUPPORT);
        zendeskSettings.put("fieldMap", Map.of("sentiment", "Sentiment"));
        Api.Response savedZendesk = save("desk", "zendesk", zendeskSettings);
        assertThat(savedZendesk.status()).as(savedZendesk.text()).isEqualTo(200);
        assertThat(savedZendesk.text()).doesNotContain(zendesk.apiToken()).doesNotContain(zendesk.signingSecret());

        // each helpdesk calls its own integration's webhook URL, as its admin would set it up
        creatio.webhooks().configure(webhookUrl("crm"), CREATIO_WEBHOOK_SECRET);
        zendesk.webhook(webhookUrl("desk"), zendesk.signingSecret());

        talkAndHandOff("crm", "ada@example.com", Map.of("priority", "High", "category", "Incident", "sentiment", "upset"));
        talkAndHandOff("desk", "ada@example.com", Map.of("priority", "High", "type", "Incident", "sentiment", "Very unhappy"));
        awaitConversation("crm", c -> "handed_off".equals(c.get("status").asText()));
        awaitConversation("desk", c -> "handed_off".equals(c.get("status").asText()));

        // one case in Creatio, one ticket in Zendesk: each conversation in its own helpdesk only
        assertThat(creatio.inspect().cases()).hasSize(1);
        CaseView caseView = creatio.inspect().cases().get(0);
        assertThat(zendesk.inspect().tickets()).hasSize(1);
        long ticketId = zendesk.inspect().tickets().get(0).id();
        assertThat(conversation("crm").get("case").get("id").asText()).isEqualTo(caseView.id());
        assertThat(conversation("desk").get("case").get("id").asText()).isEqualTo(Long.toString(ticketId));
        assertThat(caseView.fields().get("PriorityId")).isEqualTo(StandardRows.PRIORITY_HIGH);
        assertThat(caseView.fields().get("UsrSentiment")).isEqualTo("upset");
        TicketView ticket = zendesk.inspect().ticket(ticketId).orElseThrow();
        assertThat(ticket.ticket().priority()).isEqualTo("high");
        assertThat(ticket.ticket().type()).isEqualTo("incident");
        assertThat(ticket.ticket().customFields().get(SeedData.FIELD_SENTIMENT)).isEqualTo("very_unhappy");
        assertThat(ticket.ticket().groupId()).isEqualTo(SeedData.GROUP_SUPPORT);
        String notes = String.join("\n", ticket.comments().stream().map(Comment::body).toList());
        assertThat(notes).contains("Where is my parcel?", "Let me check the tracking.", "Parcel lost in transit");
        // chat messages are internal notes: Zendesk does not mail the customer their own chat
        assertThat(ticket.publicComments()).isEmpty();

        // two-way: an agent answers in each helpdesk; the webhook brings it to that conversation only
        creatio.agent().reply(caseView.id(), "Creatio agent: a replacement ships today.");
        zendesk.agent().reply(ticketId, "Zendesk agent: a refund is on its way.");
        await().atMost(Duration.ofSeconds(60)).until(() -> transcript("crm", "agent_reply").size() == 1
                && transcript("desk", "agent_reply").size() == 1);
        assertThat(transcript("crm", "agent_reply").get(0).get("text").asText()).isEqualTo("Creatio agent: a replacement ships today.");
        assertThat(transcript("desk", "agent_reply").get(0).get("text").asText()).isEqualTo("Zendesk agent: a refund is on its way.");
        // the Zendesk webhook was signed with the integration's secret and accepted
        assertThat(zendesk.webhooks().deliveries()).isNotEmpty()
                .allSatisfy(d -> assertThat(d.status()).as(d.toString()).isBetween(200, 299));

        post("crm", event("crm", "crm-4", "resolved", Map.of("resolution", "Replacement shipped")));
        post("desk", event("desk", "desk-4", "resolved", Map.of("resolution", "Refund issued")));
        awaitConversation("crm", c -> "resolved".equals(c.get("status").asText()));
        awaitConversation("desk", c -> "resolved".equals(c.get("status").asText()));
        assertThat(creatio.inspect().cases()).singleElement()
                .satisfies(c -> assertThat(c.statusId()).isEqualTo(StandardRows.STATUS_RESOLVED));
        assertThat(zendesk.inspect().tickets()).singleElement()
                .satisfies(t -> assertThat(t.ticket().status()).isEqualTo(Status.SOLVED));

        // the host's own writes came back through Zendesk's trigger too: none became an agent reply
        assertThat(zendesk.webhooks().awaitIdle(Duration.ofSeconds(30))).isTrue();
        assertThat(transcript("desk", "agent_reply")).hasSize(1);
        for (String integration : List.of("crm", "desk")) {
            JsonNode c = conversation(integration);
            assertThat(c.get("lastError").isNull()).as("%s lastError %s", integration, c.get("lastError")).isTrue();
            assertThat(c.get("transcript")).allSatisfy(t -> assertThat(t.get("syncedAt").isNull()).isFalse());
        }
        assertThat(host.api.get("/metrics").text()).contains("connector=\"creatio\"").contains("connector=\"zendesk\"");
    }
}
