package com.helpdeskconnect.zendesk.sandbox.model;

import java.util.Locale;

/** A Zendesk user's role, as the {@code role} property spells it. */
public enum Role {
    ADMIN("admin"),
    AGENT("agent"),
    END_USER("end-user");

    private final String wire;

    Role(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** Agents and admins may work tickets; end users may not. */
    public boolean isStaff() {
        return this != END_USER;
    }

    public static Role parse(String text) {
        for (Role role : values()) {
            if (role.wire.equals(text.toLowerCase(Locale.ROOT))) {
                return role;
            }
        }
        throw new IllegalArgumentException("Unknown role '" + text + "' (admin, agent, end-user)");
    }
}
