package com.helpdeskconnect.api.cases;

import java.util.List;
import java.util.Objects;

/**
 * A case field the AI may fill, as listed by {@code describeFields}.
 *
 * @param name          the name the host and the AI use ({@code priority}, {@code sentiment})
 * @param label         a display label
 * @param type          the value type
 * @param allowedValues for {@link FieldType#LOOKUP}, the display names accepted; empty otherwise
 * @param description   what the field means, for the AI's prompt; may be empty
 */
public record FieldDescriptor(String name, String label, FieldType type, List<String> allowedValues, String description) {

    public FieldDescriptor {
        Objects.requireNonNull(name, "name");
        label = label == null ? name : label;
        Objects.requireNonNull(type, "type");
        allowedValues = allowedValues == null ? List.of() : List.copyOf(allowedValues);
        description = description == null ? "" : description;
    }
}
