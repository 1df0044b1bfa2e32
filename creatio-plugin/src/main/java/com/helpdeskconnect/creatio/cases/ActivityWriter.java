package com.helpdeskconnect.creatio.cases;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.helpdeskconnect.api.cases.Activity;
import com.helpdeskconnect.api.cases.ActivityRef;
import com.helpdeskconnect.api.cases.CaseRef;
import com.helpdeskconnect.api.cases.Direction;
import com.helpdeskconnect.creatio.CreatioIds;
import com.helpdeskconnect.creatio.CreatioSession;
import com.helpdeskconnect.creatio.CreatioSettings.MessageChannel;
import com.helpdeskconnect.creatio.odata.ODataClient;
import java.util.Map;
import java.util.UUID;

/**
 * Writes chat messages where agents read them: an Email activity linked by {@code CaseId} (shown in
 * the case's message history; Incoming for the customer, Outgoing for the AI and notes), or a
 * {@code PortalMessage} on sites with the portal. The record Id is derived from the case and the
 * message's external id, so a retried append finds its first write.
 */
public final class ActivityWriter {
    private static final int TITLE_MAX = 250;

    private ActivityWriter() {}

    /** A message's record, ready to insert: where, under which derived Id, with which columns. */
    public record PlannedInsert(String collection, UUID id, ObjectNode body) {

        /** After a failed insert: true when an earlier try already wrote the record. */
        public boolean alreadyWritten(ODataClient odata) {
            return odata.find(collection + "(" + id + ")", Map.of("$select", "Id")).isPresent();
        }
    }

    public static ActivityRef append(CreatioSession session, CaseRef caseRef, Activity activity) {
        PlannedInsert insert = plan(session, caseRef, activity);
        session.odata().insertOnce(insert.collection(), insert.id(), insert.body(), "Id");
        return new ActivityRef(insert.id().toString());
    }

    public static PlannedInsert plan(CreatioSession session, CaseRef caseRef, Activity activity) {
        UUID caseId = CaseWriter.guid(caseRef.id());
        UUID id = session.deterministicId("activity", caseId + ":" + activity.externalId());
        boolean portal = session.settings().messageChannel() == MessageChannel.PORTAL_MESSAGE;
        ObjectNode body = portal ? portalMessage(session.odata(), id, caseId, activity) : email(session, id, caseId, activity);
        return new PlannedInsert(portal ? "PortalMessage" : "Activity", id, body);
    }

    private static ObjectNode email(CreatioSession session, UUID id, UUID caseId, Activity activity) {
        boolean fromCustomer = activity.direction() == Direction.CUSTOMER;
        UUID category = session.settings().activityCategoryId();
        ObjectNode body = session.odata().json().createObjectNode();
        body.put("Id", id.toString());
        body.put("Title", CaseWriter.truncate(title(activity), TITLE_MAX));
        body.put("Body", activity.text());
        body.put("IsHtmlBody", false);
        body.put("StartDate", activity.occurredAt().toString());
        body.put("DueDate", activity.occurredAt().toString());
        body.put("TypeId", CreatioIds.ACTIVITY_TYPE_EMAIL.toString());
        body.put("ActivityCategoryId", (category != null ? category : CreatioIds.ACTIVITY_CATEGORY_EMAIL).toString());
        body.put("StatusId", CreatioIds.ACTIVITY_STATUS_COMPLETED.toString());
        body.put("MessageTypeId", (fromCustomer ? CreatioIds.MESSAGE_INCOMING : CreatioIds.MESSAGE_OUTGOING).toString());
        body.put("Sender", activity.author());
        body.put("CaseId", caseId.toString());
        return body;
    }

    private static ObjectNode portalMessage(ODataClient odata, UUID id, UUID caseId, Activity activity) {
        ObjectNode body = odata.json().createObjectNode();
        body.put("Id", id.toString());
        body.put("EntitySchemaUId", CreatioIds.CASE_SCHEMA_UID.toString());
        body.put("EntityId", caseId.toString());
        body.put("Message", activity.text());
        body.put("FromPortal", activity.direction() == Direction.CUSTOMER);
        return body;
    }

    private static String title(Activity activity) {
        String who = switch (activity.direction()) {
            case CUSTOMER -> activity.author().isBlank() ? "Customer" : activity.author();
            case AI -> activity.author().isBlank() ? "AI assistant" : activity.author();
            case AGENT -> activity.author().isBlank() ? "Agent" : activity.author();
            case SYSTEM -> "Note";
        };
        String firstLine = activity.text().strip().lines().findFirst().orElse("");
        return "Chat · " + who + ": " + firstLine;
    }
}
