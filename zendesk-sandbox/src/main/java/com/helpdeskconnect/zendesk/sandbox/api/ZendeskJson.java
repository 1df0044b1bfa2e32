package com.helpdeskconnect.zendesk.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.helpdeskconnect.zendesk.sandbox.model.Audit;
import com.helpdeskconnect.zendesk.sandbox.model.AuditEvent;
import com.helpdeskconnect.zendesk.sandbox.model.Comment;
import com.helpdeskconnect.zendesk.sandbox.model.FieldOption;
import com.helpdeskconnect.zendesk.sandbox.model.Group;
import com.helpdeskconnect.zendesk.sandbox.model.Ticket;
import com.helpdeskconnect.zendesk.sandbox.model.TicketField;
import com.helpdeskconnect.zendesk.sandbox.model.User;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * Writes the sandbox's objects in the shapes Zendesk answers with (the property sets of the
 * recorded responses in the reference), so clients parse exactly what they would parse from Zendesk.
 */
public final class ZendeskJson {
    public static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Supplier<String> root;

    /** @param root the account root, e.g. {@code http://127.0.0.1:41234}, asked at write time */
    public ZendeskJson(Supplier<String> root) {
        this.root = root;
    }

    public String ticketUrl(long id) {
        return root.get() + "/api/v2/tickets/" + id + ".json";
    }

    public ObjectNode ticket(Ticket t, List<TicketField> fields) {
        ObjectNode json = NODES.objectNode();
        json.put("url", ticketUrl(t.id())).put("id", t.id());
        putNullable(json, "external_id", t.externalId());
        ObjectNode via = json.putObject("via");
        via.put("channel", t.channel());
        ObjectNode source = via.putObject("source");
        if (t.followupSourceId() != null) {
            source.putObject("from").put("ticket_id", t.followupSourceId());
            source.putObject("to");
            source.put("rel", "follow_up");
        } else {
            source.putObject("from");
            source.putObject("to");
            source.putNull("rel");
        }
        json.put("created_at", time(t.createdAt())).put("updated_at", time(t.updatedAt()));
        putNullable(json, "type", t.type());
        json.put("subject", t.subject()).put("raw_subject", t.subject()).put("description", t.description());
        putNullable(json, "priority", t.priority());
        json.put("status", t.status().wire()).putNull("recipient");
        json.put("requester_id", t.requesterId()).put("submitter_id", t.submitterId());
        putNullable(json, "assignee_id", t.assigneeId());
        json.putNull("organization_id");
        putNullable(json, "group_id", t.groupId());
        json.putArray("collaborator_ids");
        json.putArray("follower_ids");
        json.putArray("email_cc_ids");
        json.putNull("forum_topic_id").putNull("problem_id").put("has_incidents", false).put("is_public", true)
                .putNull("due_at");
        ArrayNode tags = json.putArray("tags");
        t.tags().forEach(tags::add);
        ArrayNode custom = json.putArray("custom_fields");
        for (TicketField field : fields) {
            if (!field.system()) {
                ObjectNode entry = custom.addObject().put("id", field.id());
                entry.set("value", value(t.customFields().get(field.id())));
            }
        }
        json.putNull("satisfaction_rating");
        json.putArray("sharing_agreement_ids");
        json.put("custom_status_id", t.status().customStatusId());
        json.set("fields", custom.deepCopy());
        ArrayNode followups = json.putArray("followup_ids");
        t.followupIds().forEach(followups::add);
        json.putNull("ticket_form_id").putNull("brand_id");
        json.put("allow_channelback", false).put("allow_attachments", true).put("from_messaging_channel", false);
        return json;
    }

    public ObjectNode comment(Comment c) {
        ObjectNode json = NODES.objectNode();
        json.put("id", c.id()).put("type", "Comment").put("author_id", c.authorId())
                .put("body", c.body()).put("html_body", c.htmlBody()).put("plain_body", c.plainBody())
                .put("public", c.isPublic());
        json.putArray("attachments");
        json.put("audit_id", c.auditId());
        json.set("via", via(c.channel()));
        json.put("created_at", time(c.createdAt()));
        json.set("metadata", metadata(c.client()));
        return json;
    }

    public ObjectNode audit(Audit audit) {
        ObjectNode json = NODES.objectNode();
        json.put("id", audit.id()).put("ticket_id", audit.ticketId()).put("created_at", time(audit.createdAt()))
                .put("author_id", audit.authorId());
        json.set("metadata", metadata(audit.client()));
        ArrayNode events = json.putArray("events");
        for (AuditEvent event : audit.events()) {
            if (event.comment() != null) {
                Comment c = event.comment();
                ObjectNode e = events.addObject();
                e.put("id", c.id()).put("type", "Comment").put("author_id", c.authorId()).put("body", c.body())
                        .put("html_body", c.htmlBody()).put("plain_body", c.plainBody()).put("public", c.isPublic());
                e.putArray("attachments");
                e.put("audit_id", c.auditId());
            } else {
                ObjectNode e = events.addObject().put("id", event.id()).put("type", event.type());
                e.set("value", value(event.value()));
                e.put("field_name", event.fieldName());
                if (event.type().equals("Change")) {
                    e.set("previous_value", value(event.previousValue()));
                }
            }
        }
        json.set("via", via(audit.channel()));
        return json;
    }

    public ObjectNode user(User u) {
        ObjectNode json = NODES.objectNode();
        json.put("id", u.id()).put("url", root.get() + "/api/v2/users/" + u.id() + ".json").put("name", u.name());
        putNullable(json, "email", u.email());
        json.put("created_at", time(u.createdAt())).put("updated_at", time(u.createdAt()))
                .put("time_zone", "UTC").put("iana_time_zone", "Etc/UTC").put("locale", "en-US").put("locale_id", 1)
                .putNull("organization_id").put("role", u.role().wire()).put("verified", true)
                .put("active", true).put("suspended", false).put("shared", false).put("moderator", u.isStaff())
                .put("only_private_comments", false).put("restricted_agent", false);
        putNullable(json, "external_id", u.externalId());
        putNullable(json, "default_group_id", u.defaultGroupId());
        json.putArray("tags");
        json.putObject("user_fields");
        return json;
    }

    public ObjectNode group(Group g) {
        return NODES.objectNode().put("url", root.get() + "/api/v2/groups/" + g.id() + ".json").put("id", g.id())
                .put("is_public", true).put("name", g.name()).put("description", g.description())
                .put("default", g.isDefault()).put("deleted", false).put("created_at", time(g.createdAt()))
                .put("updated_at", time(g.createdAt()));
    }

    public ObjectNode field(TicketField f, int position) {
        ObjectNode json = NODES.objectNode();
        json.put("url", root.get() + "/api/v2/ticket_fields/" + f.id() + ".json").put("id", f.id())
                .put("type", f.type()).put("title", f.title()).put("raw_title", f.title())
                .put("description", f.description()).put("raw_description", f.description())
                .put("position", position).put("active", f.active()).put("required", f.required())
                .put("collapsed_for_agents", false).putNull("regexp_for_validation")
                .put("title_in_portal", f.title()).put("raw_title_in_portal", f.title())
                .put("visible_in_portal", f.system()).put("editable_in_portal", f.system())
                .put("required_in_portal", f.required()).put("agent_can_edit", true);
        putNullable(json, "tag", f.tag());
        json.put("created_at", "2024-01-01T00:00:00Z").put("updated_at", "2024-01-01T00:00:00Z")
                .put("removable", !f.system());
        if (!f.system()) {
            json.put("key", (String) null);
        }
        if (f.hasOptions()) {
            ArrayNode options = json.putArray("custom_field_options");
            for (FieldOption o : f.options()) {
                options.addObject().put("id", o.id()).put("name", o.name()).put("raw_name", o.name())
                        .put("value", o.value()).put("default", o.isDefault());
            }
        } else if (f.system() && !f.options().isEmpty()) {
            ArrayNode options = json.putArray("system_field_options");
            f.options().forEach(o -> options.addObject().put("name", o.name()).put("value", o.value()));
        }
        return json;
    }

    private static ObjectNode via(String channel) {
        ObjectNode via = NODES.objectNode().put("channel", channel);
        ObjectNode source = via.putObject("source");
        source.putObject("from");
        source.putObject("to");
        source.putNull("rel");
        return via;
    }

    private static ObjectNode metadata(String client) {
        ObjectNode metadata = NODES.objectNode();
        ObjectNode system = metadata.putObject("system");
        putNullable(system, "client", client);
        system.put("ip_address", "127.0.0.1").put("location", "Sandbox").put("latitude", 0).put("longitude", 0);
        metadata.putObject("custom");
        return metadata;
    }

    private static JsonNode value(Object value) {
        return value == null ? NODES.nullNode() : MAPPER.valueToTree(value);
    }

    private static void putNullable(ObjectNode json, String name, Object value) {
        json.set(name, value(value));
    }

    /** UTC, whole seconds, {@code Z}: {@code 2024-09-06T18:52:11Z}. */
    public static String time(Instant instant) {
        return instant == null ? null : instant.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }
}
