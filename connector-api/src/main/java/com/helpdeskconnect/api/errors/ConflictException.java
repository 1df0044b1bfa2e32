package com.helpdeskconnect.api.errors;

/** The helpdesk refused the write because of the record's state. */
public class ConflictException extends ConnectorException {
    private static final long serialVersionUID = 1L;

    public ConflictException(String message) {
        super(message, null);
    }

    public ConflictException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.CONFLICT;
    }
}
