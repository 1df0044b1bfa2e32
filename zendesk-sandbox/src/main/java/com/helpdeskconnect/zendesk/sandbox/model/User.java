package com.helpdeskconnect.zendesk.sandbox.model;

import java.time.Instant;
import java.util.List;

/**
 * A Zendesk user: an admin or agent (staff) or an end user (a requester).
 *
 * @param groupIds the groups an agent belongs to; empty for end users
 * @param defaultGroupId the agent's default group, or null
 */
public record User(long id, String name, String email, Role role, List<Long> groupIds, Long defaultGroupId,
        String externalId, Instant createdAt) {

    public User {
        groupIds = List.copyOf(groupIds);
    }

    public boolean isStaff() {
        return role.isStaff();
    }
}
