package com.helpdeskconnect.host.errors;

import java.util.Map;

/** What the request names does not exist (or is not the caller's to see). */
public final class ResourceNotFoundException extends HostException {
    private static final long serialVersionUID = 1L;

    public ResourceNotFoundException(String message) {
        super(message, Map.of());
    }
}
