package com.helpdeskconnect.creatio;

import java.util.UUID;

/** Creatio's standard lookup ids (docs/creatio-api.md §3), used where a site does not say otherwise. */
public final class CreatioIds {
    public static final UUID EMPTY = new UUID(0, 0);
    public static final UUID CASE_SCHEMA_UID = UUID.fromString("117d32f9-8275-4534-8411-1c66115ce9cd");
    public static final UUID STATUS_NEW = UUID.fromString("ae5f2f10-f46b-1410-fd9a-0050ba5d6c38");
    public static final UUID PRIORITY_MEDIUM = UUID.fromString("d9bd322c-f46b-1410-ee8c-0050ba5d6c38");
    public static final UUID ORIGIN_CHAT = UUID.fromString("019259af-ec9c-4c87-9565-3c00700c7875");
    public static final UUID ACTIVITY_TYPE_EMAIL = UUID.fromString("e2831dec-cfc0-df11-b00f-001d60e938c6");
    public static final UUID ACTIVITY_TYPE_TASK = UUID.fromString("fbe0acdc-cfc0-df11-b00f-001d60e938c6");
    public static final UUID ACTIVITY_CATEGORY_TODO = UUID.fromString("f51c4643-58e6-df11-971b-001d60e938c6");
    public static final UUID ACTIVITY_CATEGORY_EMAIL = UUID.fromString("8038a396-7825-e011-8165-00155d043204");
    public static final UUID ACTIVITY_STATUS_COMPLETED = UUID.fromString("4bdbb88f-58e6-df11-971b-001d60e938c6");
    public static final UUID MESSAGE_INCOMING = UUID.fromString("7f9d1f86-f36b-1410-068c-20cf30b39373");
    public static final UUID MESSAGE_OUTGOING = UUID.fromString("7f6d3f94-f36b-1410-068c-20cf30b39373");

    private CreatioIds() {}
}
