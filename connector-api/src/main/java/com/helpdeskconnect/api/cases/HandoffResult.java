package com.helpdeskconnect.api.cases;

import java.util.Objects;

/**
 * What {@code appendAndHandOff} did.
 *
 * @param caseRef the case the messages and the handoff landed on: the given one, or a follow-up case
 *                when the helpdesk no longer accepts messages on a closed one (the host then links the
 *                conversation to it)
 * @param fields  what happened to the fields, as {@code handOff} reports it
 * @since 2.1.0
 */
public record HandoffResult(CaseRef caseRef, FillResult fields) {

    public HandoffResult {
        Objects.requireNonNull(caseRef, "caseRef");
        Objects.requireNonNull(fields, "fields");
    }
}
