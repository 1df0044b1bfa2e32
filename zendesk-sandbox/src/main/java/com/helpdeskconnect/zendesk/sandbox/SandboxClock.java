package com.helpdeskconnect.zendesk.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The sandbox's notion of now: a base clock plus an offset tests move forward, so idempotency
 * keys expire and rate-limit windows pass without sleeping.
 */
public final class SandboxClock extends Clock {
    private final Clock base;
    private volatile Duration offset = Duration.ZERO;

    public SandboxClock(Clock base) {
        this.base = base;
    }

    /** Moves the sandbox's time forward (a negative duration moves it back). */
    public void advance(Duration duration) {
        offset = offset.plus(duration);
    }

    public Duration offset() {
        return offset;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return base.instant().plus(offset);
    }
}
