package com.helpdeskconnect.sandbox.identity;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The OAuth 2.0 integrated applications registered in this sandbox. */
public final class ClientRegistry {
    private final Map<String, RegisteredClient> clients = new ConcurrentHashMap<>();

    public void register(RegisteredClient client) {
        clients.put(client.clientId(), client);
    }

    public void remove(String clientId) {
        clients.remove(clientId);
    }

    public Optional<RegisteredClient> find(String clientId) {
        return Optional.ofNullable(clients.get(clientId));
    }

    /** The client whose id and secret both match, if any. */
    public Optional<RegisteredClient> authenticate(String clientId, String clientSecret) {
        return find(clientId).filter(c -> TokenStore.sameSecret(c.clientSecret(), clientSecret));
    }

    public List<RegisteredClient> all() {
        return List.copyOf(clients.values());
    }
}
