package com.helpdeskconnect.sandbox.webhooks;

import com.helpdeskconnect.sandbox.data.RecordChange;
import com.helpdeskconnect.sandbox.model.Guids;
import com.helpdeskconnect.sandbox.model.SchemaCatalog;
import com.helpdeskconnect.sandbox.model.StandardRows;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The three processes our setup guide has admins build (docs/creatio-api.md §4), as signal listeners:
 * Activity added with a Case and Type = Email (or Task, when {@link Webhooks#taskActivities} is on);
 * PortalMessage added on a Case; Case modified with Status among the changed columns.
 */
public final class BusinessProcesses implements Consumer<RecordChange> {
    private final Webhooks webhooks;
    private final Supplier<Set<String>> integrationUserContacts;

    /** @param integrationUserContacts the system users of the registered clients, for the created-by filter */
    public BusinessProcesses(Webhooks webhooks, Supplier<Set<String>> integrationUserContacts) {
        this.webhooks = webhooks;
        this.integrationUserContacts = integrationUserContacts;
    }

    @Override
    public void accept(RecordChange change) {
        switch (change.entity()) {
            case "Activity" -> {
                if (change.kind() == RecordChange.Kind.ADDED
                        && !Guids.isEmpty(change.after().get("CaseId"))
                        && processedType(change.after().get("TypeId"))
                        && passesFilter(change.after().get("CreatedById"))) {
                    webhooks.send(new WebhookEvent(WebhookEvent.ACTIVITY_ADDED,
                            (String) change.after().get("CaseId"), (String) change.after().get("Id"), null));
                }
            }
            case "PortalMessage" -> {
                if (change.kind() == RecordChange.Kind.ADDED
                        && SchemaCatalog.CASE_SCHEMA_UID.equals(change.after().get("EntitySchemaUId"))
                        && passesFilter(change.after().get("CreatedById"))) {
                    webhooks.send(new WebhookEvent(WebhookEvent.PORTAL_MESSAGE_ADDED,
                            (String) change.after().get("EntityId"), (String) change.after().get("Id"), null));
                }
            }
            case "Case" -> {
                if (change.kind() == RecordChange.Kind.MODIFIED && change.changed("StatusId")
                        && passesFilter(change.after().get("ModifiedById"))) {
                    webhooks.send(new WebhookEvent(WebhookEvent.CASE_STATUS_CHANGED,
                            (String) change.after().get("Id"), null, (String) change.after().get("StatusId")));
                }
            }
            default -> {
                // no process listens to other objects
            }
        }
    }

    private boolean processedType(Object typeId) {
        return StandardRows.ACTIVITY_TYPE_EMAIL.equals(typeId)
                || webhooks.taskActivities() && StandardRows.ACTIVITY_TYPE_TASK.equals(typeId);
    }

    private boolean passesFilter(Object actorContactId) {
        return !webhooks.createdByFilter() || !integrationUserContacts.get().contains(actorContactId);
    }
}
