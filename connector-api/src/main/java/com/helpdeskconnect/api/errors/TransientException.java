package com.helpdeskconnect.api.errors;

/** Outage, timeout, 5xx or I/O trouble: the same call may succeed later. */
public class TransientException extends ConnectorException {
    private static final long serialVersionUID = 1L;

    public TransientException(String message) {
        super(message, null);
    }

    public TransientException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.TRANSIENT;
    }
}
