package com.helpdeskconnect.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.helpdeskconnect.sandbox.model.SchemaCatalog;
import com.helpdeskconnect.sandbox.model.StandardRows;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class WebhookTest {
    @RegisterExtension
    static CreatioSandboxExtension creatio = new CreatioSandboxExtension();

    private WebhookReceiver receiver;
    private String token;
    private String caseId;

    @BeforeEach
    void setUp() {
        creatio.reset();
        receiver = new WebhookReceiver();
        creatio.webhooks().configure(receiver.url(), "s3cret").createdByFilter(false)
                .retries(4, Duration.ofMillis(20));
        token = Http.token(creatio.sandbox());
        caseId = Http.post(creatio.odataUrl() + "/Case", token, "{\"Subject\":\"Hooked\"}").json().get("Id").asText();
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        // deliveries still queued or retrying would otherwise reach the next test's receiver
        creatio.webhooks().awaitIdle(Duration.ofSeconds(10));
        creatio.webhooks().configure(null, null);
        receiver.close();
    }

    @Test
    void agentReplyPostsActivityAddedWithTheSecretHeader() throws Exception {
        String activityId = creatio.agent().reply(caseId, "We are on it");

        WebhookReceiver.Received received = receiver.next();
        assertThat(received.secret()).isEqualTo("s3cret");
        JsonNode payload = Http.JSON.readTree(received.body());
        assertThat(payload.get("event").asText()).isEqualTo("activity_added");
        assertThat(payload.get("caseId").asText()).isEqualTo(caseId);
        assertThat(payload.get("recordId").asText()).isEqualTo(activityId);
        var activity = creatio.inspect().find("Activity", activityId).orElseThrow();
        assertThat(activity.get("MessageTypeId")).isEqualTo(StandardRows.MESSAGE_TYPE_OUTGOING);
        assertThat(activity.get("CreatedById")).isEqualTo(StandardRows.CONTACT_AGENT);
    }

    @Test
    void agentNoteIsATaskOutsideTheAgentReplyProcess() throws Exception {
        String noteId = creatio.agent().note(caseId, "Customer is a VIP");

        var activity = creatio.inspect().find("Activity", noteId).orElseThrow();
        assertThat(activity.get("TypeId")).isEqualTo(StandardRows.ACTIVITY_TYPE_TASK);
        assertThat(activity.get("CaseId")).isEqualTo(caseId);
        assertThat(activity.get("CreatedById")).isEqualTo(StandardRows.CONTACT_AGENT);
        creatio.webhooks().awaitIdle(Duration.ofSeconds(10));
        assertThat(creatio.webhooks().deliveries()).as("process 1 filters on Type = Email").isEmpty();
    }

    @Test
    void widenedAgentReplyProcessPassesNotesOn() throws Exception {
        creatio.webhooks().taskActivities(true);
        try {
            String noteId = creatio.agent().note(caseId, "Check the warranty");

            JsonNode payload = Http.JSON.readTree(receiver.next().body());
            assertThat(payload.get("event").asText()).isEqualTo("activity_added");
            assertThat(payload.get("recordId").asText()).isEqualTo(noteId);
        } finally {
            creatio.webhooks().taskActivities(false);
        }
    }

    @Test
    void statusChangesPostCaseStatusChanged() throws Exception {
        creatio.agent().changeStatus(caseId, StandardRows.STATUS_RESOLVED);

        JsonNode payload = Http.JSON.readTree(receiver.next().body());
        assertThat(payload.get("event").asText()).isEqualTo("case_status_changed");
        assertThat(payload.get("caseId").asText()).isEqualTo(caseId);
        assertThat(payload.get("statusId").asText()).isEqualTo(StandardRows.STATUS_RESOLVED);
        assertThat(payload.has("recordId")).isFalse();
    }

    @Test
    void portalMessagesPostPortalMessageAdded() throws Exception {
        String messageId = creatio.agent().portalMessage(caseId, "Any news?");

        JsonNode payload = Http.JSON.readTree(receiver.next().body());
        assertThat(payload.get("event").asText()).isEqualTo("portal_message_added");
        assertThat(payload.get("recordId").asText()).isEqualTo(messageId);
    }

    @Test
    void theIntegrationsOwnWritesEchoWithoutTheFilter() throws Exception {
        Http.post(creatio.odataUrl() + "/Activity", token, "{\"Title\":\"From chat\",\"CaseId\":\"" + caseId
                + "\",\"TypeId\":\"" + StandardRows.ACTIVITY_TYPE_EMAIL + "\"}");
        Http.patch(creatio.odataUrl() + "/Case(" + caseId + ")", token,
                "{\"StatusId\":\"" + StandardRows.STATUS_IN_PROGRESS + "\"}");

        assertThat(Http.JSON.readTree(receiver.next().body()).get("event").asText()).isEqualTo("activity_added");
        assertThat(Http.JSON.readTree(receiver.next().body()).get("event").asText())
                .isEqualTo("case_status_changed");
    }

    @Test
    void theCreatedByFilterDropsTheIntegrationsOwnWrites() throws Exception {
        creatio.webhooks().createdByFilter(true);
        Http.post(creatio.odataUrl() + "/Activity", token, "{\"Title\":\"From chat\",\"CaseId\":\"" + caseId
                + "\",\"TypeId\":\"" + StandardRows.ACTIVITY_TYPE_EMAIL + "\"}");
        creatio.agent().reply(caseId, "Agent answer");

        JsonNode payload = Http.JSON.readTree(receiver.next().body());
        assertThat(payload.get("recordId").asText()).isNotEmpty();
        assertThat(creatio.inspect().find("Activity", payload.get("recordId").asText()).orElseThrow()
                .get("CreatedById")).isEqualTo(StandardRows.CONTACT_AGENT);
        assertThat(receiver.poll(200)).isNull();
    }

    @Test
    void nonEmailActivitiesAndSameStatusWritesDoNotFire() throws Exception {
        Http.post(creatio.odataUrl() + "/Activity", token, "{\"Title\":\"Task\",\"CaseId\":\"" + caseId + "\"}");
        Http.patch(creatio.odataUrl() + "/Case(" + caseId + ")", token,
                "{\"StatusId\":\"" + StandardRows.STATUS_NEW + "\"}");

        assertThat(receiver.poll(300)).isNull();
    }

    @Test
    void failedDeliveriesAreRetried() throws Exception {
        receiver.failNext(2);

        creatio.agent().reopen(caseId);

        assertThat(Http.JSON.readTree(receiver.next().body()).get("statusId").asText())
                .isEqualTo(StandardRows.STATUS_REOPENED);
        assertThat(creatio.webhooks().awaitIdle(Duration.ofSeconds(15))).isTrue();
        assertThat(creatio.webhooks().deliveries()).extracting(d -> d.status()).containsExactly(503, 503, 200);
    }

    @Test
    void webhooksCanBeConfiguredOverTheAdminApi() throws Exception {
        Http.Response put = Http.send(Http.authorized(creatio.baseUrl() + "/sandbox/webhooks", null)
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"url\":\"" + receiver.url() + "\",\"secret\":\"other\"}")));
        assertThat(put.status()).isEqualTo(204);

        Http.post(creatio.baseUrl() + "/sandbox/cases/" + caseId + "/replies", null, "{\"body\":\"Hi\"}");

        assertThat(receiver.next().secret()).isEqualTo("other");
        assertThat(SchemaCatalog.CASE_SCHEMA_UID).isNotEmpty();
    }
}
