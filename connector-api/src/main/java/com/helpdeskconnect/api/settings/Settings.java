package com.helpdeskconnect.api.settings;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Raw settings as an admin sent them: name to a JSON-like value ({@link String}, {@link Boolean},
 * {@link Number}, or a {@code Map} of strings). {@link SettingsBinder} turns them into the
 * connector's settings record. {@link #toString()} shows names only: values may be secrets.
 */
public final class Settings {
    private final Map<String, Object> values;

    private Settings(Map<String, Object> values) {
        LinkedHashMap<String, Object> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (v != null) {
                copy.put(Objects.requireNonNull(k, "setting name"), v);
            }
        });
        this.values = Collections.unmodifiableMap(copy);
    }

    /** Settings from a map; null values count as absent. */
    public static Settings of(Map<String, ?> values) {
        return new Settings(Collections.unmodifiableMap(values));
    }

    public static Settings empty() {
        return new Settings(Map.of());
    }

    /** The raw value of a setting, if given. */
    public Optional<Object> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /** All raw values, in the order given. */
    public Map<String, Object> asMap() {
        return values;
    }

    /** A copy with one value set (or removed, for null). */
    public Settings with(String name, Object value) {
        LinkedHashMap<String, Object> copy = new LinkedHashMap<>(values);
        if (value == null) {
            copy.remove(name);
        } else {
            copy.put(name, value);
        }
        return new Settings(copy);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Settings s && values.equals(s.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return "Settings" + values.keySet();
    }
}
