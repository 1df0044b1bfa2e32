package com.helpdeskconnect.zendesk.sandbox.limits;

/** A 429: Zendesk answers it as text/plain with {@code Retry-After} in seconds. */
public final class RateLimited extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long retryAfterSeconds;
    private final int limit;

    public RateLimited(String message, long retryAfterSeconds, int limit) {
        super(message);
        this.retryAfterSeconds = retryAfterSeconds;
        this.limit = limit;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** The limit that was hit, for {@code X-Rate-Limit}. */
    public int limit() {
        return limit;
    }
}
