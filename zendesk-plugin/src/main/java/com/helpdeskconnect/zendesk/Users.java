package com.helpdeskconnect.zendesk;

import com.fasterxml.jackson.databind.JsonNode;
import com.helpdeskconnect.zendesk.http.ZendeskClient;
import com.helpdeskconnect.zendesk.state.Ledger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Zendesk users the connection needs: itself (the API token's user: whose writes are echoes, who
 * solves an unassigned ticket) and comment authors (agent or customer, and the name to show).
 * Cached for the connection's life: names and roles rarely change, and a stale name is harmless.
 */
public final class Users {
    private static final int CACHED = 1_000;

    /** A user as far as the connection cares. */
    public record User(long id, String name, String role) {
        public boolean isStaff() {
            return role.equals("agent") || role.equals("admin");
        }
    }

    private final ZendeskClient client;
    private final Ledger ledger;
    private final String email;
    private volatile User me;
    private final Map<Long, Optional<User>> cache = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Optional<User>> eldest) {
            return size() > CACHED;
        }
    };

    public Users(ZendeskClient client, Ledger ledger, String email) {
        this.client = client;
        this.ledger = ledger;
        this.email = email;
    }

    /** The integration's own user id: from state when known, else {@code GET /users/me} once. */
    public long myId() {
        User known = me;
        if (known != null) {
            return known.id();
        }
        var stored = ledger.me(email);
        if (stored.isPresent()) {
            return stored.getAsLong();
        }
        return me().id();
    }

    /** {@code GET /users/me}, remembered. */
    public User me() {
        User known = me;
        if (known == null) {
            known = read(client.get("users/me", Map.of()).path("user"));
            me = known;
            if (known.id() > 0) {
                ledger.recordMe(email, known.id());
            }
        }
        return known;
    }

    /** A user by id; empty when Zendesk has none (the system user -1, a deleted user). */
    public Optional<User> get(long id) {
        synchronized (cache) {
            Optional<User> cached = cache.get(id);
            if (cached != null) {
                return cached;
            }
        }
        Optional<User> found = id <= 0 ? Optional.empty()
                : client.find("users/" + id, Map.of()).map(answer -> read(answer.path("user")));
        synchronized (cache) {
            cache.put(id, found);
        }
        return found;
    }

    static User read(JsonNode user) {
        return new User(user.path("id").asLong(0), user.path("name").asText(""), user.path("role").asText(""));
    }
}
