package com.helpdeskconnect.creatio.cases;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.helpdeskconnect.api.cases.Activity;
import com.helpdeskconnect.api.cases.CaseRef;
import com.helpdeskconnect.api.cases.Direction;
import com.helpdeskconnect.api.cases.FillResult;
import com.helpdeskconnect.api.cases.Handoff;
import com.helpdeskconnect.api.cases.HandoffResult;
import com.helpdeskconnect.api.cases.Visibility;
import com.helpdeskconnect.api.errors.ConnectorException;
import com.helpdeskconnect.api.errors.ErrorKind;
import com.helpdeskconnect.creatio.CreatioConnection;
import com.helpdeskconnect.creatio.fields.FieldFiller;
import com.helpdeskconnect.creatio.odata.BatchRequest;
import com.helpdeskconnect.creatio.odata.BatchResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A handoff in one round trip: the messages due with it (SPI 2.1 {@code appendAndHandOff}), the
 * summary and one PATCH of the case (owner, group and the AI-filled fields) in a single
 * {@code $batch}, continue-on-error so a record written by an earlier try does not stop the rest.
 * Every record has the Id {@link ActivityWriter} derives from the case and its external id, so a
 * retry finds its first write. The summary is for agents: always an internal note.
 */
public final class HandoffWriter {
    private HandoffWriter() {}

    public static FillResult handOff(CreatioConnection connection, CaseRef caseRef, Handoff handoff) {
        return handOff(connection, caseRef, List.of(), handoff);
    }

    /**
     * The messages, then the handoff. Messages of the AI (the usual reply right before a handoff) go
     * in the handoff's {@code $batch}. A customer message may reopen the case or move the conversation
     * to a follow-up case, which only the case's status (read with the messages) decides: those
     * messages are appended first, as {@link ActivityWriter#append} does, and the handoff follows them
     * to the case they landed on (one round trip more).
     */
    public static HandoffResult appendAndHandOff(CreatioConnection connection, CaseRef caseRef, List<Activity> activities,
                                                 Handoff handoff) {
        if (activities.stream().anyMatch(a -> a.direction() == Direction.CUSTOMER)) {
            CaseRef landed = ActivityWriter.append(connection, caseRef, activities);
            return new HandoffResult(landed, handOff(connection, landed, List.of(), handoff));
        }
        return new HandoffResult(caseRef, handOff(connection, caseRef, activities, handoff));
    }

    private static FillResult handOff(CreatioConnection connection, CaseRef caseRef, List<Activity> before,
                                      Handoff handoff) {
        UUID caseId = CaseWriter.guid(caseRef.id());
        List<ActivityWriter.PlannedInsert> messages = before.stream().map(a -> ActivityWriter.plan(connection, caseRef, a))
                .toList();
        ActivityWriter.PlannedInsert summary = ActivityWriter.plan(connection, caseRef, internal(handoff.summary()));
        FieldFiller.Plan fields = FieldFiller.plan(connection, handoff.fields());
        ObjectNode patch = fields.patch();
        if (handoff.ownerId() != null) {
            patch.put("OwnerId", CaseWriter.guid(handoff.ownerId()).toString());
        }
        if (handoff.groupId() != null) {
            patch.put("GroupId", CaseWriter.guid(handoff.groupId()).toString());
        }
        List<BatchRequest> requests = new ArrayList<>(messages.stream().map(ActivityWriter.PlannedInsert::request).toList());
        requests.add(new BatchRequest("POST", summary.collection(), summary.body()));
        if (!patch.isEmpty()) {
            requests.add(new BatchRequest("PATCH", "Case(" + caseId + ")", patch));
        }
        List<BatchResponse> answers = connection.odata().batch(requests, true);
        for (int i = 0; i < messages.size(); i++) {
            if (!answers.get(i).succeeded()) {
                ActivityWriter.insertOnce(connection, caseId, messages.get(i));
            }
        }
        BatchResponse written = answers.get(messages.size());
        if (!written.succeeded() && !summary.alreadyWritten(connection.odata())) {
            throw written.failure("the summary insert");
        }
        int update = messages.size() + 1;
        if (answers.size() > update && !answers.get(update).succeeded()) {
            BatchResponse patched = answers.get(update);
            ConnectorException error = patched.failure("the case update");
            if (error.kind() != ErrorKind.PERMANENT) {
                throw error;
            }
            // a refused value must not cost the assignment: assign, then write the fields one by one
            ObjectNode assignment = connection.odata().json().createObjectNode();
            for (String column : new String[] {"OwnerId", "GroupId"}) {
                if (handoff.ownerId() != null && column.equals("OwnerId") || handoff.groupId() != null && column.equals("GroupId")) {
                    assignment.set(column, patch.get(column));
                }
            }
            if (!assignment.isEmpty()) {
                connection.odata().patch("Case(" + caseId + ")", assignment);
            }
            return FieldFiller.oneByOne(connection, caseRef, fields);
        }
        return fields.result();
    }

    private static Activity internal(Activity summary) {
        return summary.visibility() == Visibility.INTERNAL ? summary : new Activity(summary.externalId(),
                summary.direction(), summary.author(), summary.text(), summary.occurredAt(), Visibility.INTERNAL);
    }
}
