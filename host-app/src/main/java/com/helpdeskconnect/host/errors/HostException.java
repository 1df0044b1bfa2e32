package com.helpdeskconnect.host.errors;

import java.util.Map;

/**
 * Something the host refuses or cannot do, in its own terms (not HTTP's): services throw subclasses,
 * and one mapper in {@code http} turns each into an answer. Messages are for admins and never carry
 * a secret; {@link #fields()} names the inputs to fix.
 */
public abstract class HostException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Map<String, String> fields;

    protected HostException(String message, Map<String, String> fields) {
        super(message, null, false, false);
        this.fields = Map.copyOf(fields);
    }

    /** Input name to what is wrong with it; empty when no single input is to blame. */
    public Map<String, String> fields() {
        return fields;
    }
}
