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
import com.helpdeskconnect.creatio.CreatioConnection;
import com.helpdeskconnect.creatio.CreatioIds;
import com.helpdeskconnect.creatio.odata.BatchRequest;
import com.helpdeskconnect.creatio.odata.BatchResponse;
import com.helpdeskconnect.creatio.odata.ODataClient;
import com.helpdeskconnect.creatio.odata.ODataQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and resolves cases. A case's Id is derived from the integration and conversation ids, so
 * a retried create (also after a timeout whose outcome we never saw) finds the first one instead
 * of opening another: Creatio keeps a client-supplied Id ({@code docs/creatio-api.md} §2).
 */
public final class CaseWriter {
    private static final Logger LOG = LoggerFactory.getLogger(CaseWriter.class);
    private static final int SUBJECT_MAX = 500;
    private static final String CASE_COLUMNS = "Id,Number";

    private CaseWriter() {}

    /**
     * Opens the case with its first messages. A new customer's contact, the case and the messages
     * go in one {@code $batch} (continue-on-error, so a record an earlier try already wrote does
     * not stop the rest); anything refused is retried on its own, idempotently.
     */
    public static CaseRef create(CreatioConnection connection, CaseDraft draft, List<Activity> firstActivities) {
        UUID id = connection.deterministicId("case", draft.conversationId());
        ObjectNode body = caseBody(connection, id, draft.subject(), draft.description(), draft.openedAt());
        String owner = draft.ownerId() != null ? guid(draft.ownerId()).toString() : idText(connection.settings().defaultCaseOwnerId());
        String group = draft.groupId() != null ? guid(draft.groupId()).toString() : idText(connection.settings().defaultCaseGroupId());
        if (owner != null) {
            body.put("OwnerId", owner);
        }
        if (group != null) {
            body.put("GroupId", group);
        }
        ContactPlan contact = contactFor(connection, draft);
        if (contact.id() != null) {
            body.put("ContactId", contact.id().toString());
        }
        return open(connection, id, body, contact, firstActivities);
    }

    /**
     * The customer wrote on a case in a final status, which Creatio does not let change again: opens
     * a follow-up case for the same contact with the messages, as Creatio does for an email on a
     * closed case. Its Id is derived from the closed case and the first message, so a retry finds it.
     *
     * @param closedCase the closed case's {@code Id,Number,Subject,ContactId}
     */
    public static CaseRef followUp(CreatioConnection connection, CaseRef closed, JsonNode closedCase,
                                   List<Activity> activities) {
        UUID closedId = guid(closed.id());
        UUID id = connection.deterministicId("follow-up", closedId + ":" + activities.get(0).externalId());
        String number = closedCase.path("Number").asText(closed.number());
        String subject = "Follow-up to " + number + ": " + closedCase.path("Subject").asText("");
        String description = "The customer wrote again after case " + number + " was closed.";
        Instant openedAt = activities.get(0).occurredAt();
        ObjectNode body = caseBody(connection, id, subject, description, openedAt);
        idText(connection.settings().defaultCaseOwnerId(), id2 -> body.put("OwnerId", id2));
        idText(connection.settings().defaultCaseGroupId(), id2 -> body.put("GroupId", id2));
        String contact = closedCase.path("ContactId").asText("");
        if (!contact.isEmpty() && !contact.equals(CreatioIds.EMPTY.toString())) {
            body.put("ContactId", contact);
        }
        return open(connection, id, body, new ContactPlan(null, null), activities);
    }

    private static CaseRef open(CreatioConnection connection, UUID id, ObjectNode body, ContactPlan contact,
                                List<Activity> activities) {
        ODataClient odata = connection.odata();
        CaseRef provisional = new CaseRef(id.toString(), "", connection.caseLink(id.toString()));
        JsonNode created;
        if (contact.toCreate() == null && activities.isEmpty()) {
            created = odata.insertOnce("Case", id, body, CASE_COLUMNS);
        } else {
            created = createInBatch(connection, id, body, contact, provisional, activities);
        }
        String number = created.path("Number").asText("");
        if (number.isEmpty()) {
            number = odata.get("Case(" + id + ")", Map.of("$select", CASE_COLUMNS)).path("Number").asText("");
        }
        return new CaseRef(id.toString(), number, connection.caseLink(id.toString()));
    }

    private static ObjectNode caseBody(CreatioConnection connection, UUID id, String subject, String description,
                                       Instant openedAt) {
        ObjectNode body = connection.odata().json().createObjectNode();
        body.put("Id", id.toString());
        body.put("Subject", truncate(subject.isBlank() ? "Chat conversation" : subject, SUBJECT_MAX));
        body.put("Symptoms", description);
        body.put("RegisteredOn", openedAt.toString());
        body.put("StatusId", CreatioIds.STATUS_NEW.toString());
        body.put("PriorityId", CreatioIds.PRIORITY_MEDIUM.toString());
        UUID origin = connection.settings().caseOriginId();
        body.put("OriginId", (origin != null ? origin : CreatioIds.ORIGIN_CHAT).toString());
        return body;
    }

    private static JsonNode createInBatch(CreatioConnection connection, UUID id, ObjectNode caseBody, ContactPlan contact,
                                          CaseRef caseRef, List<Activity> activities) {
        ODataClient odata = connection.odata();
        List<BatchRequest> requests = new ArrayList<>();
        if (contact.toCreate() != null) {
            requests.add(new BatchRequest("POST", "Contact", contact.toCreate()));
        }
        int caseIndex = requests.size();
        requests.add(new BatchRequest("POST", "Case", caseBody));
        List<ActivityWriter.PlannedInsert> inserts = new ArrayList<>();
        for (Activity activity : activities) {
            ActivityWriter.PlannedInsert insert = ActivityWriter.plan(connection, caseRef, activity);
            inserts.add(insert);
            requests.add(insert.request());
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
                connection.contactsByEmail().put(email.toLowerCase(Locale.ROOT), contact.id());
            }
        }
        for (int i = 0; i < inserts.size(); i++) {
            int answer = caseIndex + 1 + i;
            if (answer >= answers.size() || !answers.get(answer).succeeded()) {
                ActivityWriter.insertOnce(connection, id, inserts.get(i));
            }
        }
        return created;
    }

    /**
     * Sets the resolved status (the setting, else the site's status flagged IsResolved) with the
     * solution and the closure code (a ClosureCode name or Id). Repeating it writes the same values:
     * nothing changes. A closure code Creatio does not know is left out (and logged) rather than
     * failing the resolve.
     */
    public static void resolve(CreatioConnection connection, CaseRef caseRef, Resolution resolution) {
        ODataClient odata = connection.odata();
        ObjectNode body = odata.json().createObjectNode();
        body.put("StatusId", resolvedStatus(connection).toString());
        if (!resolution.solution().isBlank()) {
            body.put("Solution", resolution.solution());
        }
        Optional<UUID> code = closureCode(connection, resolution.closureCode());
        if (code.isPresent()) {
            body.put("ClosureCodeId", code.get().toString());
        } else if (resolution.closureCode() != null && !resolution.closureCode().isBlank()) {
            LOG.warn("Closure code '{}' is not one of Creatio's closure codes; resolving without it",
                    truncate(resolution.closureCode(), 60));
        }
        body.put("ClosureDate", resolution.resolvedAt().toString());
        odata.patch("Case(" + guid(caseRef.id()) + ")", body);
    }

    static UUID resolvedStatus(CreatioConnection connection) {
        UUID configured = connection.settings().resolvedStatusId();
        if (configured != null) {
            return configured;
        }
        Map<UUID, CreatioConnection.CaseStatus> statuses = connection.statuses(null);
        return statuses.values().stream().filter(CreatioConnection.CaseStatus::isResolved).findFirst()
                .or(() -> statuses.values().stream().filter(CreatioConnection.CaseStatus::isFinal).findFirst())
                .map(CreatioConnection.CaseStatus::id)
                .orElseThrow(() -> new PermanentException("No case status is flagged IsResolved in Creatio; "
                        + "set the Resolved Status ID"));
    }

    private static Optional<UUID> closureCode(CreatioConnection connection, String code) {
        if (code == null || code.isBlank()) {
            return Optional.empty();
        }
        List<CreatioConnection.LookupRow> rows = connection.lookup("ClosureCode");
        return rows.stream().filter(r -> r.id().toString().equalsIgnoreCase(code) || r.name().equalsIgnoreCase(code))
                .map(CreatioConnection.LookupRow::id).findFirst();
    }

    /** The contact a case links to, and the record to create first when it is new. */
    private record ContactPlan(UUID id, ObjectNode toCreate) {}

    /** The customer's contact: found by email, else planned with an Id derived from the email. */
    private static ContactPlan contactFor(CreatioConnection connection, CaseDraft draft) {
        Customer customer = draft.customer();
        String email = customer.email() == null ? "" : customer.email().trim();
        String name = customer.name() == null ? "" : customer.name().trim();
        if (email.isEmpty() && name.isEmpty()) {
            return new ContactPlan(null, null);
        }
        if (!email.isEmpty()) {
            UUID cached = connection.contactsByEmail().get(email.toLowerCase(Locale.ROOT));
            if (cached != null) {
                return new ContactPlan(cached, null);
            }
            List<JsonNode> found = connection.odata().list("Contact", Map.of(
                    "$filter", "Email eq " + ODataQuery.literal(email), "$select", "Id", "$top", "1"));
            if (!found.isEmpty()) {
                UUID id = UUID.fromString(found.get(0).path("Id").asText());
                connection.contactsByEmail().put(email.toLowerCase(Locale.ROOT), id);
                return new ContactPlan(id, null);
            }
        }
        String key = email.isEmpty() ? "conversation:" + draft.conversationId() : "email:" + email.toLowerCase(Locale.ROOT);
        UUID id = connection.deterministicId("contact", key);
        ObjectNode contact = connection.odata().json().createObjectNode();
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

    private static void idText(UUID id, Consumer<String> use) {
        if (id != null) {
            use.accept(id.toString());
        }
    }

    static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
