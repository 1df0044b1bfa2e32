package com.helpdeskconnect.api.cases;

/**
 * Who may see a message on the case.
 *
 * @since 2.0.0
 */
public enum Visibility {
    /** The customer may see it (a public reply, a message of the conversation). */
    PUBLIC,
    /** Agents only (an internal note, such as the AI's handoff summary). */
    INTERNAL
}
