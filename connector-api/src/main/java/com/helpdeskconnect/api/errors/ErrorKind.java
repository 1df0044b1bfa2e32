package com.helpdeskconnect.api.errors;

/** What went wrong, as far as the host needs to know to act on it. */
public enum ErrorKind {
    /** Settings are malformed; per-field messages say which. The admin must fix them. */
    INVALID_SETTINGS(false),
    /** The helpdesk refused the credentials (also after one token refresh). */
    INVALID_CREDENTIALS(false),
    /** The credentials are fine but lack a permission the operation needs. */
    PERMISSION_DENIED(false),
    /** A record the operation needs does not exist (a case deleted in the helpdesk, a wrong id). */
    NOT_FOUND(false),
    /** The helpdesk refused the write because of the record's state. */
    CONFLICT(false),
    /** The helpdesk asked us to slow down; retry after the given delay. */
    RATE_LIMITED(true),
    /** Outage, timeout, 5xx or I/O: the same call may succeed later. */
    TRANSIENT(true),
    /** Anything else the helpdesk will keep refusing. */
    PERMANENT(false),
    /** A webhook call that is not from the helpdesk (missing or wrong secret). */
    WEBHOOK_UNAUTHENTICATED(false);

    private final boolean retryable;

    ErrorKind(boolean retryable) {
        this.retryable = retryable;
    }

    /** Whether calling again with the same input may succeed. */
    public boolean retryable() {
        return retryable;
    }
}
