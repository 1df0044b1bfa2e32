package com.helpdeskconnect.sandbox.data;

import java.util.Map;
import java.util.Objects;

/**
 * A committed write, what Creatio's "Record added"/"Record modified" signals see.
 *
 * @param before the row before the write, null for an insert
 * @param after the row after the write, null for a delete
 */
public record RecordChange(String entity, Kind kind, Map<String, Object> before, Map<String, Object> after) {

    public enum Kind { ADDED, MODIFIED, DELETED }

    public boolean changed(String column) {
        return before != null && after != null && !Objects.equals(before.get(column), after.get(column));
    }
}
