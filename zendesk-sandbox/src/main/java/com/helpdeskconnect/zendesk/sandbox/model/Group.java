package com.helpdeskconnect.zendesk.sandbox.model;

import java.time.Instant;

/** A group of agents tickets are routed to. */
public record Group(long id, String name, String description, boolean isDefault, Instant createdAt) {
}
