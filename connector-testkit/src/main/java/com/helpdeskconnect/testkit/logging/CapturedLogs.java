package com.helpdeskconnect.testkit.logging;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Every log line written through SLF4J while the kit's provider is active, at every level, with
 * the messages of attached throwables and their causes. The kit scans it for secrets.
 */
public final class CapturedLogs {
    private static final ConcurrentLinkedQueue<String> LINES = new ConcurrentLinkedQueue<>();

    private CapturedLogs() {}

    static void add(String line) {
        LINES.add(line);
    }

    /** A snapshot of all lines captured so far, oldest first. */
    public static List<String> lines() {
        return List.copyOf(LINES);
    }

    /** Whether SLF4J is bound to the kit's capturing provider (otherwise nothing is captured). */
    public static boolean active() {
        return org.slf4j.LoggerFactory.getILoggerFactory() instanceof CapturingLoggerFactory;
    }
}
