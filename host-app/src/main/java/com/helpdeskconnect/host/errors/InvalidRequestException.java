package com.helpdeskconnect.host.errors;

import java.util.Map;

/** The request itself is malformed (an id that cannot be one, an option of the wrong type). */
public final class InvalidRequestException extends HostException {
    private static final long serialVersionUID = 1L;

    public InvalidRequestException(String message, Map<String, String> fields) {
        super(message, fields);
    }
}
