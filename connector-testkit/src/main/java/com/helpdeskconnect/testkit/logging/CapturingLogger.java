package com.helpdeskconnect.testkit.logging;

import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** Captures every level (a secret logged at TRACE is still a leak) and echoes WARN and ERROR to stderr. */
final class CapturingLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;

    CapturingLogger(String name) {
        this.name = name;
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String messagePattern,
                                               Object[] arguments, Throwable throwable) {
        StringBuilder line = new StringBuilder()
                .append(level).append(' ').append(name).append(" - ")
                .append(MessageFormatter.basicArrayFormat(messagePattern, arguments));
        for (Throwable t = throwable; t != null; t = t.getCause()) {
            line.append(" | ").append(t.getClass().getName()).append(": ").append(t.getMessage());
        }
        String text = line.toString();
        CapturedLogs.add(text);
        if (level.toInt() >= Level.WARN.toInt()) {
            System.err.println(text);
        }
    }

    @Override
    public boolean isTraceEnabled() {
        return true;
    }

    @Override
    public boolean isDebugEnabled() {
        return true;
    }

    @Override
    public boolean isInfoEnabled() {
        return true;
    }

    @Override
    public boolean isWarnEnabled() {
        return true;
    }

    @Override
    public boolean isErrorEnabled() {
        return true;
    }
}
