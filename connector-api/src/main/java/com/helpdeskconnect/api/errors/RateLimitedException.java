package com.helpdeskconnect.api.errors;

import java.time.Duration;
import java.util.Objects;

/** The helpdesk asked us to slow down. The host waits at least {@link #retryAfter()} before retrying. */
public class RateLimitedException extends ConnectorException {
    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;

    /** @param retryAfter how long to wait, from the helpdesk's {@code Retry-After}, or a guess */
    public RateLimitedException(String message, Duration retryAfter) {
        super(message, null);
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.RATE_LIMITED;
    }
}
