package com.helpdeskconnect.zendesk.sandbox.model;

import java.util.List;
import java.util.Optional;

/**
 * A ticket field as {@code GET /api/v2/ticket_fields} lists it: a system field (subject, status,
 * priority, …; {@code removable: false}) or a custom one (text, tagger, checkbox, …).
 *
 * @param options {@code custom_field_options} of tagger/multiselect fields, or the
 *     {@code system_field_options} of status, tickettype and priority
 */
public record TicketField(long id, String type, String title, String description, boolean system, boolean active,
        boolean required, String tag, List<FieldOption> options) {

    public TicketField {
        options = List.copyOf(options);
    }

    /** A custom field: {@code text}, {@code textarea}, {@code tagger}, {@code multiselect}, … */
    public static TicketField custom(long id, String type, String title, List<FieldOption> options) {
        return new TicketField(id, type, title, title, false, true, false, null, options);
    }

    public boolean hasOptions() {
        return type.equals("tagger") || type.equals("multiselect");
    }

    public Optional<FieldOption> optionByValue(String value) {
        return options.stream().filter(o -> o.value().equals(value)).findFirst();
    }

    public TicketField inactive() {
        return new TicketField(id, type, title, description, system, false, required, tag, options);
    }
}
