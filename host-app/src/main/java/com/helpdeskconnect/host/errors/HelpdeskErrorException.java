package com.helpdeskconnect.host.errors;

import java.util.Map;

/** The helpdesk refused or failed a read the request needed; {@link #retryable()} says whether to try again. */
public final class HelpdeskErrorException extends HostException {
    private static final long serialVersionUID = 1L;

    private final boolean retryable;

    public HelpdeskErrorException(String message, boolean retryable) {
        super(message, Map.of());
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
