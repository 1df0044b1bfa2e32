package com.helpdeskconnect.host.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The demo against the Creatio sandbox: OAuth client credentials, OData look-ups, business-process webhooks. */
final class CreatioDesk extends DemoDesk {
    private static final Pattern SANDBOX_LINE = Pattern.compile(
            "Creatio sandbox listening on (http://\\S+) \\(identity service (http://\\S+)\\)");

    private final String clientId;
    private final String clientSecret;
    private final String webhookSecret;
    private String creatioUrl;
    private String identityUrl;
    private String token;
    private String ownerId;
    private String groupId;

    CreatioDesk(Demo demo) {
        super(demo);
        clientId = demo.hex(16);
        clientSecret = demo.hex(32);
        webhookSecret = demo.hex(16).toLowerCase(Locale.ROOT);
    }

    @Override
    String name() {
        return "Creatio";
    }

    @Override
    String connector() {
        return "creatio";
    }

    @Override
    List<String> sandboxArgs(String webhookUrl) {
        return List.of("--port", "0", "--client-id", clientId, "--client-secret", clientSecret,
                "--webhook-url", webhookUrl, "--webhook-secret", webhookSecret,
                "--custom-column", "Case.UsrSentiment:String");
    }

    @Override
    boolean started(String firstLine) {
        Matcher m = SANDBOX_LINE.matcher(firstLine);
        if (!m.find()) {
            return false;
        }
        creatioUrl = m.group(1);
        identityUrl = m.group(2);
        return true;
    }

    @Override
    String startedLine() {
        return "Creatio at " + creatioUrl + ", identity service at " + identityUrl;
    }

    @Override
    String webhookLine(String webhookUrl) {
        return "Its business processes post agent replies and status changes to " + webhookUrl;
    }

    @Override
    String idsTitle() {
        return "Find the GUIDs the integration needs, with the setup guide's OData queries";
    }

    @Override
    Map<String, Object> settings() throws Exception {
        token = demo.postForm(identityUrl + "/connect/token", "grant_type=client_credentials&client_id=" + Demo.enc(clientId)
                + "&client_secret=" + Demo.enc(clientSecret), "The identity service refused the demo's client").get("access_token").asText();
        ownerId = odataFirst("Contact?$filter=" + Demo.enc("Email eq 'agent@sandbox.example'") + "&$select=Id,Name");
        groupId = odataFirst("SysAdminUnit?$filter=" + Demo.enc("Name eq '1st-line support'") + "&$select=Id,Name");
        String resolvedId = odataFirst("CaseStatus?$filter=" + Demo.enc("IsResolved eq true") + "&$select=Id,Name");
        demo.say("Owner (Contact) " + ownerId + ", group (SysAdminUnit) " + groupId + ", Resolved status " + resolvedId);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("instanceUrl", creatioUrl);
        settings.put("identityServerUrl", identityUrl);
        settings.put("clientId", clientId);
        settings.put("clientSecret", clientSecret);
        settings.put("defaultCaseOwnerId", ownerId);
        settings.put("defaultCaseGroupId", groupId);
        settings.put("resolvedStatusId", resolvedId);
        settings.put("webhookSecret", webhookSecret);
        settings.put("fieldMap", Map.of("sentiment", "UsrSentiment"));
        return settings;
    }

    @Override
    Map<String, Object> handoff() {
        return Map.of("fields", Map.of("priority", "High", "category", "Incident", "sentiment", "upset"),
                "ownerId", ownerId, "groupId", groupId);
    }

    @Override
    String caseNoun() {
        return "Case";
    }

    @Override
    String aiReplyLine(String number) {
        return "Added to " + number + " as an outgoing email activity";
    }

    @Override
    void showCase(String caseId) {
        JsonNode c = get(creatioUrl + "/0/odata/Case(" + caseId + ")?$select=Number,Subject,StatusId,PriorityId,CategoryId,OwnerId,GroupId,UsrSentiment");
        demo.say(String.format("Creatio case %s \"%s\": status %s, priority %s, category %s, sentiment %s, owner %s, group %s, %d activities",
                c.path("Number").asText(), c.path("Subject").asText(), name("CaseStatus", c.path("StatusId").asText()),
                name("CasePriority", c.path("PriorityId").asText()), name("CaseCategory", c.path("CategoryId").asText()),
                c.path("UsrSentiment").asText("-").isEmpty() ? "-" : c.path("UsrSentiment").asText(),
                name("Contact", c.path("OwnerId").asText()), name("SysAdminUnit", c.path("GroupId").asText()),
                casesView(caseId).get("activities").size()));
    }

    @Override
    String agentReplyTitle() {
        return "An agent replies in Creatio (POST /sandbox/cases/{id}/replies)";
    }

    @Override
    void agentReply(String caseId, String text) {
        demo.send("POST", creatioUrl + "/sandbox/cases/" + caseId + "/replies", Map.of("body", text), 201);
    }

    @Override
    String agentResolveTitle() {
        return "The agent resolves the case in Creatio (POST /sandbox/cases/{id}/resolve)";
    }

    @Override
    void agentResolve(String caseId) {
        demo.send("POST", creatioUrl + "/sandbox/cases/" + caseId + "/resolve", Map.of("solution", "Replacement shipped."), 204);
    }

    @Override
    void showRecords(String caseId) {
        for (JsonNode a : casesView(caseId).get("activities")) {
            demo.say("  activity: " + a.path("Body").asText());
        }
    }

    @Override
    String linkLine() {
        return "  Creatio:           " + creatioUrl + "/sandbox/cases   (agent reply: POST " + creatioUrl
                + "/sandbox/cases/{id}/replies {\"body\":\"...\"})";
    }

    private JsonNode get(String url) {
        return demo.get(url, "Bearer " + token);
    }

    private JsonNode casesView(String caseId) {
        for (JsonNode c : demo.get(creatioUrl + "/sandbox/cases", null)) {
            if (c.path("Id").asText().equalsIgnoreCase(caseId)) {
                return c;
            }
        }
        throw new IllegalStateException("Case " + caseId + " is not in Creatio");
    }

    private String name(String entity, String id) {
        if (id.isEmpty() || id.startsWith("00000000")) {
            return "-";
        }
        return get(creatioUrl + "/0/odata/" + entity + "(" + id + ")?$select=Name").path("Name").asText("?");
    }

    private String odataFirst(String query) {
        demo.say("GET /0/odata/" + URLDecoder.decode(query, StandardCharsets.UTF_8));
        JsonNode value = get(creatioUrl + "/0/odata/" + query).path("value");
        if (value.isEmpty()) {
            throw new IllegalStateException("Nothing found for " + query);
        }
        return value.get(0).get("Id").asText();
    }
}
