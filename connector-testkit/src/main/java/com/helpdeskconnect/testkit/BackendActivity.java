package com.helpdeskconnect.testkit;

import com.helpdeskconnect.api.cases.Direction;
import com.helpdeskconnect.api.cases.Visibility;

/**
 * An activity as the helpdesk double holds it, for the kit's checks.
 *
 * @param text       the message text as stored
 * @param direction  who the helpdesk says wrote it
 * @param visibility whether the helpdesk shows it to the customer ({@link Visibility#PUBLIC}) or to
 *                   agents only ({@link Visibility#INTERNAL}); null when the double cannot tell, and
 *                   the visibility checks are then skipped
 */
public record BackendActivity(String text, Direction direction, Visibility visibility) {

    /** An activity whose visibility the double does not report. */
    public BackendActivity(String text, Direction direction) {
        this(text, direction, null);
    }
}
