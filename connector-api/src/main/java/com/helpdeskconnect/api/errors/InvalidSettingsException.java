package com.helpdeskconnect.api.errors;

import java.util.Map;
import java.util.TreeMap;

/** Settings that cannot work as given, with one message per setting name. */
public class InvalidSettingsException extends ConnectorException {
    private static final long serialVersionUID = 1L;

    private final Map<String, String> fieldErrors;

    /** @param fieldErrors setting name to a user-facing message (never the value of a secret) */
    public InvalidSettingsException(Map<String, String> fieldErrors) {
        super(summary(fieldErrors), null);
        this.fieldErrors = Map.copyOf(fieldErrors);
    }

    /** Setting name to what is wrong with it. */
    public Map<String, String> fieldErrors() {
        return fieldErrors;
    }

    @Override
    public ErrorKind kind() {
        return ErrorKind.INVALID_SETTINGS;
    }

    private static String summary(Map<String, String> fieldErrors) {
        StringBuilder sb = new StringBuilder("Invalid settings");
        String sep = ": ";
        for (Map.Entry<String, String> e : new TreeMap<>(fieldErrors).entrySet()) {
            sb.append(sep).append(e.getKey()).append(' ').append(e.getValue());
            sep = "; ";
        }
        return sb.toString();
    }
}
