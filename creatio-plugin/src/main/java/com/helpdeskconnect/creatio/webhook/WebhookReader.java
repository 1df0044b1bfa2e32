package com.helpdeskconnect.creatio.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.helpdeskconnect.api.cases.CaseRef;
import com.helpdeskconnect.api.cases.Visibility;
import com.helpdeskconnect.api.errors.PermanentException;
import com.helpdeskconnect.api.errors.WebhookAuthenticationException;
import com.helpdeskconnect.api.settings.Secret;
import com.helpdeskconnect.api.webhook.AgentReplied;
import com.helpdeskconnect.api.webhook.CaseClosed;
import com.helpdeskconnect.api.webhook.CaseReopened;
import com.helpdeskconnect.api.webhook.CaseResolved;
import com.helpdeskconnect.api.webhook.HelpdeskEvent;
import com.helpdeskconnect.api.webhook.WebhookRequest;
import com.helpdeskconnect.creatio.CreatioIds;
import com.helpdeskconnect.creatio.CreatioConnection;
import com.helpdeskconnect.creatio.CreatioSettings;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Handles the calls of the admin's Creatio business processes ({@code docs/creatio-api.md} §4). The
 * payload only points at a record; the text and state are read from Creatio with our own token.
 * Writes of the integration's own Creatio user (the user that created the case) are echoes of
 * our writes and yield nothing.
 */
public final class WebhookReader {
    public static final String SECRET_HEADER = "X-Helpdesk-Connect-Secret";

    private WebhookReader() {}

    /** Compares the header with the integration's secret in constant time; reads nothing else. */
    public static void authenticate(CreatioSettings settings, WebhookRequest request) {
        Secret expected = settings.webhookSecret();
        if (expected == null || expected.isEmpty()) {
            throw new WebhookAuthenticationException("No webhook secret is configured for this integration");
        }
        if (!expected.matches(request.header(SECRET_HEADER).orElse(null))) {
            throw new WebhookAuthenticationException("The call did not carry this integration's "
                    + SECRET_HEADER + " header");
        }
    }

    public static List<HelpdeskEvent> read(CreatioConnection connection, WebhookRequest request) {
        JsonNode payload;
        try {
            payload = connection.odata().json().readTree(request.body());
        } catch (IOException e) {
            throw new PermanentException("The webhook body is not JSON");
        }
        if (payload == null || !payload.isObject()) {
            throw new PermanentException("The webhook body is not a JSON object");
        }
        String event = payload.path("event").asText("");
        UUID caseId = guid(payload, "caseId");
        return switch (event) {
            case "activity_added" -> activityAdded(connection, caseId, guid(payload, "recordId"));
            case "portal_message_added" -> portalMessageAdded(connection, caseId, guid(payload, "recordId"));
            case "case_status_changed" -> statusChanged(connection, caseId);
            default -> throw new PermanentException("Unknown webhook event '" + abbreviate(event)
                    + "'; expected activity_added, portal_message_added or case_status_changed");
        };
    }

    private record CaseInfo(CaseRef ref, String createdBy, String modifiedBy, UUID statusId, String modifiedOn, String solution) {}

    private static Optional<CaseInfo> readCase(CreatioConnection connection, UUID caseId) {
        return connection.odata().find("Case(" + caseId + ")",
                        Map.of("$select", "Id,Number,StatusId,CreatedById,ModifiedById,ModifiedOn,Solution"))
                .map(c -> new CaseInfo(new CaseRef(caseId.toString(), c.path("Number").asText(""),
                        connection.caseLink(caseId.toString())), c.path("CreatedById").asText(""),
                        c.path("ModifiedById").asText(""), UUID.fromString(c.path("StatusId").asText(CreatioIds.EMPTY.toString())),
                        c.path("ModifiedOn").asText(""), c.path("Solution").asText("")));
    }

    /**
     * An activity on a case that is not ours: an Outgoing Email is an agent's public reply, a Task an
     * agent's internal note (when the admin's process passes Tasks on). Incoming Emails are the
     * customer's, other types are no message.
     */
    private static List<HelpdeskEvent> activityAdded(CreatioConnection connection, UUID caseId, UUID activityId) {
        Optional<JsonNode> found = connection.odata().find("Activity(" + activityId + ")",
                Map.of("$select", "Id,CaseId,Title,Body,IsHtmlBody,Sender,CreatedById,CreatedOn,TypeId,MessageTypeId"));
        if (found.isEmpty()) {
            return List.of(); // deleted since
        }
        JsonNode activity = found.get();
        String linkedCase = activity.path("CaseId").asText("");
        if (!linkedCase.equalsIgnoreCase(caseId.toString())) {
            caseId = UUID.fromString(linkedCase.isEmpty() ? CreatioIds.EMPTY.toString() : linkedCase);
        }
        String type = activity.path("TypeId").asText("");
        Visibility visibility;
        if (CreatioIds.ACTIVITY_TYPE_EMAIL.toString().equalsIgnoreCase(type)) {
            if (CreatioIds.MESSAGE_INCOMING.toString().equalsIgnoreCase(activity.path("MessageTypeId").asText(""))) {
                return List.of(); // the customer's email, not an agent's
            }
            visibility = Visibility.PUBLIC;
        } else if (CreatioIds.ACTIVITY_TYPE_TASK.toString().equalsIgnoreCase(type)) {
            visibility = Visibility.INTERNAL;
        } else {
            return List.of();
        }
        if (caseId.equals(CreatioIds.EMPTY)) {
            return List.of();
        }
        Optional<CaseInfo> info = readCase(connection, caseId);
        String author = activity.path("CreatedById").asText("");
        if (info.isEmpty() || author.equalsIgnoreCase(info.get().createdBy())) {
            return List.of();
        }
        String body = activity.path("Body").asText("");
        String text = activity.path("IsHtmlBody").asBoolean(false) ? HtmlText.toPlain(body) : body.strip();
        if (text.isEmpty() && visibility == Visibility.INTERNAL) {
            text = activity.path("Title").asText("").strip();
        }
        if (text.isEmpty()) {
            return List.of();
        }
        String name = connection.contactName(author).orElse(activity.path("Sender").asText("").strip());
        return List.of(new AgentReplied("activity:" + activityId, info.get().ref(), name, text,
                instant(activity.path("CreatedOn").asText("")), visibility));
    }

    private static List<HelpdeskEvent> portalMessageAdded(CreatioConnection connection, UUID caseId, UUID messageId) {
        Optional<JsonNode> found = connection.odata().find("PortalMessage(" + messageId + ")",
                Map.of("$select", "Id,EntityId,Message,FromPortal,CreatedById,CreatedOn"));
        if (found.isEmpty() || found.get().path("FromPortal").asBoolean(false)) {
            return List.of();
        }
        JsonNode message = found.get();
        Optional<CaseInfo> info = readCase(connection, caseId);
        String author = message.path("CreatedById").asText("");
        if (info.isEmpty() || author.equalsIgnoreCase(info.get().createdBy())) {
            return List.of();
        }
        String text = HtmlText.toPlain(message.path("Message").asText(""));
        return text.isEmpty() ? List.of() : List.of(new AgentReplied("portal-message:" + messageId, info.get().ref(),
                connection.contactName(author).orElse(""), text, instant(message.path("CreatedOn").asText("")),
                Visibility.PUBLIC));
    }

    private static List<HelpdeskEvent> statusChanged(CreatioConnection connection, UUID caseId) {
        Optional<CaseInfo> found = readCase(connection, caseId);
        if (found.isEmpty()) {
            return List.of();
        }
        CaseInfo info = found.get();
        if (info.modifiedBy().equalsIgnoreCase(info.createdBy())) {
            return List.of(); // our own resolve
        }
        CreatioConnection.CaseStatus status = connection.statuses(info.statusId()).get(info.statusId());
        if (status == null) {
            return List.of();
        }
        String eventId = "status:" + caseId + ":" + status.id() + ":" + info.modifiedOn();
        if (status.isResolved()) {
            return List.of(new CaseResolved(eventId, info.ref(), info.solution()));
        }
        if (status.isFinal()) {
            return List.of(new CaseClosed(eventId, info.ref(), status.name()));
        }
        // Open again: the host acts on it only for a conversation it had resolved.
        return List.of(new CaseReopened(eventId, info.ref(), status.name()));
    }

    private static UUID guid(JsonNode payload, String field) {
        String text = payload.path(field).asText("");
        try {
            return UUID.fromString(text.trim());
        } catch (IllegalArgumentException e) {
            throw new PermanentException("The webhook field " + field + " is not a GUID");
        }
    }

    private static Instant instant(String text) {
        try {
            return text.isEmpty() ? Instant.now() : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return Instant.now();
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }
}
