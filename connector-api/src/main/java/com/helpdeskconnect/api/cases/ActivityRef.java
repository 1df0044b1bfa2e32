package com.helpdeskconnect.api.cases;

import java.util.Objects;

/** An activity written to the helpdesk, by its helpdesk record id. */
public record ActivityRef(String id) {

    public ActivityRef {
        Objects.requireNonNull(id, "id");
    }
}
