package com.helpdeskconnect.host.events;

import java.util.Arrays;
import java.util.Optional;

/** The conversation events the AI platform sends, by their wire names. */
public enum EventType {
    CUSTOMER_MESSAGE("customer_message"),
    AI_REPLY("ai_reply"),
    HANDOFF("handoff"),
    RESOLVED("resolved");

    private final String wire;

    EventType(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<EventType> fromWire(String name) {
        return Arrays.stream(values()).filter(t -> t.wire.equals(name)).findFirst();
    }
}
