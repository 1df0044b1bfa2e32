package com.helpdeskconnect.zendesk.cases;

import com.helpdeskconnect.api.errors.TransientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Zendesk's Update Ticket limit: 30 updates per ticket per user in 10 minutes (reference §7).
 * The connection counts its own updates per ticket and stops short of the limit instead of
 * collecting Zendesk's 429, which would pause the whole integration. A refused update is a
 * {@link TransientException}: only that conversation waits, and the host then sends its messages
 * due by then together, in one update.
 */
public final class UpdateBudget {
    public static final int UPDATES = 30;
    public static final Duration WINDOW = Duration.ofMinutes(10);
    private static final int TICKETS_TRACKED = 10_000;

    private final Clock clock;
    private final int updates;
    private final Duration window;
    private final Map<Long, Deque<Instant>> recent = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Deque<Instant>> eldest) {
            return size() > TICKETS_TRACKED;
        }
    };

    /** Zendesk's limit, {@value #UPDATES} updates per {@link #WINDOW}. */
    public static UpdateBudget zendesk(Clock clock) {
        return new UpdateBudget(clock, UPDATES, WINDOW);
    }

    public UpdateBudget(Clock clock, int updates, Duration window) {
        this.clock = clock;
        this.updates = updates;
        this.window = window;
    }

    /** Takes one update of the ticket's budget, or throws when it is spent. */
    public synchronized void take(long ticketId) {
        Instant now = clock.instant();
        Deque<Instant> times = recent.computeIfAbsent(ticketId, id -> new ArrayDeque<>());
        while (!times.isEmpty() && !times.peekFirst().isAfter(now.minus(window))) {
            times.pollFirst();
        }
        if (times.size() >= updates) {
            Duration wait = Duration.between(now, times.peekFirst().plus(window));
            throw new TransientException("Zendesk allows " + updates + " updates of one ticket in "
                    + window.toMinutes() + " minutes and ticket " + ticketId + " has had them; its next messages "
                    + "go out together in about " + Math.max(1, wait.toSeconds()) + " s");
        }
        times.addLast(now);
    }
}
