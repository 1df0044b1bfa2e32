package com.helpdeskconnect.host.errors;

import java.util.Map;

/** The helpdesk (or the host) could not answer now; the same request may work later. */
public final class HelpdeskUnavailableException extends HostException {
    private static final long serialVersionUID = 1L;

    /** Why: each is its own error code in answers. */
    public enum Reason {
        /** The connector reported a retryable failure (outage, rate limit). */
        HELPDESK_UNAVAILABLE,
        /** Verify did not finish within the host's bound. */
        VERIFY_TIMEOUT,
        /** The host is stopping. */
        VERIFY_INTERRUPTED
    }

    private final Reason reason;

    public HelpdeskUnavailableException(Reason reason, String message) {
        super(message, Map.of());
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
