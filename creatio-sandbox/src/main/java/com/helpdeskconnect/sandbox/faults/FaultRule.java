package com.helpdeskconnect.sandbox.faults;

import com.helpdeskconnect.sandbox.support.FaultSchedule;
import java.time.Duration;
import java.util.Locale;

/**
 * One fault to inject into matching requests. Build with {@link #on(String, String)}:
 *
 * <pre>{@code
 * FaultRule.on("POST", "/0/odata/Case").status(503).times(2)
 * FaultRule.on("*", "/0/odata").latency(Duration.ofMillis(200), Duration.ofMillis(50)).withProbability(0.3)
 * FaultRule.on("*", "/connect/token").tooManyRequests(Duration.ofSeconds(2)).times(1)
 * FaultRule.on("POST", "/0/odata").loseAnswer().times(1)   // the write lands, its answer does not
 * }</pre>
 *
 * @param method an HTTP method or {@code *}
 * @param pathPrefix matched per segment: {@code /0/odata/Case} matches {@code /0/odata/Case(…)} but
 *     not {@code /0/odata/CaseStatus}
 * @param times how many matching requests get the fault; -1 for all
 * @param probability chance that a matching request gets it, drawn from the sandbox's seeded random
 */
public record FaultRule(String method, String pathPrefix, Kind kind, int status, Duration latency, Duration jitter,
        Duration retryAfter, int chunkBytes, Duration chunkPause, int times, double probability)
        implements FaultSchedule.Rule {

    public enum Kind {
        /** Waits {@code latency} plus up to {@code jitter} before handling. */
        LATENCY,
        /** Answers {@code status} (a 5xx) with an OData error body instead of handling. */
        STATUS,
        /** Answers 429 with {@code Retry-After: retryAfter} seconds. */
        TOO_MANY_REQUESTS,
        /** Resets the TCP connection without answering. */
        CONNECTION_RESET,
        /** Revokes the request's bearer token before it is checked, so it fails with 401 early. */
        REVOKE_TOKEN,
        /** Handles normally but writes the body {@code chunkBytes} at a time, pausing {@code chunkPause}. */
        SLOW_BODY,
        /**
         * Handles normally (a write lands) and then resets the connection instead of answering: the
         * client sees an I/O failure after the change was made.
         */
        LOSE_ANSWER
    }

    public static Target on(String method, String pathPrefix) {
        return new Target(method.toUpperCase(Locale.ROOT), pathPrefix);
    }

    /** Applies only to the next {@code count} matching requests. */
    public FaultRule times(int count) {
        return new FaultRule(method, pathPrefix, kind, status, latency, jitter, retryAfter, chunkBytes, chunkPause,
                count, probability);
    }

    /** Applies to each matching request with this chance (0..1). */
    public FaultRule withProbability(double chance) {
        return new FaultRule(method, pathPrefix, kind, status, latency, jitter, retryAfter, chunkBytes, chunkPause,
                times, chance);
    }

    @Override
    public boolean matches(String requestMethod, String path) {
        if (!method.equals("*") && !method.equalsIgnoreCase(requestMethod)) {
            return false;
        }
        if (!path.startsWith(pathPrefix)) {
            return false;
        }
        if (path.length() == pathPrefix.length() || pathPrefix.endsWith("/") || pathPrefix.endsWith("(")) {
            return true;
        }
        char next = path.charAt(pathPrefix.length());
        return next == '/' || next == '(';
    }

    /** The requests a rule is about, waiting for its fault. */
    public record Target(String method, String pathPrefix) {
        public FaultRule latency(Duration fixed, Duration jitter) {
            return rule(Kind.LATENCY, 0, fixed, jitter, Duration.ZERO, 0, Duration.ZERO);
        }

        public FaultRule status(int httpStatus) {
            return rule(Kind.STATUS, httpStatus, Duration.ZERO, Duration.ZERO, Duration.ZERO, 0, Duration.ZERO);
        }

        public FaultRule tooManyRequests(Duration retryAfter) {
            return rule(Kind.TOO_MANY_REQUESTS, 429, Duration.ZERO, Duration.ZERO, retryAfter, 0, Duration.ZERO);
        }

        public FaultRule resetConnection() {
            return rule(Kind.CONNECTION_RESET, 0, Duration.ZERO, Duration.ZERO, Duration.ZERO, 0, Duration.ZERO);
        }

        public FaultRule loseAnswer() {
            return rule(Kind.LOSE_ANSWER, 0, Duration.ZERO, Duration.ZERO, Duration.ZERO, 0, Duration.ZERO);
        }

        public FaultRule revokeToken() {
            return rule(Kind.REVOKE_TOKEN, 0, Duration.ZERO, Duration.ZERO, Duration.ZERO, 0, Duration.ZERO);
        }

        public FaultRule slowBody(int chunkBytes, Duration chunkPause) {
            return rule(Kind.SLOW_BODY, 0, Duration.ZERO, Duration.ZERO, Duration.ZERO, chunkBytes, chunkPause);
        }

        private FaultRule rule(Kind kind, int status, Duration latency, Duration jitter, Duration retryAfter,
                int chunkBytes, Duration chunkPause) {
            return new FaultRule(method, pathPrefix, kind, status, latency, jitter, retryAfter, chunkBytes,
                    chunkPause, -1, 1.0);
        }
    }
}
