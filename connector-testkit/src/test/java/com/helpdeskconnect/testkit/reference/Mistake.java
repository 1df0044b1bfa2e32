package com.helpdeskconnect.testkit.reference;

/** One classic connector mistake each; {@link MistakenConnector} makes it and the kit must catch it. */
enum Mistake {
    /** Remembers a conversation's case in the connection's memory, after the answer: a lost answer opens a second case. */
    CASE_REMEMBERED_IN_MEMORY,
    /** Remembers written messages in the connection's memory, after the answer: a lost answer writes them twice. */
    MESSAGES_REMEMBERED_IN_MEMORY,
    /** Writes the solution as a note on each resolve it does not remember: a lost answer writes it twice. */
    RESOLUTION_NOTE_REPEATED,
    /** Notes the filled fields on each fill it does not remember: a lost answer writes the note twice. */
    FIELDS_NOTE_REPEATED,
    /** Treats a reset after the request was sent as permanent: the host would park the operation. */
    LOST_ANSWER_IS_PERMANENT,
    /** Authenticates webhook calls again in onWebhook, against the clock. */
    REAUTHENTICATES_LATER,
    /** Checks the replay window against the clock instead of the arrival time. */
    REPLAY_WINDOW_ON_CLOCK,
    /** Signs the body after trimming it, so trailing bytes can be altered. */
    SIGNS_TRIMMED_BODY,
    /** Refuses a customer without an email address. */
    NEEDS_CUSTOMER_EMAIL,
    /** Declares ASSIGN but ignores the draft's owner and group. */
    DROPS_DRAFT_ASSIGNMENT,
    /** Declares ASSIGN but drops owner and group at handoff. */
    DROPS_HANDOFF_ASSIGNMENT,
    /** Ignores the closure code. */
    DROPS_CLOSURE_CODE,
    /** Appends to a resolved case without reopening it. */
    NO_REOPEN,
    /** Gives up on a closed case instead of opening a follow-up. */
    NO_FOLLOW_UP,
    /** Looks the conversation's case up and creates it in two steps, so two racing calls both create. */
    RACY_CREATE,
    /** Keeps the messages being written in one field shared by all threads. */
    SHARED_BUFFER,
    /** Writes every activity as public. */
    EVERYTHING_PUBLIC,
    /** Reports agents' internal notes as public replies. */
    NOTES_AS_PUBLIC,
    /** Declares only CREATE_CASE but carries out every operation. */
    UNDECLARED_OPERATIONS_WORK,
    /** Builds its client without the host's outbound policy. */
    IGNORES_OUTBOUND_POLICY,
    /** Writes the handoff summary before the messages due with it (appendAndHandOff). */
    SUMMARY_BEFORE_MESSAGES
}
