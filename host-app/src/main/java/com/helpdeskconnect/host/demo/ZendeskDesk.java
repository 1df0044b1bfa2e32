package com.helpdeskconnect.host.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo against the Zendesk sandbox: API-token auth, ids from {@code /api/v2}, the trigger's
 * webhook signed with the signing secret, the agent through the sandbox's agent API.
 */
final class ZendeskDesk extends DemoDesk {
    private static final Pattern SANDBOX_LINE = Pattern.compile("^Zendesk sandbox listening on (http://\\S+)$");
    private static final String EMAIL = "integration@sandbox.example";
    private static final String AGENT_EMAIL = "alice@sandbox.example";

    private final String apiToken;
    private final String signingSecret;
    private String zendeskUrl;
    private String groupId;
    private String assigneeId;
    private String sentimentId;

    ZendeskDesk(Demo demo) {
        super(demo);
        apiToken = demo.hex(20);
        signingSecret = demo.hex(32);
    }

    @Override
    String name() {
        return "Zendesk";
    }

    @Override
    String connector() {
        return "zendesk";
    }

    @Override
    List<String> sandboxArgs(String webhookUrl) {
        return List.of("--port", "0", "--email", EMAIL, "--api-token", apiToken,
                "--webhook-url", webhookUrl, "--signing-secret", signingSecret);
    }

    @Override
    boolean started(String firstLine) {
        Matcher m = SANDBOX_LINE.matcher(firstLine.strip());
        if (!m.matches()) {
            return false;
        }
        zendeskUrl = m.group(1);
        return true;
    }

    @Override
    String startedLine() {
        return "Zendesk at " + zendeskUrl;
    }

    @Override
    String webhookLine(String webhookUrl) {
        return "Its trigger (ticket updated) posts {\"ticket_id\":…} to " + webhookUrl
                + ", signed with the webhook's signing secret";
    }

    @Override
    String idsTitle() {
        return "Find the ids the integration needs, with the setup guide's API calls";
    }

    @Override
    Map<String, Object> settings() {
        groupId = find("/api/v2/groups.json", "groups", "name", "Support");
        assigneeId = find("/api/v2/users/search.json?query=email:" + Demo.enc(AGENT_EMAIL), "users", "email", AGENT_EMAIL);
        sentimentId = find("/api/v2/ticket_fields.json", "ticket_fields", "title", "Sentiment");
        demo.say("Group \"Support\" " + groupId + ", agent " + AGENT_EMAIL + " " + assigneeId + ", field \"Sentiment\" " + sentimentId);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("instanceUrl", zendeskUrl);
        settings.put("email", EMAIL);
        settings.put("apiToken", apiToken);
        settings.put("defaultGroupId", groupId);
        settings.put("webhookSigningSecret", signingSecret);
        settings.put("fieldMap", Map.of("sentiment", sentimentId));
        return settings;
    }

    @Override
    Map<String, Object> handoff() {
        return Map.of("fields", Map.of("priority", "High", "type", "Incident", "sentiment", "Very unhappy"),
                "ownerId", assigneeId, "groupId", groupId);
    }

    @Override
    String caseNoun() {
        return "Ticket";
    }

    @Override
    String aiReplyLine(String number) {
        return "Added to ticket #" + number + " as an internal note (the customer is not mailed their own chat)";
    }

    @Override
    void showCase(String caseId) {
        JsonNode t = ticket(caseId);
        JsonNode comments = t.path("comments");
        int notes = 0;
        for (JsonNode c : comments) {
            notes += c.path("public").asBoolean() ? 0 : 1;
        }
        demo.say(String.format("Zendesk ticket #%s \"%s\": status %s, priority %s, type %s, sentiment %s, assignee %s, group %s, "
                        + "%d comments (%d internal)", t.path("id").asText(), t.path("subject").asText(), t.path("status").asText(),
                text(t.path("priority")), text(t.path("type")), sentiment(t), name("/api/v2/users/", "user", t.path("assignee_id")),
                name("/api/v2/groups/", "group", t.path("group_id")), comments.size(), notes));
    }

    @Override
    String agentReplyTitle() {
        return "An agent replies publicly in Zendesk (POST /_sandbox/agent/tickets/{id}/replies)";
    }

    @Override
    void agentReply(String caseId, String text) {
        demo.send("POST", zendeskUrl + "/_sandbox/agent/tickets/" + caseId + "/replies", Map.of("body", text), 201);
    }

    @Override
    String agentResolveTitle() {
        return "The agent solves the ticket in Zendesk (POST /_sandbox/agent/tickets/{id}/solve)";
    }

    @Override
    void agentResolve(String caseId) {
        demo.send("POST", zendeskUrl + "/_sandbox/agent/tickets/" + caseId + "/solve", Map.of(), 204);
    }

    @Override
    void showRecords(String caseId) {
        for (JsonNode c : ticket(caseId).path("comments")) {
            demo.say("  " + (c.path("public").asBoolean() ? "public reply" : "internal note") + ": "
                    + c.path("body").asText().strip().replaceAll("\\s*\\n\\s*", " / "));
        }
    }

    @Override
    String linkLine() {
        return "  Zendesk:           " + zendeskUrl + "/_sandbox/tickets   (agent reply: POST " + zendeskUrl
                + "/_sandbox/agent/tickets/{id}/replies {\"body\":\"...\"})";
    }

    private JsonNode ticket(String id) {
        return demo.get(zendeskUrl + "/_sandbox/tickets/" + id, null);
    }

    private JsonNode api(String path) {
        String basic = Base64.getEncoder().encodeToString((EMAIL + "/token:" + apiToken).getBytes(StandardCharsets.UTF_8));
        return demo.get(zendeskUrl + path, "Basic " + basic);
    }

    private String find(String path, String list, String key, String value) {
        demo.say("GET " + path.replace("%3A", ":").replace("%40", "@"));
        for (JsonNode item : api(path).path(list)) {
            if (value.equalsIgnoreCase(item.path(key).asText())) {
                return item.path("id").asText();
            }
        }
        throw new IllegalStateException("Nothing found in " + path + " with " + key + " " + value);
    }

    private String name(String path, String envelope, JsonNode id) {
        return id.isNull() || id.isMissingNode() ? "-" : api(path + id.asText() + ".json").path(envelope).path("name").asText("?");
    }

    private String sentiment(JsonNode ticket) {
        for (JsonNode field : ticket.path("custom_fields")) {
            if (field.path("id").asText().equals(sentimentId)) {
                return text(field.path("value"));
            }
        }
        return "-";
    }

    private static String text(JsonNode value) {
        return value.isNull() || value.isMissingNode() || value.asText().isEmpty() ? "-" : value.asText();
    }
}
