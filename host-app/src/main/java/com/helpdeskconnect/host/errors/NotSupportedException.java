package com.helpdeskconnect.host.errors;

import java.util.Map;

/** The integration's connector does not declare the capability a request needs. */
public final class NotSupportedException extends HostException {
    private static final long serialVersionUID = 1L;

    public NotSupportedException(String message) {
        super(message, Map.of());
    }
}
