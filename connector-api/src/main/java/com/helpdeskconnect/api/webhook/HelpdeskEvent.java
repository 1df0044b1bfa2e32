package com.helpdeskconnect.api.webhook;

import com.helpdeskconnect.api.cases.CaseRef;

/**
 * Something an agent did in the helpdesk that the conversation should learn about.
 *
 * <p>Not sealed on purpose: later SPI versions add event types, and hosts ignore types they do not
 * know. {@link #eventId()} is stable for one helpdesk change (for example the activity's record id),
 * so the host drops the duplicates that webhook retries produce.
 */
public interface HelpdeskEvent {

    /** A stable id of the helpdesk change this event reports: the host's deduplication key. */
    String eventId();

    /** The case the event happened on. */
    CaseRef caseRef();
}
