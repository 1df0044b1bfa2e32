package com.helpdeskconnect.creatio.odata;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Reads an HTTP {@code Retry-After} header: seconds or an HTTP date. */
public final class RetryAfter {
    /** When a 429 or 503 gives no hint. */
    public static final Duration DEFAULT = Duration.ofSeconds(5);

    private RetryAfter() {}

    public static Duration parse(String header, Clock clock) {
        if (header == null || header.isBlank()) {
            return DEFAULT;
        }
        try {
            return Duration.ofSeconds(Math.max(1, Long.parseLong(header.trim())));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration d = Duration.between(clock.instant(),
                        ZonedDateTime.parse(header.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return d.isNegative() || d.isZero() ? Duration.ofSeconds(1) : d;
            } catch (DateTimeParseException notDate) {
                return DEFAULT;
            }
        }
    }
}
