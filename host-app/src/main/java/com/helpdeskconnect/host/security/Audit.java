package com.helpdeskconnect.host.security;

import com.helpdeskconnect.host.storage.AuditStore;
import java.util.List;

/**
 * Records admin actions: who (credential id and name, never the credential), what, on which
 * target, when. Actions are dotted names such as {@code integration.save}, {@code api_key.revoke},
 * {@code conversation.retry}.
 */
public final class Audit {
    private final AuditStore store;

    public Audit(AuditStore store) {
        this.store = store;
    }

    public void record(Principal who, String action, String target, String detail) {
        store.append(who.id(), who.name(), action, target, detail);
    }

    public List<AuditStore.Entry> recent(int limit, long before) {
        return store.recent(limit, before);
    }
}
