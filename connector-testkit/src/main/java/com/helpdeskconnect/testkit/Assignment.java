package com.helpdeskconnect.testkit;

/**
 * Who a case is assigned to in the helpdesk, by the helpdesk's ids.
 *
 * @param ownerId the assignee agent's id; null for none
 * @param groupId the assignee group's id; null for none
 */
public record Assignment(String ownerId, String groupId) {}
