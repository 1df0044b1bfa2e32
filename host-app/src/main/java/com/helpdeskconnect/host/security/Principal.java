package com.helpdeskconnect.host.security;

import java.util.Optional;
import java.util.Set;

/**
 * Who made a request, as the access layer resolved it from the credential.
 *
 * @param id           stable id for the audit log and rate limits: an API key's id, {@value #BOOTSTRAP_ID},
 *                     or {@code link:<hash>} for a chat link
 * @param name         human name (an API key's name); never the credential
 * @param scopes       what it may do
 * @param integrations the integrations it covers; ignored with {@link Scope#ADMIN} (all of them)
 * @param chatLink     the signed link, when the request came with one
 */
public record Principal(String id, String name, Set<Scope> scopes, Set<String> integrations, Optional<ChatLinks.Link> chatLink) {
    public static final String BOOTSTRAP_ID = "bootstrap-admin";

    public Principal {
        scopes = Set.copyOf(scopes);
        integrations = Set.copyOf(integrations);
    }

    public static Principal bootstrapAdmin() {
        return new Principal(BOOTSTRAP_ID, BOOTSTRAP_ID, Set.of(Scope.ADMIN), Set.of(), Optional.empty());
    }

    public static Principal of(ChatLinks.Link link, String id) {
        return new Principal(id, "chat link", Set.of(), Set.of(link.integrationId()), Optional.of(link));
    }

    public boolean isAdmin() {
        return scopes.contains(Scope.ADMIN);
    }

    /** Holds the scope (admin holds every scope). A chat link holds none. */
    public boolean has(Scope scope) {
        return isAdmin() || scopes.contains(scope);
    }

    public boolean covers(String integrationId) {
        return isAdmin() || integrations.contains(integrationId);
    }

    /** The only integration it can act on without naming one, if there is exactly one. */
    public Optional<String> soleIntegration() {
        return !isAdmin() && integrations.size() == 1 ? Optional.of(integrations.iterator().next()) : Optional.empty();
    }
}
