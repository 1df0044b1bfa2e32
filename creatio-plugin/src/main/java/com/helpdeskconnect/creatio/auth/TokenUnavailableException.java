package com.helpdeskconnect.creatio.auth;

import com.helpdeskconnect.api.errors.ConnectorException;
import java.io.IOException;

/** Carries a token failure through OkHttp's interceptor chain, which only lets IOExceptions pass. */
public final class TokenUnavailableException extends IOException {
    private static final long serialVersionUID = 1L;

    public TokenUnavailableException(ConnectorException cause) {
        super(cause.getMessage(), cause);
    }

    public ConnectorException connectorException() {
        return (ConnectorException) getCause();
    }
}
