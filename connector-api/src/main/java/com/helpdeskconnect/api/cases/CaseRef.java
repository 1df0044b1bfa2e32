package com.helpdeskconnect.api.cases;

import java.net.URI;
import java.util.Objects;

/**
 * A case in the helpdesk, as the host stores it next to the conversation.
 *
 * @param id     the helpdesk's record id: what every later call refers to
 * @param number the number agents see ({@code SR00000123}); may be empty if the helpdesk has none
 * @param link   where an agent opens the case in a browser; null if unknown
 */
public record CaseRef(String id, String number, URI link) {

    public CaseRef {
        Objects.requireNonNull(id, "id");
        number = number == null ? "" : number;
    }
}
