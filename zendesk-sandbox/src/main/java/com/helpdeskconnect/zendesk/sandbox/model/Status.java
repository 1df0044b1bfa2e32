package com.helpdeskconnect.zendesk.sandbox.model;

import java.util.Locale;
import java.util.Optional;

/** The six system ticket statuses; each also stands for the custom status of the same category. */
public enum Status {
    NEW(1), OPEN(2), PENDING(3), HOLD(4), SOLVED(5), CLOSED(6);

    private final long customStatusId;

    Status(long customStatusId) {
        this.customStatusId = customStatusId;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The {@code custom_status_id} of the account's default custom status in this category. */
    public long customStatusId() {
        return 17_000_000_000L + customStatusId;
    }

    public static Optional<Status> parse(String text) {
        for (Status status : values()) {
            if (status.wire().equals(text)) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
    }
}
