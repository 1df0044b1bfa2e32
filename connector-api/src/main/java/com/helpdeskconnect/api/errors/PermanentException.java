package com.helpdeskconnect.api.errors;

/** A failure the helpdesk will keep answering the same way. */
public class PermanentException extends ConnectorException {
    private static final long serialVersionUID = 1L;

    public PermanentException(String message) {
        super(message, null);
    }

    public PermanentException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.PERMANENT;
    }
}
