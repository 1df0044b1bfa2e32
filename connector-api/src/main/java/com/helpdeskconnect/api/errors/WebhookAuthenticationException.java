package com.helpdeskconnect.api.errors;

/** A webhook call that did not prove it comes from the helpdesk; the host answers 401 and stores nothing. */
public class WebhookAuthenticationException extends ConnectorException {
    private static final long serialVersionUID = 1L;

    public WebhookAuthenticationException(String message) {
        super(message, null);
    }

    public WebhookAuthenticationException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.WEBHOOK_UNAUTHENTICATED;
    }
}
