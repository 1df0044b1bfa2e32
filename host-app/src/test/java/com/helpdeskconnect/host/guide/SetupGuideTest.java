package com.helpdeskconnect.host.guide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.helpdeskconnect.host.e2e.CreatioPluginJar;
import com.helpdeskconnect.host.testing.Api;
import com.helpdeskconnect.host.testing.HostFixture;
import com.helpdeskconnect.sandbox.CreatioSandbox;
import com.helpdeskconnect.sandbox.CreatioSandboxExtension;
import com.helpdeskconnect.sandbox.identity.Operation;
import com.helpdeskconnect.sandbox.identity.RegisteredClient;
import com.helpdeskconnect.sandbox.inspection.CaseView;
import com.helpdeskconnect.sandbox.model.EdmType;
import com.helpdeskconnect.sandbox.model.StandardRows;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every step of {@code docs/creatio-setup.md}, done against the sandbox exactly as the guide says
 * (same queries, URL, header and payload templates). Test names carry the guide's section numbers.
 */
class SetupGuideTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String WEBHOOK_SECRET = "guide-webhook-secret";

    @RegisterExtension
    final CreatioSandboxExtension creatio = new CreatioSandboxExtension(
            b -> b.customColumn("Case", "UsrSentiment", EdmType.STRING));

    @TempDir
    Path dir;
    HostFixture host;
    CreatioSandbox sandbox;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        sandbox = creatio.sandbox();
        CreatioPluginJar.installInto(dir.resolve("plugins"));
        host = HostFixture.start(dir);
    }

    @AfterEach
    void stop() {
        host.close();
    }

    // ---- the guide's requests -----------------------------------------------------------------

    String token(String clientId, String clientSecret) throws Exception {
        String form = "grant_type=client_credentials&client_id=" + clientId + "&client_secret=" + clientSecret;
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(sandbox.identityUrl() + "/connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return JSON.readTree(r.body()).get("access_token").asText();
    }

    JsonNode odata(String token, String pathAndQuery) throws Exception {
        int q = pathAndQuery.indexOf('?');
        StringBuilder url = new StringBuilder(sandbox.baseUrl() + "/0/odata/" + pathAndQuery.substring(0, q + 1));
        for (String part : pathAndQuery.substring(q + 1).split("&")) {
            int eq = part.indexOf('=');
            url.append(part, 0, eq + 1).append(URLEncoder.encode(part.substring(eq + 1), StandardCharsets.UTF_8).replace("+", "%20")).append('&');
        }
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url.toString())).header("Authorization", "Bearer " + token)
                .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).get("value");
    }

    Map<String, Object> settings() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("instanceUrl", sandbox.baseUrl());
        settings.put("identityServerUrl", sandbox.identityUrl());
        settings.put("clientId", sandbox.clientId());
        settings.put("clientSecret", sandbox.clientSecret());
        settings.put("defaultCaseOwnerId", StandardRows.CONTACT_AGENT);
        settings.put("defaultCaseGroupId", StandardRows.SYS_ADMIN_UNIT_SUPPORT_GROUP);
        settings.put("resolvedStatusId", StandardRows.STATUS_RESOLVED);
        settings.put("webhookSecret", WEBHOOK_SECRET);
        settings.put("fieldMap", Map.of("sentiment", "UsrSentiment"));
        return settings;
    }

    Api.Response save(Map<String, Object> settings) {
        return host.api.put("/api/v1/integrations/acme-creatio", Map.of("connector", "creatio", "settings", settings,
                "options", Map.of("createCaseOnlyOnHandoff", false)));
    }

    HttpResponse<String> webhook(String secret, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + host.port() + "/webhooks/acme-creatio"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (secret != null) {
            b.header("X-Helpdesk-Connect-Secret", secret);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    Map<String, Object> event(String conversation, String eventId, String type, Map<String, Object> body) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("eventId", eventId);
        event.put("integrationId", "acme-creatio");
        event.put("type", type);
        event.put("occurredAt", "2025-03-01T10:00:00Z");
        event.putAll(body);
        return event;
    }

    JsonNode conversation(String id) {
        return host.api.get("/api/v1/conversations/" + id + "?integrationId=acme-creatio").json();
    }

    String testMessage(String conversation) {
        assertThat(host.api.post("/api/v1/conversations/" + conversation + "/events", event(conversation, conversation + "-1",
                "customer_message", Map.of("text", "Test message from the setup guide",
                        "customer", Map.of("name", "Test Customer", "email", "test.customer@example.com")))).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> !conversation(conversation).get("case").isNull()
                && conversation(conversation).get("pending").isEmpty());
        return conversation(conversation).get("case").get("id").asText();
    }

    JsonNode lastWebhook() {
        return host.api.get("/api/v1/integrations/acme-creatio/webhooks").json().get("webhooks").get(0);
    }

    // ---- §1 OAuth app and §2 GUIDs ------------------------------------------------------------

    @Test
    void s1_s2_clientCredentialsTokenAndTheGuidesODataQueriesFindOwnerGroupAndResolvedStatus() throws Exception {
        String token = token(sandbox.clientId(), sandbox.clientSecret());
        JsonNode owners = odata(token, "Contact?$filter=Email eq 'agent@sandbox.example'&$select=Id,Name,Email");
        assertThat(owners.get(0).get("Id").asText()).isEqualTo(StandardRows.CONTACT_AGENT);
        JsonNode groups = odata(token, "SysAdminUnit?$filter=SysAdminUnitTypeValue eq 6&$select=Id,Name");
        assertThat(groups.findValuesAsText("Id")).contains(StandardRows.SYS_ADMIN_UNIT_SUPPORT_GROUP);
        JsonNode resolved = odata(token, "CaseStatus?$filter=IsResolved eq true&$select=Id,Name,IsResolved,IsFinal");
        assertThat(resolved.findValuesAsText("Id")).containsExactly(StandardRows.STATUS_RESOLVED);
        JsonNode all = odata(token, "CaseStatus?$select=Id,Name,IsFinal,IsResolved&$orderby=Name");
        assertThat(all.size()).isGreaterThanOrEqualTo(7);
    }

    // ---- §3 save the integration --------------------------------------------------------------

    @Test
    void s3_savingShowsTheWebhookUrlAndSecretToConfigure() {
        Api.Response saved = save(settings());
        assertThat(saved.status()).as(saved.text()).isEqualTo(200);
        assertThat(saved.json().get("webhook").get("url").asText()).isEqualTo("http://127.0.0.1:" + host.port() + "/webhooks/acme-creatio");
        assertThat(saved.json().get("webhook").get("secret").asText()).isEqualTo(WEBHOOK_SECRET);
        assertThat(saved.json().get("settings").get("clientSecret").asText()).isEqualTo("********");
        assertThat(saved.text()).doesNotContain(sandbox.clientSecret());
    }

    // ---- §4 business processes ----------------------------------------------------------------

    @Test
    void s4_theGuidesPayloadTemplatesReachTheConversation() throws Exception {
        save(settings());
        String caseId = testMessage("guide-s4");
        String activityId = sandbox.agent().reply(caseId, "Reply typed by an agent");
        // process 1: Activity added
        assertThat(webhook(WEBHOOK_SECRET, "{\"event\": \"activity_added\", \"caseId\": \"" + caseId + "\", \"recordId\": \""
                + activityId + "\"}").statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> transcriptTypes("guide-s4").contains("agent_reply"));
        // process 2: Portal message added (optional)
        String portalId = portalReply(caseId);
        assertThat(webhook(WEBHOOK_SECRET, "{\"event\": \"portal_message_added\", \"caseId\": \"" + caseId + "\", \"recordId\": \""
                + portalId + "\"}").statusCode()).isEqualTo(202);
        // process 3: Case modified, status among the changed columns
        sandbox.agent().resolve(caseId, "Done");
        assertThat(webhook(WEBHOOK_SECRET, "{\"event\": \"case_status_changed\", \"caseId\": \"" + caseId + "\", \"statusId\": \""
                + StandardRows.STATUS_RESOLVED + "\"}").statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> conversation("guide-s4").get("status").asText().equals("resolved"));
    }

    /** An agent's portal message (not from the portal user): the sandbox's agent writes it as a PortalMessage. */
    private String portalReply(String caseId) {
        // the sandbox's portalMessage is the customer's (FromPortal); the connector skips those, which is right
        return sandbox.agent().portalMessage(caseId, "Customer wrote on the portal");
    }

    private java.util.List<String> transcriptTypes(String conversation) {
        return StreamSupport.stream(conversation(conversation).get("transcript").spliterator(), false)
                .map(e -> e.get("type").asText()).toList();
    }

    // ---- §5 AI field auto-fill ----------------------------------------------------------------

    @Test
    void s5_fieldMapExposesTheCustomColumnAndHandoffFillsIt() {
        save(settings());
        JsonNode fields = host.api.get("/api/v1/integrations/acme-creatio/fields").json().get("fields");
        assertThat(fields.findValuesAsText("name")).contains("priority", "category", "sentiment");
        String caseId = testMessage("guide-s5");
        assertThat(host.api.post("/api/v1/conversations/guide-s5/events", event("guide-s5", "guide-s5-2", "handoff",
                Map.of("summary", "Customer needs a human", "fields", Map.of("priority", "High", "category", "Incident", "sentiment", "upset"))))
                .status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> conversation("guide-s5").get("status").asText().equals("handed_off"));
        CaseView view = sandbox.inspect().findCase(caseId).orElseThrow();
        assertThat(view.fields().get("UsrSentiment")).isEqualTo("upset");
        assertThat(String.valueOf(view.fields().get("PriorityId"))).isEqualTo("8b700f24-f46b-1410-ee8c-0050ba5d6c38");
        assertThat(String.valueOf(view.fields().get("CategoryId"))).isEqualTo("1b0bc159-150a-e111-a31b-00155d04c01d");
    }

    // ---- §6 verify ----------------------------------------------------------------------------

    @Test
    void s6_testMessageOpensACaseAndHandoffAssignsOwnerAndGroup() {
        save(settings());
        String caseId = testMessage("guide-s6");
        CaseView view = sandbox.inspect().findCase(caseId).orElseThrow();
        assertThat(view.subject()).isEqualTo("Test message from the setup guide");
        assertThat(conversation("guide-s6").get("case").get("number").asText()).isEqualTo(view.number());
        assertThat(host.api.post("/api/v1/conversations/guide-s6/events", event("guide-s6", "guide-s6-2", "handoff",
                Map.of("summary", "Please take over"))).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> conversation("guide-s6").get("status").asText().equals("handed_off"));
        view = sandbox.inspect().findCase(caseId).orElseThrow();
        assertThat(String.valueOf(view.fields().get("OwnerId"))).isEqualTo(StandardRows.CONTACT_AGENT);
        assertThat(String.valueOf(view.fields().get("GroupId"))).isEqualTo(StandardRows.SYS_ADMIN_UNIT_SUPPORT_GROUP);
        assertThat(view.activities().stream().map(a -> String.valueOf(a.get("Body"))))
                .contains("Handoff summary: Please take over");
    }

    // ---- §7 troubleshooting -------------------------------------------------------------------

    @Test
    void t1_invalidCredentialsWhenSaving() {
        Map<String, Object> wrong = settings();
        wrong.put("clientSecret", "0".repeat(64));
        Api.Response bad = save(wrong);
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.json().get("message").asText()).isEqualTo("Invalid credentials: check the Client ID and Client secret");

        Map<String, Object> siteAsIdentity = settings();
        siteAsIdentity.put("identityServerUrl", sandbox.baseUrl()); // the site instead of its identity service
        Api.Response page = save(siteAsIdentity);
        assertThat(page.status()).isEqualTo(422);
        assertThat(page.json().get("message").asText()).contains("check the Identity service URL");
        assertThat(page.json().get("fields").has("identityServerUrl")).isTrue();
        assertThat(host.api.get("/api/v1/integrations/acme-creatio").status()).isEqualTo(404);
    }

    @Test
    void t2_casesNotCreated_missingRightIsReportedWhenSaving() {
        RegisteredClient noCreate = RegisteredClient.generate().deny("Case", Operation.CREATE);
        sandbox.registerClient(noCreate);
        Map<String, Object> s = settings();
        s.put("clientId", noCreate.clientId());
        s.put("clientSecret", noCreate.clientSecret());
        Api.Response bad = save(s);
        assertThat(bad.status()).as(bad.text()).isEqualTo(422);
        assertThat(bad.json().get("message").asText()).contains("missing permission to create Case records");
    }

    @Test
    void t3_agentRepliesNotSyncing_wrongOrMissingSecretIs401AndEchoesAreShown() throws Exception {
        save(settings());
        String caseId = testMessage("guide-t3");
        String activityId = sandbox.agent().reply(caseId, "Hello");
        String body = "{\"event\": \"activity_added\", \"caseId\": \"" + caseId + "\", \"recordId\": \"" + activityId + "\"}";
        assertThat(webhook("wrong", body).statusCode()).isEqualTo(401);
        assertThat(webhook(null, body).statusCode()).isEqualTo(401);
        // our own message's activity: accepted, read, and noted as an echo
        String ours = sandbox.inspect().findCase(caseId).orElseThrow().activities().get(0).get("Id").toString();
        assertThat(webhook(WEBHOOK_SECRET, "{\"event\": \"activity_added\", \"caseId\": \"" + caseId + "\", \"recordId\": \"" + ours + "\"}")
                .statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> lastWebhook().get("state").asText().equals("DONE"));
        assertThat(lastWebhook().get("note").asText()).contains("echo");

        Map<String, Object> noSecret = settings();
        noSecret.remove("webhookSecret");
        save(noSecret);
        assertThat(webhook(WEBHOOK_SECRET, body).statusCode()).isEqualTo(401);
        // left empty, the secret to configure is the generated one the integration shows
        String generated = host.api.get("/api/v1/integrations/acme-creatio").json().get("webhook").get("secret").asText();
        assertThat(webhook(generated, body).statusCode()).isEqualTo(202);
    }

    @Test
    void t4_casesNotClosing_unknownResolvedStatusIsRefusedAndOurOwnResolveIsAnEcho() throws Exception {
        Map<String, Object> wrongStatus = settings();
        wrongStatus.put("resolvedStatusId", "11111111-1111-1111-1111-111111111111");
        Api.Response bad = save(wrongStatus);
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.json().get("message").asText()).contains("Resolved Status ID");

        save(settings());
        String caseId = testMessage("guide-t4");
        // a status change the integration's own user made is an echo: nothing happens to the conversation
        assertThat(host.api.post("/api/v1/conversations/guide-t4/events", event("guide-t4", "guide-t4-2", "resolved",
                Map.of("resolution", "Solved by AI"))).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> conversation("guide-t4").get("status").asText().equals("resolved"));
        assertThat(webhook(WEBHOOK_SECRET, "{\"event\": \"case_status_changed\", \"caseId\": \"" + caseId + "\", \"statusId\": \""
                + StandardRows.STATUS_RESOLVED + "\"}").statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> lastWebhook().get("state").asText().equals("DONE"));
        assertThat(lastWebhook().get("note").asText()).contains("echo");
        assertThat(transcriptTypes("guide-t4")).doesNotContain("case_resolved");
    }
}
