package com.helpdeskconnect.zendesk.sandbox.faults;

/**
 * A rule in force.
 *
 * @param remaining how many more requests get it; -1 for unlimited
 * @param injected how many requests got it so far
 */
public record ActiveFault(int id, FaultRule rule, int remaining, int injected) {
}
