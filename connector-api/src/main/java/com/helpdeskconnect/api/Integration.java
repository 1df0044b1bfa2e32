package com.helpdeskconnect.api;

import java.util.Objects;

/**
 * One configured instance of a connector type: an admin's integration with their helpdesk.
 *
 * <p>The host binds and validates the raw settings into the connector's
 * {@link ConnectorDescriptor#settingsType() settings record} before any call, so a connector never
 * sees unvalidated settings. Connectors key their per-integration state (tokens, caches) on
 * {@link #id()}; a changed integration arrives as a new {@code Integration} with the same id and
 * other settings, after {@link HelpdeskConnector#release(String)}.
 *
 * @param id       the host's integration id, stable for the integration's lifetime
 * @param settings the validated settings, an instance of the descriptor's settings type
 */
public record Integration(String id, Record settings) {

    public Integration {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(settings, "settings");
    }

    /** The settings as the connector's own record type. */
    public <S extends Record> S settings(Class<S> type) {
        return type.cast(settings);
    }

    /** Never prints settings: they hold secrets. */
    @Override
    public String toString() {
        return "Integration[id=" + id + ", settings=" + settings.getClass().getSimpleName() + "]";
    }
}
