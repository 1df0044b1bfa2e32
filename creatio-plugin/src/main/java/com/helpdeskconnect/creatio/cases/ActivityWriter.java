package com.helpdeskconnect.creatio.cases;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.helpdeskconnect.api.cases.Activity;
import com.helpdeskconnect.api.cases.CaseRef;
import com.helpdeskconnect.api.cases.Direction;
import com.helpdeskconnect.api.cases.Visibility;
import com.helpdeskconnect.api.errors.ConnectorException;
import com.helpdeskconnect.api.errors.NotFoundException;
import com.helpdeskconnect.creatio.CreatioConnection;
import com.helpdeskconnect.creatio.CreatioConnection.CaseStatus;
import com.helpdeskconnect.creatio.CreatioIds;
import com.helpdeskconnect.creatio.CreatioSettings.MessageChannel;
import com.helpdeskconnect.creatio.odata.BatchRequest;
import com.helpdeskconnect.creatio.odata.BatchResponse;
import com.helpdeskconnect.creatio.odata.ODataClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Writes chat messages where agents read them.
 *
 * <p><b>Visibility.</b> A {@link Visibility#PUBLIC} message joins the case's correspondence: an Email
 * activity linked by {@code CaseId} (Incoming for the customer, Outgoing for the AI), or a
 * {@code PortalMessage} on portal sites; Creatio copies both into the case's message history, which
 * the portal shows the customer. An {@link Visibility#INTERNAL} message (the handoff summary) is a
 * completed Task activity linked by {@code CaseId}: agents see it among the case's activities, it
 * never enters the message history, so neither the portal nor an email shows it to the customer.
 *
 * <p><b>Idempotency.</b> A record's Id is derived from the case and the message's external id, so a
 * retried append finds its first write.
 *
 * <p><b>A customer writing on a finished case.</b> Creatio's own rule for emails: a message on a
 * resolved or paused case sets it to "Reopened"; a message on a final (closed, canceled) case, which
 * may not change status again, registers a new case. Appends with a customer message therefore read
 * the case's status in the same {@code $batch} as the writes (no extra round trip) and then set
 * the integration's reopen status, or open a follow-up case with the messages and return it.
 */
public final class ActivityWriter {
    private static final int TITLE_MAX = 250;
    static final String CASE_INFO = "Id,Number,Subject,StatusId,ContactId";

    private ActivityWriter() {}

    /** A message's record, ready to insert: where, under which derived Id, with which columns. */
    public record PlannedInsert(String collection, UUID id, ObjectNode body) {

        /** After a failed insert: true when an earlier try already wrote the record. */
        public boolean alreadyWritten(ODataClient odata) {
            return odata.find(collection + "(" + id + ")", Map.of("$select", "Id")).isPresent();
        }

        BatchRequest request() {
            return new BatchRequest("POST", collection, body);
        }
    }

    /**
     * Appends messages in order, in one request: a single insert, or one {@code $batch} (which also
     * reads the case's status when a customer wrote).
     *
     * @return the case the messages landed on: {@code caseRef}, or a follow-up case when it was final
     */
    public static CaseRef append(CreatioConnection connection, CaseRef caseRef, List<Activity> activities) {
        if (activities.isEmpty()) {
            return caseRef;
        }
        ODataClient odata = connection.odata();
        UUID caseId = CaseWriter.guid(caseRef.id());
        List<PlannedInsert> inserts = activities.stream().map(a -> plan(connection, caseRef, a)).toList();
        boolean customerWrote = activities.stream().anyMatch(a -> a.direction() == Direction.CUSTOMER);
        if (inserts.size() == 1 && !customerWrote) {
            insertOnce(connection, caseId, inserts.get(0));
            return caseRef;
        }
        List<BatchRequest> requests = new ArrayList<>(inserts.stream().map(PlannedInsert::request).toList());
        if (customerWrote) {
            requests.add(new BatchRequest("GET", "Case(" + caseId + ")?$select=" + CASE_INFO, null));
        }
        List<BatchResponse> answers = odata.batch(requests, true);
        for (int i = 0; i < inserts.size(); i++) {
            if (!answers.get(i).succeeded()) {
                insertOnce(connection, caseId, inserts.get(i));
            }
        }
        if (!customerWrote) {
            return caseRef;
        }
        BatchResponse read = answers.get(inserts.size());
        JsonNode info = read.succeeded() ? read.body()
                : odata.find("Case(" + caseId + ")", Map.of("$select", CASE_INFO))
                        .orElseThrow(() -> caseGone(caseId));
        return afterCustomerWrote(connection, caseRef, info, activities);
    }

    /** Reopens a resolved or paused case, or moves the conversation to a follow-up of a final one. */
    private static CaseRef afterCustomerWrote(CreatioConnection connection, CaseRef caseRef, JsonNode info,
                                              List<Activity> activities) {
        UUID statusId = UUID.fromString(info.path("StatusId").asText(CreatioIds.EMPTY.toString()));
        CaseStatus status = connection.statuses(statusId).get(statusId);
        if (status == null) {
            return caseRef;
        }
        if (status.isFinal()) {
            return CaseWriter.followUp(connection, caseRef, info, activities);
        }
        UUID reopen = connection.settings().reopenStatusId();
        if ((status.isResolved() || status.isPaused()) && !statusId.equals(reopen)) {
            ObjectNode patch = connection.odata().json().createObjectNode();
            patch.put("StatusId", reopen.toString());
            connection.odata().patch("Case(" + CaseWriter.guid(caseRef.id()) + ")", patch);
        }
        return caseRef;
    }

    /**
     * Inserts one record; a failure may hide an earlier try that got through, so the record is read
     * back before the error counts, and a case that no longer exists is reported as not found (not
     * as the database error Creatio answers for a dangling {@code CaseId}).
     */
    static void insertOnce(CreatioConnection connection, UUID caseId, PlannedInsert insert) {
        ODataClient odata = connection.odata();
        try {
            odata.post(insert.collection(), insert.body());
        } catch (ConnectorException e) {
            if (insert.alreadyWritten(odata)) {
                return;
            }
            if (odata.find("Case(" + caseId + ")", Map.of("$select", "Id")).isEmpty()) {
                throw caseGone(caseId);
            }
            throw e;
        }
    }

    static NotFoundException caseGone(UUID caseId) {
        return new NotFoundException("The case " + caseId + " no longer exists in Creatio");
    }

    public static PlannedInsert plan(CreatioConnection connection, CaseRef caseRef, Activity activity) {
        UUID caseId = CaseWriter.guid(caseRef.id());
        UUID id = connection.deterministicId("activity", caseId + ":" + activity.externalId());
        ODataClient odata = connection.odata();
        if (activity.visibility() == Visibility.INTERNAL) {
            return new PlannedInsert("Activity", id, note(odata, id, caseId, activity));
        }
        if (connection.settings().messageChannel() == MessageChannel.PORTAL_MESSAGE) {
            return new PlannedInsert("PortalMessage", id, portalMessage(odata, id, caseId, activity));
        }
        return new PlannedInsert("Activity", id, email(connection, id, caseId, activity));
    }

    private static ObjectNode email(CreatioConnection connection, UUID id, UUID caseId, Activity activity) {
        boolean fromCustomer = activity.direction() == Direction.CUSTOMER;
        UUID category = connection.settings().activityCategoryId();
        ObjectNode body = activityBody(connection.odata(), id, caseId, activity);
        body.put("TypeId", CreatioIds.ACTIVITY_TYPE_EMAIL.toString());
        body.put("ActivityCategoryId", (category != null ? category : CreatioIds.ACTIVITY_CATEGORY_EMAIL).toString());
        body.put("MessageTypeId", (fromCustomer ? CreatioIds.MESSAGE_INCOMING : CreatioIds.MESSAGE_OUTGOING).toString());
        body.put("Sender", activity.author());
        return body;
    }

    /** An agents-only note: a completed Task on the case, outside its message history. */
    private static ObjectNode note(ODataClient odata, UUID id, UUID caseId, Activity activity) {
        ObjectNode body = activityBody(odata, id, caseId, activity);
        body.put("TypeId", CreatioIds.ACTIVITY_TYPE_TASK.toString());
        body.put("ActivityCategoryId", CreatioIds.ACTIVITY_CATEGORY_TODO.toString());
        return body;
    }

    private static ObjectNode activityBody(ODataClient odata, UUID id, UUID caseId, Activity activity) {
        ObjectNode body = odata.json().createObjectNode();
        body.put("Id", id.toString());
        body.put("Title", CaseWriter.truncate(title(activity), TITLE_MAX));
        body.put("Body", activity.text());
        body.put("IsHtmlBody", false);
        body.put("StartDate", activity.occurredAt().toString());
        body.put("DueDate", activity.occurredAt().toString());
        body.put("StatusId", CreatioIds.ACTIVITY_STATUS_COMPLETED.toString());
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
        return (activity.visibility() == Visibility.INTERNAL ? "Chat note · " : "Chat · ") + who + ": " + firstLine;
    }
}
