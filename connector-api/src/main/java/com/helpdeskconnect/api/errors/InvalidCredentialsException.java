package com.helpdeskconnect.api.errors;

/** The helpdesk refused the credentials, also after a token refresh. */
public class InvalidCredentialsException extends ConnectorException {
    private static final long serialVersionUID = 1L;

    public InvalidCredentialsException(String message) {
        super(message, null);
    }

    public InvalidCredentialsException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.INVALID_CREDENTIALS;
    }
}
