package com.helpdeskconnect.sandbox.identity;

import java.util.Set;

/**
 * Who a request runs as: an OAuth client's system user, or the sandbox agent.
 *
 * @param contactId the contact written to CreatedById/ModifiedById
 * @param denied operations refused, as {@code "Case:CREATE"} pairs
 */
public record Caller(String name, String contactId, Set<String> denied) {

    public Caller {
        denied = Set.copyOf(denied);
    }

    public boolean may(Operation operation, String entity) {
        return !denied.contains(entity + ":" + operation);
    }
}
