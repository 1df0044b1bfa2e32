package com.helpdeskconnect.host.http;

import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * The shapes the API accepts for client-chosen ids and times. Conversation and event ids:
 * {@value #PATTERN_TEXT} (letters, digits, '.', '_', ':', '-'; 1 to 128 characters), enough for
 * UUIDs, ULIDs and prefixed ids, and safe in paths, logs and SQL. Event times: from
 * {@link #EARLIEST} to one day after now (a clock a little ahead is fine, the year 1000000000 is not).
 */
public final class Ids {
    public static final String PATTERN_TEXT = "[A-Za-z0-9._:-]{1,128}";
    public static final String RULE = "must be 1-128 letters, digits, '.', '_', ':' or '-'";
    private static final Pattern PATTERN = Pattern.compile(PATTERN_TEXT);

    public static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    public static final Duration MAX_AHEAD = Duration.ofDays(1);

    private Ids() {}

    public static boolean valid(String id) {
        return id != null && PATTERN.matcher(id).matches();
    }

    /** Whether an event time is inside the window the host stores. */
    public static boolean plausible(Instant at, Instant now) {
        return !at.isBefore(EARLIEST) && !at.isAfter(now.plus(MAX_AHEAD));
    }
}
