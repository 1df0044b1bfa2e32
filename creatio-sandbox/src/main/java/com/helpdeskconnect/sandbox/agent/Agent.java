package com.helpdeskconnect.sandbox.agent;

import com.helpdeskconnect.sandbox.data.DataStore;
import com.helpdeskconnect.sandbox.model.EntitySchema;
import com.helpdeskconnect.sandbox.model.Guids;
import com.helpdeskconnect.sandbox.model.SchemaCatalog;
import com.helpdeskconnect.sandbox.model.StandardRows;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A support agent working in Creatio's UI: writes go straight to the store as the agent contact,
 * so the business processes fire exactly as for an agent's own saves.
 *
 * @throws IllegalArgumentException from every method when the case does not exist
 */
public final class Agent {
    private final DataStore store;
    private final SchemaCatalog schemas;
    private final Clock clock;

    public Agent(DataStore store, SchemaCatalog schemas, Clock clock) {
        this.store = store;
        this.schemas = schemas;
        this.clock = clock;
    }

    /**
     * Replies on a case as Creatio stores an agent's email: an Email activity linked by CaseId,
     * Outgoing, Completed, from the agent contact.
     *
     * @return the new activity's Id
     */
    public String reply(String caseId, String text) {
        Map<String, Object> caseRow = existingCase(caseId);
        Instant now = clock.instant();
        String customer = (String) caseRow.get("ContactId");
        String customerEmail = store.find("Contact", customer).map(c -> (String) c.get("Email")).orElse("");
        Map<String, Object> activity = new LinkedHashMap<>();
        activity.put("Title", "Re: " + caseRow.get("Subject"));
        activity.put("Body", text);
        activity.put("IsHtmlBody", false);
        activity.put("StartDate", now);
        activity.put("DueDate", now);
        activity.put("TypeId", StandardRows.ACTIVITY_TYPE_EMAIL);
        activity.put("ActivityCategoryId", StandardRows.ACTIVITY_CATEGORY_EMAIL);
        activity.put("StatusId", StandardRows.ACTIVITY_STATUS_COMPLETED);
        activity.put("MessageTypeId", StandardRows.MESSAGE_TYPE_OUTGOING);
        activity.put("Sender", StandardRows.AGENT_EMAIL);
        activity.put("Recepient", customerEmail);
        activity.put("ContactId", customer);
        activity.put("OwnerId", StandardRows.CONTACT_AGENT);
        activity.put("CaseId", caseRow.get("Id"));
        return (String) store.insert(schema("Activity"), activity, StandardRows.CONTACT_AGENT).get("Id");
    }

    /**
     * Adds an agents-only note to a case: a completed Task activity linked by CaseId, created by the
     * agent contact. It stays out of the case's message history (so off the portal), and the standard
     * "Agent reply" process (Type = Email) does not fire for it.
     *
     * @return the new activity's Id
     */
    public String note(String caseId, String text) {
        Map<String, Object> caseRow = existingCase(caseId);
        Instant now = clock.instant();
        Map<String, Object> activity = new LinkedHashMap<>();
        activity.put("Title", "Note: " + text.strip().lines().findFirst().orElse(""));
        activity.put("Body", text);
        activity.put("IsHtmlBody", false);
        activity.put("StartDate", now);
        activity.put("DueDate", now);
        activity.put("TypeId", StandardRows.ACTIVITY_TYPE_TASK);
        activity.put("ActivityCategoryId", StandardRows.ACTIVITY_CATEGORY_TODO);
        activity.put("StatusId", StandardRows.ACTIVITY_STATUS_COMPLETED);
        activity.put("OwnerId", StandardRows.CONTACT_AGENT);
        activity.put("CaseId", caseRow.get("Id"));
        return (String) store.insert(schema("Activity"), activity, StandardRows.CONTACT_AGENT).get("Id");
    }

    /** Sets the case's status, as an agent picking it in the case page. */
    public void changeStatus(String caseId, String statusId) {
        existingCase(caseId);
        if (store.find("CaseStatus", Guids.normalize(statusId)).isEmpty()) {
            throw new IllegalArgumentException("No case status " + statusId);
        }
        Map<String, Object> changes = new LinkedHashMap<>();
        changes.put("StatusId", Guids.normalize(statusId));
        store.update(schema("Case"), Guids.normalize(caseId), changes, StandardRows.CONTACT_AGENT);
    }

    /** Resolves the case with a solution text, as the "Resolved" action does. */
    public void resolve(String caseId, String solution) {
        existingCase(caseId);
        Map<String, Object> changes = new LinkedHashMap<>();
        changes.put("StatusId", StandardRows.STATUS_RESOLVED);
        changes.put("Solution", solution);
        changes.put("ClosureCodeId", StandardRows.CLOSURE_RESOLVED_SUCCESSFULLY);
        changes.put("SolutionProvidedOn", clock.instant());
        store.update(schema("Case"), Guids.normalize(caseId), changes, StandardRows.CONTACT_AGENT);
    }

    public void reopen(String caseId) {
        changeStatus(caseId, StandardRows.STATUS_REOPENED);
    }

    /**
     * A message the customer writes on the self-service portal, for the
     * {@code portal_message_added} process.
     *
     * @return the new PortalMessage's Id
     */
    public String portalMessage(String caseId, String text) {
        Map<String, Object> caseRow = existingCase(caseId);
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("Message", text);
        message.put("EntitySchemaUId", SchemaCatalog.CASE_SCHEMA_UID);
        message.put("EntityId", caseRow.get("Id"));
        message.put("FromPortal", true);
        String author = Guids.isEmpty(caseRow.get("ContactId"))
                ? StandardRows.CONTACT_CUSTOMER
                : (String) caseRow.get("ContactId");
        return (String) store.insert(schema("PortalMessage"), message, author).get("Id");
    }

    private Map<String, Object> existingCase(String caseId) {
        if (!Guids.isGuid(caseId)) {
            throw new IllegalArgumentException("Not a GUID: " + caseId);
        }
        return store.find("Case", Guids.normalize(caseId))
                .orElseThrow(() -> new IllegalArgumentException("No case " + caseId));
    }

    private EntitySchema schema(String name) {
        return schemas.find(name).orElseThrow();
    }
}
