package com.helpdeskconnect.api.state;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** {@link ConnectorState#inMemory()}. */
final class InMemoryConnectorState implements ConnectorState {
    private final ConcurrentMap<String, String> values = new ConcurrentHashMap<>();

    @Override
    public Optional<String> get(String key) {
        ConnectorState.check(key, null);
        return Optional.ofNullable(values.get(key));
    }

    @Override
    public void put(String key, String value) {
        Objects.requireNonNull(value, "value");
        ConnectorState.check(key, value);
        values.put(key, value);
    }

    @Override
    public String putIfAbsent(String key, String value) {
        Objects.requireNonNull(value, "value");
        ConnectorState.check(key, value);
        String previous = values.putIfAbsent(key, value);
        return previous == null ? value : previous;
    }

    @Override
    public boolean remove(String key) {
        ConnectorState.check(key, null);
        return values.remove(key) != null;
    }
}
