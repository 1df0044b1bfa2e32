package com.helpdeskconnect.api.cases;

import java.util.Map;
import java.util.Set;

/**
 * What {@code fillFields} did.
 *
 * @param applied  the field names written to the case
 * @param rejected per field name not written, a message saying why ("unknown field",
 *                 "'Urgent' is not one of Critical, High, Medium, Low")
 */
public record FillResult(Set<String> applied, Map<String, String> rejected) {

    public FillResult {
        applied = Set.copyOf(applied);
        rejected = Map.copyOf(rejected);
    }

    public boolean allApplied() {
        return rejected.isEmpty();
    }
}
