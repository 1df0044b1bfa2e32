package com.helpdeskconnect.sandbox.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Creatio's standard lookup rows with their real GUIDs (docs/creatio-api.md §3), plus the few people
 * and groups the sandbox seeds so an agent can act and the integration has a system user.
 */
public final class StandardRows {
    public static final String STATUS_NEW = "ae5f2f10-f46b-1410-fd9a-0050ba5d6c38";
    public static final String STATUS_IN_PROGRESS = "7e9f1204-f46b-1410-fb9a-0050ba5d6c38";
    public static final String STATUS_WAITING_FOR_RESPONSE = "3859c6e7-cbcb-486b-ba53-77808fe6e593";
    public static final String STATUS_RESOLVED = "ae7f411e-f46b-1410-009b-0050ba5d6c38";
    public static final String STATUS_CLOSED = "3e7f420c-f46b-1410-fc9a-0050ba5d6c38";
    public static final String STATUS_CANCELED = "6e5f4218-f46b-1410-fe9a-0050ba5d6c38";
    public static final String STATUS_REOPENED = "f063ebbe-fdc6-4982-8431-d8cfa52fedcf";

    public static final String PRIORITY_CRITICAL = "afb33208-f46b-1410-ec8c-0050ba5d6c38";
    public static final String PRIORITY_HIGH = "8b700f24-f46b-1410-ee8c-0050ba5d6c38";
    public static final String PRIORITY_MEDIUM = "d9bd322c-f46b-1410-ee8c-0050ba5d6c38";
    public static final String PRIORITY_LOW = "cbb93036-f46b-1410-ef8c-0050ba5d6c38";

    public static final String ORIGIN_CALL = "5e5e202a-f46b-1410-3692-0050ba5d6c38";
    public static final String ORIGIN_CHAT = "019259af-ec9c-4c87-9565-3c00700c7875";
    public static final String ORIGIN_EMAIL = "7f9e1f1e-f46b-1410-3492-0050ba5d6c38";
    public static final String ORIGIN_PORTAL = "debf4124-f46b-1410-3592-0050ba5d6c38";
    public static final String ORIGIN_SITE = "d38a1692-5a83-4253-a592-7d19fe00593c";
    public static final String ORIGIN_SOCIAL_NETWORKS = "673de246-f464-4ad1-883c-8a21508bdf33";

    public static final String CATEGORY_INCIDENT = "1b0bc159-150a-e111-a31b-00155d04c01d";
    public static final String CATEGORY_SERVICE_REQUEST = "1c0bc159-150a-e111-a31b-00155d04c01d";

    public static final String CLOSURE_RESOLVED_SUCCESSFULLY = "b69f315c-f36b-1410-159b-0050ba5d6c38";
    public static final String CLOSURE_RESOLVED_WITH_WORKAROUND = "7f9e3154-f36b-1410-149b-0050ba5d6c38";
    public static final String CLOSURE_NO_FAULT_FOUND = "ffbf3234-f46b-1410-8d9a-00155d054c04";

    public static final String ACTIVITY_TYPE_TASK = "fbe0acdc-cfc0-df11-b00f-001d60e938c6";
    public static final String ACTIVITY_TYPE_EMAIL = "e2831dec-cfc0-df11-b00f-001d60e938c6";
    public static final String ACTIVITY_TYPE_CALL = "e1831dec-cfc0-df11-b00f-001d60e938c6";

    public static final String ACTIVITY_CATEGORY_TODO = "f51c4643-58e6-df11-971b-001d60e938c6";
    public static final String ACTIVITY_CATEGORY_EMAIL = "8038a396-7825-e011-8165-00155d043204";
    public static final String ACTIVITY_CATEGORY_CALL = "e52bd583-7825-e011-8165-00155d043204";

    public static final String ACTIVITY_STATUS_NOT_STARTED = "384d4b84-58e6-df11-971b-001d60e938c6";
    public static final String ACTIVITY_STATUS_COMPLETED = "4bdbb88f-58e6-df11-971b-001d60e938c6";
    public static final String ACTIVITY_STATUS_CANCELED = "201cfba8-58e6-df11-971b-001d60e938c6";

    public static final String MESSAGE_TYPE_INCOMING = "7f9d1f86-f36b-1410-068c-20cf30b39373";
    public static final String MESSAGE_TYPE_OUTGOING = "7f6d3f94-f36b-1410-068c-20cf30b39373";

    /** Sandbox-only rows (fixed so tests can name them). */
    public static final String CONTACT_SUPERVISOR = "410006e1-ca4e-4502-a9ec-e54d922d2c00";
    public static final String CONTACT_INTEGRATION_USER = "5a1e7c0d-0000-4c0e-8000-00000000c0de";
    public static final String CONTACT_AGENT = "a9e17000-0000-4a6e-8000-000000000001";
    public static final String CONTACT_CUSTOMER = "c0570000-0000-4c57-8000-000000000001";
    public static final String SYS_ADMIN_UNIT_SUPPORT_GROUP = "5b0a0000-0000-4a50-8000-000000000001";
    public static final String SYS_ADMIN_UNIT_AGENT_USER = "5b0a0000-0000-4a50-8000-000000000002";
    public static final String SYS_ADMIN_UNIT_INTEGRATION_USER = "5b0a0000-0000-4a50-8000-000000000003";

    public static final String AGENT_EMAIL = "agent@sandbox.example";

    private StandardRows() {
    }

    /** The seed rows per collection, columns not named here take their empty values. */
    public static Map<String, List<Map<String, Object>>> seed() {
        Map<String, List<Map<String, Object>>> rows = new LinkedHashMap<>();
        List<Map<String, Object>> statuses = new ArrayList<>();
        statuses.add(status(STATUS_NEW, "New", 1, false, false, false));
        statuses.add(status(STATUS_IN_PROGRESS, "In progress", 2, false, false, false));
        statuses.add(status(STATUS_WAITING_FOR_RESPONSE, "Waiting for response", 3, false, false, true));
        statuses.add(status(STATUS_RESOLVED, "Resolved", 4, false, true, false));
        statuses.add(status(STATUS_CLOSED, "Closed", 5, true, false, false));
        statuses.add(status(STATUS_CANCELED, "Canceled", 6, true, false, false));
        statuses.add(status(STATUS_REOPENED, "Reopened", 2, false, false, false));
        rows.put("CaseStatus", statuses);
        rows.put("CasePriority", List.of(
                named(PRIORITY_CRITICAL, "Critical", "Priority", 1),
                named(PRIORITY_HIGH, "High", "Priority", 2),
                named(PRIORITY_MEDIUM, "Medium", "Priority", 3),
                named(PRIORITY_LOW, "Low", "Priority", 4)));
        rows.put("CaseOrigin", List.of(
                named(ORIGIN_CALL, "Call"), named(ORIGIN_CHAT, "Chat"), named(ORIGIN_EMAIL, "Email"),
                named(ORIGIN_PORTAL, "Portal"), named(ORIGIN_SITE, "Site"),
                named(ORIGIN_SOCIAL_NETWORKS, "Social networks")));
        rows.put("CaseCategory", List.of(
                named(CATEGORY_INCIDENT, "Incident"), named(CATEGORY_SERVICE_REQUEST, "Service request")));
        rows.put("ClosureCode", List.of(
                named(CLOSURE_RESOLVED_SUCCESSFULLY, "Resolved successfully"),
                named(CLOSURE_RESOLVED_WITH_WORKAROUND, "Resolved with workaround"),
                named(CLOSURE_NO_FAULT_FOUND, "No fault found")));
        rows.put("ActivityType", List.of(
                named(ACTIVITY_TYPE_TASK, "Task"), named(ACTIVITY_TYPE_EMAIL, "Email"),
                named(ACTIVITY_TYPE_CALL, "Call")));
        rows.put("ActivityCategory", List.of(
                named(ACTIVITY_CATEGORY_TODO, "To do", "ActivityTypeId", ACTIVITY_TYPE_TASK),
                named(ACTIVITY_CATEGORY_EMAIL, "Email", "ActivityTypeId", ACTIVITY_TYPE_EMAIL),
                named(ACTIVITY_CATEGORY_CALL, "Call", "ActivityTypeId", ACTIVITY_TYPE_CALL)));
        rows.put("ActivityStatus", List.of(
                named(ACTIVITY_STATUS_NOT_STARTED, "Not started", "Finish", false),
                named(ACTIVITY_STATUS_COMPLETED, "Completed", "Finish", true),
                named(ACTIVITY_STATUS_CANCELED, "Canceled", "Finish", true)));
        rows.put("Contact", List.of(
                contact(CONTACT_SUPERVISOR, "Supervisor", ""),
                contact(CONTACT_INTEGRATION_USER, "Helpdesk Connect integration", ""),
                contact(CONTACT_AGENT, "Alice Agent", AGENT_EMAIL),
                contact(CONTACT_CUSTOMER, "Chris Customer", "chris.customer@example.com")));
        rows.put("SysAdminUnit", List.of(
                unit(SYS_ADMIN_UNIT_SUPPORT_GROUP, "1st-line support", 6, ""),
                unit(SYS_ADMIN_UNIT_AGENT_USER, "Alice Agent", 4, CONTACT_AGENT),
                unit(SYS_ADMIN_UNIT_INTEGRATION_USER, "Helpdesk Connect integration", 4,
                        CONTACT_INTEGRATION_USER)));
        return rows;
    }

    private static Map<String, Object> status(String id, String name, int stage, boolean isFinal,
            boolean isResolved, boolean isPaused) {
        Map<String, Object> row = named(id, name, "StageNumber", stage);
        row.put("IsFinal", isFinal);
        row.put("IsResolved", isResolved);
        row.put("IsPaused", isPaused);
        return row;
    }

    private static Map<String, Object> contact(String id, String name, String email) {
        return named(id, name, "Email", email);
    }

    private static Map<String, Object> unit(String id, String name, int type, String contactId) {
        Map<String, Object> row = named(id, name, "SysAdminUnitTypeValue", type);
        row.put("Active", true);
        if (!contactId.isEmpty()) {
            row.put("ContactId", contactId);
        }
        return row;
    }

    private static Map<String, Object> named(String id, String name) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("Id", id);
        row.put("Name", name);
        return row;
    }

    private static Map<String, Object> named(String id, String name, String column, Object value) {
        Map<String, Object> row = named(id, name);
        row.put(column, value);
        return row;
    }
}
