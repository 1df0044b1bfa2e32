package com.helpdeskconnect.zendesk.sandbox.limits;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Zendesk's rate limits on the sandbox clock:
 * <ul>
 *   <li>account: requests per minute over the whole API (Enterprise: 700);</li>
 *   <li>Update Ticket endpoint: requests per minute per account (100);</li>
 *   <li>one ticket: updates per user per ticket in a rolling window (30 per 10 minutes).</li>
 * </ul>
 * Minute limits use fixed windows starting on the minute; {@code Retry-After} is the wait until the
 * next window (or until the oldest update leaves the rolling window), at least one second.
 */
public final class RateLimits {
    public static final int DEFAULT_ACCOUNT_PER_MINUTE = 700;
    public static final int DEFAULT_UPDATE_TICKET_PER_MINUTE = 100;
    public static final int DEFAULT_TICKET_UPDATES = 30;
    public static final Duration DEFAULT_TICKET_WINDOW = Duration.ofMinutes(10);

    private final Clock clock;
    private int accountPerMinute = DEFAULT_ACCOUNT_PER_MINUTE;
    private int updateTicketPerMinute = DEFAULT_UPDATE_TICKET_PER_MINUTE;
    private int ticketUpdates = DEFAULT_TICKET_UPDATES;
    private Duration ticketWindow = DEFAULT_TICKET_WINDOW;

    private long accountMinute = -1;
    private int accountUsed;
    private long updateMinute = -1;
    private int updateUsed;
    private final Map<String, Deque<Instant>> ticketUpdatesByUser = new HashMap<>();

    public RateLimits(Clock clock) {
        this.clock = clock;
    }

    public synchronized RateLimits accountPerMinute(int limit) {
        this.accountPerMinute = limit;
        return this;
    }

    public synchronized RateLimits updateTicketPerMinute(int limit) {
        this.updateTicketPerMinute = limit;
        return this;
    }

    public synchronized RateLimits ticketUpdates(int limit, Duration window) {
        this.ticketUpdates = limit;
        this.ticketWindow = window;
        return this;
    }

    public synchronized int accountPerMinute() {
        return accountPerMinute;
    }

    /** Counts one API request against the account; throws when over the limit. */
    public synchronized int takeAccountRequest() {
        Instant now = clock.instant();
        long minute = now.getEpochSecond() / 60;
        if (minute != accountMinute) {
            accountMinute = minute;
            accountUsed = 0;
        }
        if (accountUsed >= accountPerMinute) {
            throw new RateLimited("Number of allowed API requests per minute exceeded", secondsToNextMinute(now),
                    accountPerMinute);
        }
        accountUsed++;
        return accountPerMinute - accountUsed;
    }

    /** Counts one Update Ticket request of {@code userId} on {@code ticketId}; throws when over a limit. */
    public synchronized void takeTicketUpdate(long userId, long ticketId) {
        Instant now = clock.instant();
        long minute = now.getEpochSecond() / 60;
        if (minute != updateMinute) {
            updateMinute = minute;
            updateUsed = 0;
        }
        if (updateUsed >= updateTicketPerMinute) {
            throw new RateLimited("Number of allowed ticket update requests per minute exceeded",
                    secondsToNextMinute(now), updateTicketPerMinute);
        }
        Deque<Instant> recent = ticketUpdatesByUser.computeIfAbsent(userId + ":" + ticketId, k -> new ArrayDeque<>());
        while (!recent.isEmpty() && !recent.peekFirst().plus(ticketWindow).isAfter(now)) {
            recent.removeFirst();
        }
        if (recent.size() >= ticketUpdates) {
            long wait = Duration.between(now, recent.peekFirst().plus(ticketWindow)).toMillis();
            throw new RateLimited("You have exceeded the rate limit for updating this ticket. Please wait and try "
                    + "again.", Math.max(1, (wait + 999) / 1000), ticketUpdates);
        }
        recent.addLast(now);
        updateUsed++;
    }

    public synchronized void clear() {
        accountMinute = -1;
        updateMinute = -1;
        ticketUpdatesByUser.clear();
    }

    private static long secondsToNextMinute(Instant now) {
        return Math.max(1, 60 - now.getEpochSecond() % 60);
    }
}
