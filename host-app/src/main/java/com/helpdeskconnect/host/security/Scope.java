package com.helpdeskconnect.host.security;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a credential may do. An API key holds one or more; the bootstrap admin token holds {@link #ADMIN}. */
public enum Scope {
    /** Everything, on every integration: API keys, the audit log, metrics, all integrations. */
    ADMIN("admin"),
    /** Save, read, delete the key's integrations; their webhooks log; retry their parked work. */
    INTEGRATIONS_ADMIN("integrations:admin"),
    /** Post conversation events to the key's integrations. */
    EVENTS_WRITE("events:write"),
    /** Read the key's integrations' conversations, open their streams, issue chat links. */
    CONVERSATIONS_READ("conversations:read"),
    /** Scrape {@code /metrics}. */
    METRICS_READ("metrics:read");

    private final String wire;

    Scope(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<Scope> fromWire(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(s -> s.wire.equals(v)).findFirst();
    }

    /** The accepted names, for error messages. */
    public static String names() {
        return String.join(", ", Arrays.stream(values()).map(Scope::wire).toList());
    }
}
