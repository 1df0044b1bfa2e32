package com.helpdeskconnect.api.cases;

/**
 * Who may see a message on the case.
 *
 * @since 2.0.0
 */
public enum Visibility {
    /**
     * The customer may see it (a message of the conversation). A connector may still keep it agents-only
     * where making it public would make the helpdesk notify the customer again (Zendesk e-mails the
     * requester on every public comment); it documents that choice.
     */
    PUBLIC,
    /** Agents only (an internal note, such as the AI's handoff summary): never customer-visible. */
    INTERNAL
}
