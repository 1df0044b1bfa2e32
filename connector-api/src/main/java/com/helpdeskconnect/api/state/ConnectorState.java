package com.helpdeskconnect.api.state;

import java.util.Optional;

/**
 * A durable key-value map per integration, kept by the host in its database: a connection's memory
 * across restarts and host processes ("conversation 42 is ticket 4711", "comment 9 was ours").
 * Every call is atomic on its own and visible to every host process once it returns. Deleted with
 * the integration.
 *
 * <p>Keys are 1 to {@value #MAX_KEY_LENGTH} characters; values at most {@value #MAX_VALUE_LENGTH}
 * characters. Not for secrets: values are stored as they are.
 *
 * @since 2.0.0
 */
public interface ConnectorState {

    int MAX_KEY_LENGTH = 200;
    int MAX_VALUE_LENGTH = 65_536;

    Optional<String> get(String key);

    /** Stores or replaces the value. */
    void put(String key, String value);

    /**
     * Stores the value unless the key has one.
     *
     * @return the value now stored: {@code value} when it was absent, else the one already there
     */
    String putIfAbsent(String key, String value);

    /** @return whether there was a value */
    boolean remove(String key);

    /** A state in memory only, for tests and tools. */
    static ConnectorState inMemory() {
        return new InMemoryConnectorState();
    }

    /** Checks a key and a value against the limits; hosts and {@link #inMemory()} call it. */
    static void check(String key, String value) {
        if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("State keys are 1 to " + MAX_KEY_LENGTH + " characters");
        }
        if (value != null && value.length() > MAX_VALUE_LENGTH) {
            throw new IllegalArgumentException("State values are at most " + MAX_VALUE_LENGTH + " characters (key " + key + ")");
        }
    }
}
