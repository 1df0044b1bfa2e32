package com.helpdeskconnect.host.errors;

import java.util.Map;

/** An integration that cannot be saved as given; nothing was stored. The admin must change it. */
public final class IntegrationRejectedException extends HostException {
    private static final long serialVersionUID = 1L;

    /** Why: each is its own error code in answers. */
    public enum Reason {
        /** No loaded connector has the id. */
        UNKNOWN_CONNECTOR,
        /** Settings (or options) do not bind or validate. */
        INVALID_SETTINGS,
        /** A secret sent back masked may not be kept: a setting it is bound to changed. */
        SECRET_REQUIRED,
        /** A URL the host would call is refused by the outbound policy. */
        OUTBOUND_DENIED,
        /** The connector's verify said the settings do not work. */
        VERIFICATION_FAILED
    }

    private final Reason reason;

    public IntegrationRejectedException(Reason reason, String message, Map<String, String> fields) {
        super(message, fields);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
