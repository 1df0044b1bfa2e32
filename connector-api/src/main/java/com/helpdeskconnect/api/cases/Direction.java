package com.helpdeskconnect.api.cases;

/** Who said something in a conversation. */
public enum Direction {
    /** The customer, in the chat widget. */
    CUSTOMER,
    /** The AI assistant. */
    AI,
    /** A human agent, in the helpdesk. */
    AGENT,
    /** A note by the platform itself, such as the handoff summary. */
    SYSTEM
}
