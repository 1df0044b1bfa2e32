package com.helpdeskconnect.testkit;

import com.helpdeskconnect.api.cases.Direction;

/**
 * An activity as the helpdesk double holds it, for the kit's checks.
 *
 * @param text      the message text as stored
 * @param direction who the helpdesk says wrote it
 */
public record BackendActivity(String text, Direction direction) {}
