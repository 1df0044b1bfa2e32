package com.helpdeskconnect.api.cases;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Values for case fields, by field name, as the AI extracted them. Values are typed
 * ({@link String}, {@link Number}, {@link Boolean}, {@link java.time.LocalDate},
 * {@link java.time.Instant}); lookups are given by display name. The connector maps names to its
 * columns and lookups to ids. Iteration keeps insertion order.
 */
public record FieldValues(Map<String, Object> values) {

    public FieldValues {
        Objects.requireNonNull(values, "values");
        values.forEach((k, v) -> {
            Objects.requireNonNull(k, "field name");
            Objects.requireNonNull(v, () -> "value of " + k);
        });
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public static FieldValues of(Map<String, Object> values) {
        return new FieldValues(values);
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }
}
