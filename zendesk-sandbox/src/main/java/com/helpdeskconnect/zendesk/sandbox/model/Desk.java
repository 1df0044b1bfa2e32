package com.helpdeskconnect.zendesk.sandbox.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.helpdeskconnect.zendesk.sandbox.api.ZendeskError;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The account's data and Zendesk's rules for writing tickets: users, groups, ticket fields,
 * tickets with their comments and audits. One lock serialises every write; readers get copies.
 * Both the REST API and the agent go through {@link #create} and {@link #update}, so validation
 * and triggers are the same for both.
 */
public final class Desk {
    /** Zendesk refuses a comment beyond this many on one ticket. */
    public static final int MAX_COMMENTS = 5000;

    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Clock clock;
    private final Consumer<Desk> seeder;
    private final List<Consumer<TicketChange>> listeners = new CopyOnWriteArrayList<>();

    private final Map<Long, User> users = new LinkedHashMap<>();
    private final Map<Long, Group> groups = new LinkedHashMap<>();
    private final Map<Long, TicketField> fields = new LinkedHashMap<>();
    private final Map<Long, Ticket> tickets = new LinkedHashMap<>();
    private final Map<Long, List<Comment>> comments = new LinkedHashMap<>();
    private final Map<Long, List<Audit>> audits = new LinkedHashMap<>();
    private long nextTicketId;
    private long nextUserId;
    private long nextEventId;

    /** @param seeder fills a fresh desk (users, groups, fields); run at start and on {@link #reset()} */
    public Desk(Clock clock, Consumer<Desk> seeder) {
        this.clock = clock;
        this.seeder = seeder;
        reset();
    }

    /** Back to the seed data: no tickets, only the seeded users, groups and fields. */
    public synchronized void reset() {
        users.clear();
        groups.clear();
        fields.clear();
        tickets.clear();
        comments.clear();
        audits.clear();
        nextTicketId = 1;
        nextUserId = 361_000_000_001L;
        nextEventId = 30_000_000_000_001L;
        seeder.accept(this);
    }

    /** Called after every successful write, still under the lock (keep it short). */
    public void onChange(Consumer<TicketChange> listener) {
        listeners.add(listener);
    }

    // ---- seeding and reference data ------------------------------------------------------------

    public synchronized void putUser(User user) {
        users.put(user.id(), user);
    }

    public synchronized void putGroup(Group group) {
        groups.put(group.id(), group);
    }

    public synchronized void putField(TicketField field) {
        fields.put(field.id(), field);
    }

    public synchronized Optional<User> user(long id) {
        return Optional.ofNullable(users.get(id));
    }

    public synchronized Optional<User> userByEmail(String email) {
        return users.values().stream().filter(u -> u.email() != null && u.email().equalsIgnoreCase(email))
                .findFirst();
    }

    public synchronized List<User> users() {
        return List.copyOf(users.values());
    }

    /**
     * Zendesk's user search, reduced to what connectors send: {@code email:x}, {@code external_id:x},
     * or a bare word matched against name and email.
     */
    public synchronized List<User> searchUsers(String query) {
        String q = query.trim().toLowerCase(Locale.ROOT);
        if (q.startsWith("email:")) {
            String email = stripQuotes(q.substring(6));
            return users.values().stream().filter(u -> u.email() != null && u.email().equalsIgnoreCase(email))
                    .toList();
        }
        if (q.startsWith("external_id:")) {
            String externalId = stripQuotes(q.substring(12));
            return users.values().stream().filter(u -> externalId.equals(u.externalId())).toList();
        }
        String word = stripQuotes(q);
        return users.values().stream().filter(u -> u.name().toLowerCase(Locale.ROOT).contains(word)
                || (u.email() != null && u.email().toLowerCase(Locale.ROOT).contains(word))).toList();
    }

    /** Creates an end user; 422 as Zendesk when the email is taken or malformed. */
    public synchronized User createUser(String name, String email, Role role, String externalId) {
        if (email != null) {
            if (!EMAIL.matcher(email).matches()) {
                throw ZendeskError.invalid("email", "Email: " + email + " is not properly formatted",
                        "InvalidFormat");
            }
            if (userByEmail(email).isPresent()) {
                throw ZendeskError.invalid("email", "Email: " + email + " is already being used by another user",
                        "DuplicateValue");
            }
        }
        if (name == null || name.isBlank()) {
            throw ZendeskError.invalid("name", "Name: is too short (minimum one character)", "ValueTooShort");
        }
        User user = new User(nextUserId++, name, email, role, List.of(), null, externalId, now());
        users.put(user.id(), user);
        return user;
    }

    public synchronized Optional<Group> group(long id) {
        return Optional.ofNullable(groups.get(id));
    }

    public synchronized List<Group> groups() {
        return List.copyOf(groups.values());
    }

    public synchronized List<TicketField> ticketFields() {
        return List.copyOf(fields.values());
    }

    public synchronized Optional<TicketField> ticketField(long id) {
        return Optional.ofNullable(fields.get(id));
    }

    // ---- reads ---------------------------------------------------------------------------------

    public synchronized Optional<Ticket> ticket(long id) {
        return Optional.ofNullable(tickets.get(id)).map(Ticket::copy);
    }

    public synchronized List<Ticket> tickets() {
        return tickets.values().stream().map(Ticket::copy).toList();
    }

    /** Every ticket with this {@code external_id}: Zendesk does not keep them unique. */
    public synchronized List<Ticket> ticketsByExternalId(String externalId) {
        return tickets.values().stream().filter(t -> externalId.equals(t.externalId)).map(Ticket::copy).toList();
    }

    /** Oldest first. */
    public synchronized List<Comment> comments(long ticketId) {
        return List.copyOf(comments.getOrDefault(ticketId, List.of()));
    }

    public synchronized List<Audit> audits(long ticketId) {
        return List.copyOf(audits.getOrDefault(ticketId, List.of()));
    }

    // ---- writes --------------------------------------------------------------------------------

    /** {@code POST /api/v2/tickets}: {@code body} is the object inside {@code {"ticket": …}}. */
    public synchronized WriteResult create(JsonNode body, Actor actor) {
        Errors errors = new Errors();
        JsonNode commentNode = body.path("comment");
        String text = commentText(commentNode);
        if (text == null) {
            errors.add("description", "Description: cannot be blank", "BlankValue");
        }
        Ticket ticket = new Ticket();
        ticket.submitterId = actor.user().id();
        Ticket followed = followupSource(body);
        if (followed != null) {
            ticket.followupSourceId = followed.id;
            ticket.tags = new ArrayList<>(followed.tags); // replaced when the request has its own tags
        }
        Map<String, Object[]> changes = new LinkedHashMap<>();
        applyFields(ticket, body, errors, changes, actor, true);
        Long authorId = commentAuthor(commentNode, actor, errors);
        ticket.requesterId = resolveRequester(body, actor, errors); // last: creates no user for a failing request
        errors.throwIfAny();

        Instant now = now();
        ticket.id = nextTicketId++;
        ticket.description = text;
        if (ticket.subject == null || ticket.subject.isBlank()) {
            ticket.subject = text.length() > 80 ? text.substring(0, 77) + "..." : text;
        }
        ticket.channel = actor.channel();
        ticket.createdAt = now;
        ticket.updatedAt = now;
        if (ticket.status == Status.NEW && ticket.assigneeId != null && !changes.containsKey("status")) {
            ticket.status = Status.OPEN;
        }
        tickets.put(ticket.id, ticket);
        if (followed != null) {
            followed.followupIds.add(ticket.id);
        }
        long auditId = nextEventId++;
        List<AuditEvent> events = new ArrayList<>();
        Comment comment = newComment(ticket.id, auditId, authorId, commentNode, actor, now);
        events.add(AuditEvent.comment(comment));
        events.add(new AuditEvent(nextEventId++, "Create", "subject", ticket.subject, null, null));
        events.add(new AuditEvent(nextEventId++, "Create", "status", ticket.status.wire(), null, null));
        events.add(new AuditEvent(nextEventId++, "Create", "requester_id", ticket.requesterId, null, null));
        changes.forEach((field, values) -> {
            if (!field.equals("subject") && !field.equals("status")) {
                events.add(new AuditEvent(nextEventId++, "Create", field, values[1], null, null));
            }
        });
        Audit audit = new Audit(auditId, ticket.id, actor.user().id(), actor.channel(), actor.client(), now, events);
        comments.computeIfAbsent(ticket.id, id -> new ArrayList<>()).add(comment);
        audits.computeIfAbsent(ticket.id, id -> new ArrayList<>()).add(audit);
        return publish(new TicketChange(ticket.copy(), audit, actor, true, comment, null));
    }

    /** {@code PUT /api/v2/tickets/{id}}: {@code body} is the object inside {@code {"ticket": …}}. */
    public synchronized WriteResult update(long ticketId, JsonNode body, Actor actor) {
        Ticket live = tickets.get(ticketId);
        if (live == null) {
            throw ZendeskError.notFound();
        }
        if (live.status == Status.CLOSED) {
            throw ZendeskError.invalid("status", "Status: closed prevents ticket update", null);
        }
        Errors errors = new Errors();
        Ticket ticket = live.copy();
        Map<String, Object[]> changes = new LinkedHashMap<>();
        applyFields(ticket, body, errors, changes, actor, false);
        JsonNode commentNode = body.path("comment");
        String text = commentText(commentNode);
        Long authorId = text == null ? null : commentAuthor(commentNode, actor, errors);
        if (text != null && comments.getOrDefault(ticketId, List.of()).size() >= MAX_COMMENTS) {
            errors.add("base", "Comments: a ticket can have at most " + MAX_COMMENTS + " comments",
                    "TooManyComments");
        }
        errors.throwIfAny();

        boolean publicComment = text != null && commentNode.path("public").asBoolean(true);
        if (!changes.containsKey("status")) {
            // A requester's public reply reopens the ticket; assigning a new ticket opens it.
            if (publicComment && Objects.equals(authorId, ticket.requesterId)
                    && (ticket.status == Status.PENDING || ticket.status == Status.HOLD
                    || ticket.status == Status.SOLVED)) {
                change(changes, "status", ticket.status.wire(), Status.OPEN.wire());
                ticket.status = Status.OPEN;
            } else if (ticket.status == Status.NEW && ticket.assigneeId != null) {
                change(changes, "status", ticket.status.wire(), Status.OPEN.wire());
                ticket.status = Status.OPEN;
            }
        }
        Instant now = now();
        long auditId = nextEventId++;
        List<AuditEvent> events = new ArrayList<>();
        Comment comment = null;
        if (text != null) {
            comment = newComment(ticketId, auditId, authorId, commentNode, actor, now);
            events.add(AuditEvent.comment(comment));
            comments.computeIfAbsent(ticketId, id -> new ArrayList<>()).add(comment);
        }
        changes.forEach((field, values) ->
                events.add(new AuditEvent(nextEventId++, "Change", field, values[1], values[0], null)));
        Status previous = live.status;
        ticket.updatedAt = now;
        tickets.put(ticketId, ticket);
        Audit audit = new Audit(auditId, ticketId, actor.user().id(), actor.channel(), actor.client(), now, events);
        audits.computeIfAbsent(ticketId, id -> new ArrayList<>()).add(audit);
        return publish(new TicketChange(ticket.copy(), audit, actor, false, comment,
                previous != ticket.status ? previous : null));
    }

    private WriteResult publish(TicketChange change) {
        listeners.forEach(listener -> listener.accept(change));
        return new WriteResult(change.ticket(), change.audit());
    }

    // ---- field rules ---------------------------------------------------------------------------

    private void applyFields(Ticket ticket, JsonNode body, Errors errors, Map<String, Object[]> changes, Actor actor,
            boolean creating) {
        if (body.has("subject")) {
            String subject = body.get("subject").isNull() ? null : body.get("subject").asText();
            change(changes, "subject", ticket.subject, subject);
            ticket.subject = subject;
        }
        if (body.has("external_id")) {
            String externalId = body.get("external_id").isNull() ? null : body.get("external_id").asText();
            change(changes, "external_id", ticket.externalId, externalId);
            ticket.externalId = externalId;
        }
        if (body.has("priority")) {
            String priority = textOrNull(body.get("priority"));
            if (priority != null && !SeedData.PRIORITIES.contains(priority)) {
                errors.add("priority", "Priority: is invalid", "InvalidValue");
            } else {
                change(changes, "priority", ticket.priority, priority);
                ticket.priority = priority;
            }
        }
        if (body.has("type")) {
            String type = textOrNull(body.get("type"));
            if (type != null && !SeedData.TYPES.contains(type)) {
                errors.add("type", "Type: is invalid", "InvalidValue");
            } else {
                change(changes, "type", ticket.type, type);
                ticket.type = type;
            }
        }
        if (!creating && body.has("requester_id")) {
            long requesterId = body.get("requester_id").asLong();
            if (!users.containsKey(requesterId)) {
                errors.add("requester", "Requester: is invalid", "InvalidValue");
            } else {
                change(changes, "requester_id", ticket.requesterId, requesterId);
                ticket.requesterId = requesterId;
            }
        }
        applyGroupAndAssignee(ticket, body, errors, changes);
        applyTags(ticket, body, changes);
        applyCustomFields(ticket, body, errors, changes);
        if (body.hasNonNull("status")) {
            Optional<Status> status = Status.parse(body.get("status").asText());
            if (status.isEmpty()) {
                errors.add("status", "Status: is invalid", "InvalidValue");
            } else {
                if ((status.get() == Status.SOLVED || status.get() == Status.CLOSED) && ticket.assigneeId == null) {
                    // Solving needs an assignee; an agent who solves an unassigned ticket gets it.
                    if (actor.user().isStaff()) {
                        change(changes, "assignee_id", null, actor.user().id());
                        ticket.assigneeId = actor.user().id();
                        if (ticket.groupId == null) {
                            change(changes, "group_id", null, actor.user().defaultGroupId());
                            ticket.groupId = actor.user().defaultGroupId();
                        }
                    } else {
                        errors.add("assignee", "Assignee: is required when solving the ticket", "BlankValue");
                    }
                }
                change(changes, "status", creating ? null : ticket.status.wire(), status.get().wire());
                if (creating || status.get() != ticket.status) {
                    ticket.status = status.get();
                } else {
                    changes.remove("status");
                }
            }
        }
    }

    private void applyGroupAndAssignee(Ticket ticket, JsonNode body, Errors errors, Map<String, Object[]> changes) {
        Long groupId = ticket.groupId;
        Long assigneeId = ticket.assigneeId;
        if (body.has("group_id")) {
            groupId = body.get("group_id").isNull() ? null : body.get("group_id").asLong();
            if (groupId != null && !groups.containsKey(groupId)) {
                errors.add("group", "Group: is invalid", "InvalidValue");
                return;
            }
        }
        if (body.has("assignee_id")) {
            assigneeId = body.get("assignee_id").isNull() ? null : body.get("assignee_id").asLong();
            if (assigneeId != null) {
                User assignee = users.get(assigneeId);
                if (assignee == null || !assignee.isStaff()) {
                    errors.add("assignee", "Assignee: is invalid", "InvalidValue");
                    return;
                }
                if (groupId == null) {
                    groupId = assignee.defaultGroupId();
                } else if (!assignee.groupIds().contains(groupId)) {
                    errors.add("assignee", "Assignee: is not a member of the group", "InvalidValue");
                    return;
                }
            }
        } else if (assigneeId != null && groupId != null && !Objects.equals(groupId, ticket.groupId)
                && !users.get(assigneeId).groupIds().contains(groupId)) {
            assigneeId = null; // moving to a group the assignee is not in unassigns, as in the agent UI
        }
        change(changes, "group_id", ticket.groupId, groupId);
        change(changes, "assignee_id", ticket.assigneeId, assigneeId);
        ticket.groupId = groupId;
        ticket.assigneeId = assigneeId;
    }

    private static void applyTags(Ticket ticket, JsonNode body, Map<String, Object[]> changes) {
        Set<String> tags = new LinkedHashSet<>(ticket.tags);
        if (body.has("tags")) {
            tags.clear();
            tags.addAll(tagList(body.get("tags")));
        }
        tags.addAll(tagList(body.path("additional_tags")));
        tags.removeAll(tagList(body.path("remove_tags")));
        List<String> after = new ArrayList<>(tags);
        change(changes, "tags", ticket.tags, after);
        ticket.tags = after;
    }

    private static List<String> tagList(JsonNode node) {
        List<String> tags = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(tag -> addTags(tags, tag.asText()));
        } else if (node.isTextual()) {
            addTags(tags, node.asText());
        }
        return tags;
    }

    private static void addTags(List<String> tags, String text) {
        for (String tag : text.toLowerCase(Locale.ROOT).trim().split("[\\s,]+")) {
            if (!tag.isEmpty()) {
                tags.add(tag);
            }
        }
    }

    private void applyCustomFields(Ticket ticket, JsonNode body, Errors errors, Map<String, Object[]> changes) {
        JsonNode list = body.has("custom_fields") ? body.get("custom_fields") : body.path("fields");
        if (!list.isArray()) {
            return;
        }
        for (JsonNode entry : list) {
            long fieldId = entry.path("id").asLong();
            TicketField field = fields.get(fieldId);
            if (field == null || field.system()) {
                errors.addField("base", "Field " + entry.path("id").asText() + ": does not exist", "InvalidValue",
                        fieldId);
                continue;
            }
            JsonNode value = entry.path("value");
            Object parsed;
            try {
                parsed = parseFieldValue(field, value);
            } catch (IllegalArgumentException e) {
                errors.addField("base", field.title() + ": " + e.getMessage(), "InvalidValue", fieldId);
                continue;
            }
            Object before = ticket.customFields.get(fieldId);
            if (parsed == null) {
                ticket.customFields.remove(fieldId);
            } else {
                ticket.customFields.put(fieldId, parsed);
            }
            if (field.type().equals("checkbox") && field.tag() != null) {
                ticket.tags.remove(field.tag());
                if (Boolean.TRUE.equals(parsed)) {
                    ticket.tags.add(field.tag());
                }
            }
            change(changes, String.valueOf(fieldId), before, parsed);
        }
    }

    /** The stored value of a custom field, or null to clear; IllegalArgumentException says why not. */
    private static Object parseFieldValue(TicketField field, JsonNode value) {
        if (value.isNull() || value.isMissingNode() || (value.isTextual() && value.asText().isEmpty())) {
            return null;
        }
        switch (field.type()) {
            case "tagger" -> {
                if (!value.isValueNode() || field.optionByValue(value.asText()).isEmpty()) {
                    throw new IllegalArgumentException("is invalid");
                }
                return value.asText();
            }
            case "multiselect" -> {
                List<String> values = new ArrayList<>();
                Collection<JsonNode> items = new ArrayList<>();
                if (value.isArray()) {
                    value.forEach(items::add);
                } else {
                    items.add(value);
                }
                for (JsonNode item : items) {
                    if (field.optionByValue(item.asText()).isEmpty()) {
                        throw new IllegalArgumentException("is invalid");
                    }
                    values.add(item.asText());
                }
                return values.isEmpty() ? null : values;
            }
            case "checkbox" -> {
                if (value.isBoolean()) {
                    return value.asBoolean();
                }
                if (value.isTextual() && (value.asText().equals("true") || value.asText().equals("false"))) {
                    return Boolean.valueOf(value.asText());
                }
                throw new IllegalArgumentException("is invalid");
            }
            case "integer" -> {
                try {
                    return String.valueOf(Long.parseLong(value.asText().trim()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("is not a number", e);
                }
            }
            case "decimal" -> {
                try {
                    return new BigDecimal(value.asText().trim()).toPlainString();
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("is not a number", e);
                }
            }
            case "date" -> {
                try {
                    return LocalDate.parse(value.asText().trim()).toString();
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException("is not a date (YYYY-MM-DD)", e);
                }
            }
            default -> {
                if (!value.isValueNode()) {
                    throw new IllegalArgumentException("is invalid");
                }
                return value.asText();
            }
        }
    }

    // ---- requester, author, comments -----------------------------------------------------------

    private long resolveRequester(JsonNode body, Actor actor, Errors errors) {
        if (body.hasNonNull("requester_id")) {
            long requesterId = body.get("requester_id").asLong();
            if (!users.containsKey(requesterId)) {
                errors.add("requester", "Requester: is invalid", "InvalidValue");
            }
            return requesterId;
        }
        JsonNode requester = body.path("requester");
        if (!requester.isObject()) {
            return actor.user().id();
        }
        String email = textOrNull(requester.get("email"));
        String name = textOrNull(requester.get("name"));
        if (email != null) {
            if (!EMAIL.matcher(email).matches()) {
                errors.add("requester", "Requester: Email is invalid", "InvalidValue");
                return 0;
            }
            Optional<User> existing = userByEmail(email);
            if (existing.isPresent()) {
                return existing.get().id(); // the name is not updated, as in Zendesk
            }
        }
        if ((name == null || name.isBlank()) && email == null) {
            errors.add("requester", "Requester: Name is too short (minimum one character)", "ValueTooShort");
            return 0;
        }
        if (errors.any()) {
            return 0; // no user is created by a request that fails
        }
        String userName = name == null || name.isBlank() ? email.substring(0, email.indexOf('@')) : name;
        User created = new User(nextUserId++, userName, email, Role.END_USER, List.of(), null, null, now());
        users.put(created.id(), created);
        return created.id();
    }

    private Long commentAuthor(JsonNode comment, Actor actor, Errors errors) {
        if (!comment.hasNonNull("author_id")) {
            return actor.user().id();
        }
        long authorId = comment.get("author_id").asLong();
        if (!users.containsKey(authorId)) {
            errors.add("author_id", "Author: is invalid", "InvalidValue");
        }
        return authorId;
    }

    private Ticket followupSource(JsonNode body) {
        if (!body.hasNonNull("via_followup_source_id")) {
            return null;
        }
        Ticket source = tickets.get(body.get("via_followup_source_id").asLong());
        // "The parameter only works with closed tickets. It has no effect with other tickets."
        return source != null && source.status == Status.CLOSED ? source : null;
    }

    /** The comment's text, from {@code body} or else {@code html_body}; null when there is none. */
    private static String commentText(JsonNode comment) {
        if (!comment.isObject()) {
            return null;
        }
        String body = textOrNull(comment.get("body"));
        if (body != null && !body.isBlank()) {
            return body;
        }
        String html = textOrNull(comment.get("html_body"));
        if (html != null && !html.isBlank()) {
            return stripHtml(html);
        }
        return null;
    }

    private Comment newComment(long ticketId, long auditId, long authorId, JsonNode node, Actor actor, Instant at) {
        String html = textOrNull(node.get("html_body"));
        String plain;
        String htmlBody;
        if (html != null && !html.isBlank()) {
            plain = stripHtml(html);
            htmlBody = "<div class=\"zd-comment\" dir=\"auto\">" + html + "</div>";
        } else {
            plain = node.get("body").asText();
            htmlBody = "<div class=\"zd-comment\" dir=\"auto\"><p dir=\"auto\">" + escapeHtml(plain)
                    .replace("\n\n", "</p><p dir=\"auto\">").replace("\n", "<br>") + "</p></div>";
        }
        boolean isPublic = node.path("public").asBoolean(true);
        return new Comment(nextEventId++, ticketId, auditId, authorId, plain, htmlBody, plain, isPublic,
                actor.channel(), actor.client(), at);
    }

    private static String stripHtml(String html) {
        return html.replaceAll("(?i)<br\\s*/?>", "\n").replaceAll("(?i)</p>\\s*<p[^>]*>", "\n\n")
                .replaceAll("<[^>]+>", "").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&#39;", "'").replace("&amp;", "&").trim();
    }

    private static String escapeHtml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static void change(Map<String, Object[]> changes, String field, Object before, Object after) {
        if (Objects.equals(before, after)) {
            return;
        }
        Object[] existing = changes.get(field);
        changes.put(field, new Object[] {existing == null ? before : existing[0], after});
    }

    private static String textOrNull(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? null : node.asText();
    }

    private static String stripQuotes(String text) {
        String t = text.trim();
        return t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1) : t;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    /** Collects validation errors into Zendesk's {@code details} object. */
    private static final class Errors {
        private final ObjectNode details = NODES.objectNode();

        void add(String field, String description, String error) {
            array(field).addObject().put("description", description).put("error", error);
        }

        void addField(String field, String description, String error, long fieldKey) {
            array(field).addObject().put("description", description).put("error", error).put("field_key", fieldKey);
        }

        boolean any() {
            return !details.isEmpty();
        }

        void throwIfAny() {
            if (any()) {
                throw ZendeskError.invalid(details);
            }
        }

        private ArrayNode array(String field) {
            return details.has(field) ? (ArrayNode) details.get(field) : details.putArray(field);
        }
    }
}
