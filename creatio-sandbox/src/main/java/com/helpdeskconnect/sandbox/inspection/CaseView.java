package com.helpdeskconnect.sandbox.inspection;

import java.util.List;
import java.util.Map;

/**
 * A case as a test or the demo looks at it: its columns and what hangs off it.
 * Column values are stored values: GUIDs and texts as strings, dates as {@link java.time.Instant}.
 */
public record CaseView(Map<String, Object> fields, List<Map<String, Object>> activities,
        List<Map<String, Object>> portalMessages) {

    public String id() {
        return (String) fields.get("Id");
    }

    public String number() {
        return (String) fields.get("Number");
    }

    public String subject() {
        return (String) fields.get("Subject");
    }

    public String statusId() {
        return (String) fields.get("StatusId");
    }
}
