package com.helpdeskconnect.host.storage.queue;

import java.util.List;

/**
 * The three queues that share one implementation ({@link WorkQueue}): what differs between them
 * is only which rows keep their order behind each other and whether a rate-limited integration
 * holds them back. Each table has the same queue columns (state, attempts, calls, next_attempt_at,
 * first_attempt_at, last_error, lease_owner, lease_until); its payload columns are its own.
 */
public enum QueueTable {
    /** Helpdesk operations: in order per conversation; a parked row holds back the rows behind it. */
    OUTBOX("outbox", true, "'PENDING', 'PARKED'", true, "completed_at"),
    /**
     * Authenticated webhook calls: in order per integration (an agent's reply is never overtaken by
     * the case's closing); a parked call does not hold back the others.
     */
    WEBHOOK_INBOX("webhook_inbox", false, "'PENDING'", true, "completed_at"),
    /** Signed POSTs to the callback URL: in order per conversation; they go to the AI platform, not the helpdesk. */
    CALLBACK_OUTBOX("callback_outbox", true, "'PENDING'", false, "delivered_at");

    /** Every queue table, for the work that spans them (handing leases back). */
    public static final List<QueueTable> ALL = List.of(values());

    private final String table;
    private final boolean perConversation;
    private final String blockingStates;
    private final boolean pausedWithIntegration;
    private final String doneAt;

    QueueTable(String table, boolean perConversation, String blockingStates, boolean pausedWithIntegration, String doneAt) {
        this.table = table;
        this.perConversation = perConversation;
        this.blockingStates = blockingStates;
        this.pausedWithIntegration = pausedWithIntegration;
        this.doneAt = doneAt;
    }

    public String table() {
        return table;
    }

    /** Rows keep their order per conversation (true) or per integration (false). */
    boolean perConversation() {
        return perConversation;
    }

    /** States of an older row that hold back the rows behind it, as a SQL list. */
    String blockingStates() {
        return blockingStates;
    }

    /** Nothing of an integration the helpdesk rate-limited is claimed before its pause ends. */
    boolean pausedWithIntegration() {
        return pausedWithIntegration;
    }

    /** The column that records when a row was done. */
    String doneAt() {
        return doneAt;
    }
}
