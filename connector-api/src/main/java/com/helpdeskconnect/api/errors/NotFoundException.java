package com.helpdeskconnect.api.errors;

/** A record the operation needs does not exist in the helpdesk. */
public class NotFoundException extends ConnectorException {
    private static final long serialVersionUID = 1L;

    public NotFoundException(String message) {
        super(message, null);
    }

    public NotFoundException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.NOT_FOUND;
    }
}
