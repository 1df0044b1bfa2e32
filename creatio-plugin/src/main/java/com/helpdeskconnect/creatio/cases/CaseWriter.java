package com.helpdeskconnect.creatio.cases;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.helpdeskconnect.api.cases.Activity;
import com.helpdeskconnect.api.cases.CaseDraft;
import com.helpdeskconnect.api.cases.CaseRef;
import com.helpdeskconnect.api.cases.Customer;
import com.helpdeskconnect.api.cases.Resolution;
import com.helpdeskconnect.api.errors.ConnectorException;
import com.helpdeskconnect.api.errors.PermanentException;
import com.helpdeskconnect.creatio.CreatioIds;
import com.helpdeskconnect.creatio.CreatioSession;
import com.helpdeskconnect.creatio.odata.BatchRequest;
import com.helpdeskconnect.creatio.odata.BatchResponse;
import com.helpdeskconnect.creatio.odata.ODataClient;
import com.helpdeskconnect.creatio.odata.ODataQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Creates and resolves cases. A case's Id is derived from the integration and conversation ids, so
 * a retried create (also after a timeout whose outcome we never saw) finds the first one instead
 * of opening another: Creatio keeps a client-supplied Id ({@code docs/creatio-api.md} §2).
 */
public final class CaseWriter {
    private static final int SUBJECT_MAX = 500;
    private static final String CASE_COLUMNS = "Id,Number";

    private CaseWriter() {}

    /** Room left in one {@code $batch} (at most 100 entries) after the contact and the case. */
    private static final int ACTIVITIES_PER_BATCH = 90;

    public static CaseRef create(CreatioSession session, CaseDraft draft) {
        return create(session, draft, List.of());
    }

    /**
     * Opens the case with its first messages. A new customer's contact, the case and the messages
     * go in one {@code $batch} (continue-on-error, so a record an earlier try already wrote does
     * not stop the rest); anything refused is retried on its own, idempotently.
     */
    public static CaseRef create(CreatioSession session, CaseDraft draft, List<Activity> firstActivities) {
        ODataClient odata = session.odata();
        UUID id = session.deterministicId("case", draft.conversationId());
        ObjectNode body = caseBody(session, draft, id);
        ContactPlan contact = contactFor(session, draft);
        if (contact.id() != null) {
            body.put("ContactId", contact.id().toString());
        }
        CaseRef provisional = new CaseRef(id.toString(), "", session.caseLink(id.toString()));
        List<Activity> batched = firstActivities.subList(0, Math.min(firstActivities.size(), ACTIVITIES_PER_BATCH));
        JsonNode created;
        if (contact.toCreate() == null && batched.isEmpty()) {
            created = odata.insertOnce("Case", id, body, CASE_COLUMNS);
        } else {
            created = createInBatch(session, id, body, contact, provisional, batched);
        }
        for (Activity activity : firstActivities.subList(batched.size(), firstActivities.size())) {
            ActivityWriter.append(session, provisional, activity);
        }
        String number = created.path("Number").asText("");
        if (number.isEmpty()) {
            number = odata.get("Case(" + id + ")", Map.of("$select", CASE_COLUMNS)).path("Number").asText("");
        }
        return new CaseRef(id.toString(), number, session.caseLink(id.toString()));
    }

    private static ObjectNode caseBody(CreatioSession session, CaseDraft draft, UUID id) {
        ObjectNode body = session.odata().json().createObjectNode();
        body.put("Id", id.toString());
        body.put("Subject", truncate(draft.subject().isBlank() ? "Chat conversation" : draft.subject(), SUBJECT_MAX));
        body.put("Symptoms", draft.description());
        body.put("RegisteredOn", draft.openedAt().toString());
        body.put("StatusId", CreatioIds.STATUS_NEW.toString());
        body.put("PriorityId", CreatioIds.PRIORITY_MEDIUM.toString());
        UUID origin = session.settings().caseOriginId();
        body.put("OriginId", (origin != null ? origin : CreatioIds.ORIGIN_CHAT).toString());
        String owner = draft.ownerId() != null ? draft.ownerId() : idText(session.settings().defaultCaseOwnerId());
        String group = draft.groupId() != null ? draft.groupId() : idText(session.settings().defaultCaseGroupId());
        if (owner != null) {
            body.put("OwnerId", owner);
        }
        if (group != null) {
            body.put("GroupId", group);
        }
        return body;
    }

    private static JsonNode createInBatch(CreatioSession session, UUID id, ObjectNode caseBody, ContactPlan contact,
                                          CaseRef caseRef, List<Activity> activities) {
        ODataClient odata = session.odata();
        List<BatchRequest> requests = new ArrayList<>();
        if (contact.toCreate() != null) {
            requests.add(new BatchRequest("POST", "Contact", contact.toCreate()));
        }
        int caseIndex = requests.size();
        requests.add(new BatchRequest("POST", "Case", caseBody));
        List<ActivityWriter.PlannedInsert> inserts = new ArrayList<>();
        for (Activity activity : activities) {
            ActivityWriter.PlannedInsert insert = ActivityWriter.plan(session, caseRef, activity);
            inserts.add(insert);
            requests.add(new BatchRequest("POST", insert.collection(), insert.body()));
        }
        List<BatchResponse> answers;
        JsonNode created;
        try {
            answers = odata.batch(requests, true);
            BatchResponse caseAnswer = answers.get(caseIndex);
            if (!caseAnswer.succeeded()) {
                throw caseAnswer.failure("the case insert");
            }
            created = caseAnswer.body();
        } catch (ConnectorException e) {
            // A duplicate Id means an earlier try got through: go on with that case.
            created = odata.find("Case(" + id + ")", Map.of("$select", CASE_COLUMNS)).orElseThrow(() -> e);
            answers = List.of();
        }
        if (contact.toCreate() != null) {
            String email = contact.toCreate().path("Email").asText("");
            if (!email.isEmpty()) {
                session.contactsByEmail().put(email.toLowerCase(Locale.ROOT), contact.id());
            }
        }
        for (int i = 0; i < inserts.size(); i++) {
            int answer = caseIndex + 1 + i;
            if (answer >= answers.size() || !answers.get(answer).succeeded()) {
                ActivityWriter.PlannedInsert insert = inserts.get(i);
                odata.insertOnce(insert.collection(), insert.id(), insert.body(), "Id");
            }
        }
        return created;
    }

    /** Sets the resolved status (the setting, else the site's status flagged IsResolved) with the solution. */
    public static void resolve(CreatioSession session, CaseRef caseRef, Resolution resolution) {
        ODataClient odata = session.odata();
        ObjectNode body = odata.json().createObjectNode();
        body.put("StatusId", resolvedStatus(session).toString());
        if (!resolution.solution().isBlank()) {
            body.put("Solution", resolution.solution());
        }
        closureCode(session, resolution.closureCode()).ifPresent(code -> body.put("ClosureCodeId", code.toString()));
        body.put("ClosureDate", resolution.resolvedAt().toString());
        odata.patch("Case(" + guid(caseRef.id()) + ")", body);
    }

    static UUID resolvedStatus(CreatioSession session) {
        UUID configured = session.settings().resolvedStatusId();
        if (configured != null) {
            return configured;
        }
        Map<UUID, CreatioSession.CaseStatus> statuses = session.statuses(null);
        return statuses.values().stream().filter(CreatioSession.CaseStatus::isResolved).findFirst()
                .or(() -> statuses.values().stream().filter(CreatioSession.CaseStatus::isFinal).findFirst())
                .map(CreatioSession.CaseStatus::id)
                .orElseThrow(() -> new PermanentException("No case status is flagged IsResolved in Creatio; "
                        + "set the Resolved Status ID"));
    }

    private static Optional<UUID> closureCode(CreatioSession session, String code) {
        if (code == null || code.isBlank()) {
            return Optional.empty();
        }
        List<CreatioSession.LookupRow> rows = session.lookup("ClosureCode");
        return rows.stream().filter(r -> r.id().toString().equalsIgnoreCase(code) || r.name().equalsIgnoreCase(code))
                .map(CreatioSession.LookupRow::id).findFirst();
    }

    /** The contact a case links to, and the record to create first when it is new. */
    private record ContactPlan(UUID id, ObjectNode toCreate) {}

    /** The customer's contact: found by email, else planned with an Id derived from the email. */
    private static ContactPlan contactFor(CreatioSession session, CaseDraft draft) {
        Customer customer = draft.customer();
        String email = customer.email() == null ? "" : customer.email().trim();
        String name = customer.name() == null ? "" : customer.name().trim();
        if (email.isEmpty() && name.isEmpty()) {
            return new ContactPlan(null, null);
        }
        if (!email.isEmpty()) {
            UUID cached = session.contactsByEmail().get(email.toLowerCase(Locale.ROOT));
            if (cached != null) {
                return new ContactPlan(cached, null);
            }
            List<JsonNode> found = session.odata().list("Contact", Map.of(
                    "$filter", "Email eq " + ODataQuery.literal(email), "$select", "Id", "$top", "1"));
            if (!found.isEmpty()) {
                UUID id = UUID.fromString(found.get(0).path("Id").asText());
                session.contactsByEmail().put(email.toLowerCase(Locale.ROOT), id);
                return new ContactPlan(id, null);
            }
        }
        String key = email.isEmpty() ? "conversation:" + draft.conversationId() : "email:" + email.toLowerCase(Locale.ROOT);
        UUID id = session.deterministicId("contact", key);
        ObjectNode contact = session.odata().json().createObjectNode();
        contact.put("Id", id.toString());
        contact.put("Name", name.isEmpty() ? email : name);
        if (!email.isEmpty()) {
            contact.put("Email", email);
        }
        if (customer.phone() != null && !customer.phone().isBlank()) {
            contact.put("Phone", customer.phone().trim());
        }
        return new ContactPlan(id, contact);
    }

    /** A case id as a bare GUID, refusing anything else before it reaches a URL. */
    static UUID guid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new com.helpdeskconnect.api.errors.NotFoundException("'" + truncate(id, 60) + "' is not a Creatio record id");
        }
    }

    private static String idText(UUID id) {
        return id == null ? null : id.toString();
    }

    static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
