package com.helpdeskconnect.zendesk.sandbox.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A ticket's current state. The {@link Desk} owns the live instances and hands out copies, so a
 * caller never sees a ticket change under it.
 */
public final class Ticket {
    long id;
    String subject;
    String description;
    Status status = Status.NEW;
    String priority;
    String type;
    long requesterId;
    long submitterId;
    Long assigneeId;
    Long groupId;
    String externalId;
    List<String> tags = new ArrayList<>();
    Map<Long, Object> customFields = new LinkedHashMap<>();
    Long followupSourceId;
    List<Long> followupIds = new ArrayList<>();
    String channel;
    Instant createdAt;
    Instant updatedAt;

    Ticket() {
    }

    Ticket copy() {
        Ticket copy = new Ticket();
        copy.id = id;
        copy.subject = subject;
        copy.description = description;
        copy.status = status;
        copy.priority = priority;
        copy.type = type;
        copy.requesterId = requesterId;
        copy.submitterId = submitterId;
        copy.assigneeId = assigneeId;
        copy.groupId = groupId;
        copy.externalId = externalId;
        copy.tags = new ArrayList<>(tags);
        copy.customFields = new LinkedHashMap<>(customFields);
        copy.followupSourceId = followupSourceId;
        copy.followupIds = new ArrayList<>(followupIds);
        copy.channel = channel;
        copy.createdAt = createdAt;
        copy.updatedAt = updatedAt;
        return copy;
    }

    public long id() {
        return id;
    }

    public String subject() {
        return subject;
    }

    /** The first comment's text. */
    public String description() {
        return description;
    }

    public Status status() {
        return status;
    }

    public String priority() {
        return priority;
    }

    public String type() {
        return type;
    }

    public long requesterId() {
        return requesterId;
    }

    public long submitterId() {
        return submitterId;
    }

    public Long assigneeId() {
        return assigneeId;
    }

    public Long groupId() {
        return groupId;
    }

    public String externalId() {
        return externalId;
    }

    public List<String> tags() {
        return List.copyOf(tags);
    }

    /** Custom field values set so far, by field id (unset fields are absent). */
    public Map<Long, Object> customFields() {
        return java.util.Collections.unmodifiableMap(customFields);
    }

    /** The closed ticket this one follows up, or null. */
    public Long followupSourceId() {
        return followupSourceId;
    }

    public List<Long> followupIds() {
        return List.copyOf(followupIds);
    }

    /** {@code via.channel} of the ticket's creation. */
    public String channel() {
        return channel;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }
}
