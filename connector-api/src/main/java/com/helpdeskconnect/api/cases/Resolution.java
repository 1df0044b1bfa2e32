package com.helpdeskconnect.api.cases;

import java.time.Instant;
import java.util.Objects;

/**
 * How a conversation was resolved.
 *
 * @param solution    the solution text for the case; may be empty
 * @param closureCode the helpdesk's closure code name or id; null for the helpdesk's default
 * @param resolvedAt  when it was resolved
 */
public record Resolution(String solution, String closureCode, Instant resolvedAt) {

    public Resolution {
        solution = solution == null ? "" : solution;
        Objects.requireNonNull(resolvedAt, "resolvedAt");
    }

    public static Resolution of(String solution) {
        return new Resolution(solution, null, Instant.now());
    }
}
