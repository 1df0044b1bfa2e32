package com.helpdeskconnect.zendesk.http;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Reads an HTTP {@code Retry-After} header: seconds or an HTTP date. */
public final class RetryAfter {
    /**
     * When a 429 gives no usable hint: Zendesk always sends one, so this is a fallback; 60 s is what
     * Zendesk's Java client waits ({@code ZendeskResponseRateLimitException.DEFAULT_RETRY_AFTER}).
     */
    public static final Duration DEFAULT = Duration.ofSeconds(60);

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
