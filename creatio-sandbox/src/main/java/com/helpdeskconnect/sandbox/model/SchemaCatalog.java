package com.helpdeskconnect.sandbox.model;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The entity schemas one sandbox serves: the standard ones the connector needs plus the custom
 * {@code Usr…} columns declared for that sandbox.
 */
public final class SchemaCatalog {
    /** Schema UId of Case, what {@code PortalMessage.EntitySchemaUId} holds for case messages. */
    public static final String CASE_SCHEMA_UID = "117d32f9-8275-4534-8411-1c66115ce9cd";

    private final Map<String, EntitySchema> schemas = new LinkedHashMap<>();

    public SchemaCatalog() {
        add(new EntitySchema("Case")
                .text("Number").text("Subject").required("Subject").text("Symptoms")
                .date("RegisteredOn").defaultToNow("RegisteredOn")
                .lookup("StatusId", "CaseStatus").defaultTo("StatusId", StandardRows.STATUS_NEW)
                .lookup("PriorityId", "CasePriority").defaultTo("PriorityId", StandardRows.PRIORITY_MEDIUM)
                .lookup("OriginId", "CaseOrigin").defaultTo("OriginId", StandardRows.ORIGIN_CALL)
                .lookup("CategoryId", "CaseCategory")
                .lookup("ContactId", "Contact").lookup("AccountId", "Account")
                .lookup("OwnerId", "Contact").lookup("GroupId", "SysAdminUnit")
                .text("Solution").lookup("ClosureCodeId", "ClosureCode").date("ClosureDate")
                .date("ResponseDate").date("SolutionDate").date("RespondedOn").date("SolutionProvidedOn"));
        add(new EntitySchema("Activity")
                .text("Title").text("Body").flag("IsHtmlBody")
                .date("StartDate").defaultToNow("StartDate")
                .date("DueDate").defaultToNow("DueDate")
                .lookup("TypeId", "ActivityType").defaultTo("TypeId", StandardRows.ACTIVITY_TYPE_TASK)
                .lookup("ActivityCategoryId", "ActivityCategory")
                .defaultTo("ActivityCategoryId", StandardRows.ACTIVITY_CATEGORY_TODO)
                .lookup("StatusId", "ActivityStatus").defaultTo("StatusId", StandardRows.ACTIVITY_STATUS_NOT_STARTED)
                .lookup("MessageTypeId", "ActivityMessageType")
                .text("Sender").text("Recepient")
                .lookup("ContactId", "Contact").lookup("OwnerId", "Contact").lookup("CaseId", "Case"));
        add(new EntitySchema("PortalMessage")
                .text("Message").guid("EntitySchemaUId").guid("EntityId").flag("FromPortal"));
        add(new EntitySchema("CaseStatus")
                .text("Name").text("Description").flag("IsFinal").flag("IsResolved").flag("IsPaused")
                .integer("StageNumber").lookup("ClosureCodeId", "ClosureCode"));
        add(new EntitySchema("CasePriority").text("Name").text("Description").integer("Priority"));
        add(new EntitySchema("CaseOrigin").text("Name").text("Description"));
        add(new EntitySchema("CaseCategory").text("Name").text("Description"));
        add(new EntitySchema("ClosureCode").text("Name").text("Description"));
        add(new EntitySchema("ActivityType").text("Name").text("Description"));
        add(new EntitySchema("ActivityCategory").text("Name").text("Description")
                .lookup("ActivityTypeId", "ActivityType"));
        add(new EntitySchema("ActivityStatus").text("Name").text("Description").flag("Finish"));
        add(new EntitySchema("Contact")
                .text("Name").text("Email").text("Phone").text("MobilePhone").text("JobTitle")
                .lookup("AccountId", "Account"));
        add(new EntitySchema("SysAdminUnit")
                .text("Name").text("Description").integer("SysAdminUnitTypeValue")
                .lookup("ContactId", "Contact").flag("Active"));
    }

    public Optional<EntitySchema> find(String name) {
        return Optional.ofNullable(schemas.get(name));
    }

    public Collection<EntitySchema> all() {
        return Collections.unmodifiableCollection(schemas.values());
    }

    /**
     * Declares a custom column as a user would in the configuration; Creatio requires the
     * {@code Usr} prefix (system setting SchemaNamePrefix) and lookups end in {@code Id}.
     */
    public void addCustomColumn(String entity, String columnName, EdmType type) {
        if (!columnName.startsWith("Usr") || !columnName.matches("[A-Za-z][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("Custom column names start with Usr: " + columnName);
        }
        EntitySchema schema = find(entity)
                .orElseThrow(() -> new IllegalArgumentException("Unknown entity schema: " + entity));
        schema.column(columnName, type, null);
    }

    private void add(EntitySchema schema) {
        schemas.put(schema.name(), schema);
    }
}
