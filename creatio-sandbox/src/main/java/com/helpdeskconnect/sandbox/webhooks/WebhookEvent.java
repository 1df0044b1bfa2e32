package com.helpdeskconnect.sandbox.webhooks;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A payload of docs/creatio-api.md §4: only pointers to records.
 *
 * @param recordId the Activity or PortalMessage id; null for {@code case_status_changed}
 * @param statusId the new status; only for {@code case_status_changed}
 */
public record WebhookEvent(String event, String caseId, String recordId, String statusId) {
    public static final String ACTIVITY_ADDED = "activity_added";
    public static final String PORTAL_MESSAGE_ADDED = "portal_message_added";
    public static final String CASE_STATUS_CHANGED = "case_status_changed";

    public String toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode().put("event", event).put("caseId", caseId);
        if (recordId != null) {
            json.put("recordId", recordId);
        }
        if (statusId != null) {
            json.put("statusId", statusId);
        }
        return json.toString();
    }
}
