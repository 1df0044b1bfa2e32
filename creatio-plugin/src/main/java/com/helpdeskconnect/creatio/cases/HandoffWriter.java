package com.helpdeskconnect.creatio.cases;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.helpdeskconnect.api.cases.Activity;
import com.helpdeskconnect.api.cases.CaseRef;
import com.helpdeskconnect.api.cases.FillResult;
import com.helpdeskconnect.api.cases.Handoff;
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
 * A handoff in one round trip: the summary and one PATCH of the case (owner, group and the
 * AI-filled fields) in a single {@code $batch}, continue-on-error so a summary written by an
 * earlier try does not stop the assignment. The summary is for agents: always an internal note.
 */
public final class HandoffWriter {
    private HandoffWriter() {}

    public static FillResult handOff(CreatioConnection connection, CaseRef caseRef, Handoff handoff) {
        UUID caseId = CaseWriter.guid(caseRef.id());
        ActivityWriter.PlannedInsert summary = ActivityWriter.plan(connection, caseRef, internal(handoff.summary()));
        FieldFiller.Plan fields = FieldFiller.plan(connection, handoff.fields());
        ObjectNode patch = fields.patch();
        if (handoff.ownerId() != null) {
            patch.put("OwnerId", CaseWriter.guid(handoff.ownerId()).toString());
        }
        if (handoff.groupId() != null) {
            patch.put("GroupId", CaseWriter.guid(handoff.groupId()).toString());
        }
        List<BatchRequest> requests = new ArrayList<>();
        requests.add(new BatchRequest("POST", summary.collection(), summary.body()));
        if (!patch.isEmpty()) {
            requests.add(new BatchRequest("PATCH", "Case(" + caseId + ")", patch));
        }
        List<BatchResponse> answers = connection.odata().batch(requests, true);
        BatchResponse written = answers.get(0);
        if (!written.succeeded() && !summary.alreadyWritten(connection.odata())) {
            throw written.failure("the summary insert");
        }
        if (answers.size() > 1 && !answers.get(1).succeeded()) {
            BatchResponse patched = answers.get(1);
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
