package com.helpdeskconnect.api.errors;

/** The credentials lack a permission the operation needs. */
public class PermissionDeniedException extends ConnectorException {
    private static final long serialVersionUID = 1L;

    public PermissionDeniedException(String message) {
        super(message, null);
    }

    public PermissionDeniedException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.PERMISSION_DENIED;
    }
}
