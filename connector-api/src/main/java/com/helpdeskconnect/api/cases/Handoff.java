package com.helpdeskconnect.api.cases;

import java.util.Objects;

/**
 * What the AI hands over when a human takes the conversation.
 *
 * @param summary the AI's summary, appended to the case as a {@link Direction#SYSTEM} activity;
 *                its external id is the idempotency key of the handoff
 * @param ownerId helpdesk id of the agent to assign; null to keep the case's owner
 * @param groupId helpdesk id of the group to assign; null to keep the case's group
 * @param fields  AI-extracted field values; may be empty
 */
public record Handoff(Activity summary, String ownerId, String groupId, FieldValues fields) {

    public Handoff {
        Objects.requireNonNull(summary, "summary");
        fields = fields == null ? FieldValues.of(java.util.Map.of()) : fields;
    }
}
