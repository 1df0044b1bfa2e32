package com.helpdeskconnect.host.integrations;

import com.helpdeskconnect.host.errors.InvalidRequestException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What the host, not the connector, does with an integration: shown and set as {@code options} on
 * the integration resource, stored beside the settings. Connector settings never carry these.
 *
 * @param createCaseOnlyOnHandoff false: a case per conversation from its first message; true: nothing
 *                                is written to the helpdesk before the handoff
 */
public record IntegrationOptions(boolean createCaseOnlyOnHandoff) {
    public static final IntegrationOptions DEFAULTS = new IntegrationOptions(false);
    /** The option's name; also the name of the legacy setting it replaces (v1 API clients send it in settings). */
    public static final String CREATE_CASE_ONLY_ON_HANDOFF = "createCaseOnlyOnHandoff";

    /** As the API shows and the store keeps them. */
    public Map<String, Object> asMap() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put(CREATE_CASE_ONLY_ON_HANDOFF, createCaseOnlyOnHandoff);
        return json;
    }

    /**
     * These options with {@code changes} applied: a name given changes its option, a name left out keeps it.
     *
     * @throws InvalidRequestException naming every unknown option and every value of the wrong type
     */
    public IntegrationOptions with(Map<String, ?> changes) {
        Map<String, String> errors = new LinkedHashMap<>();
        boolean handoffOnly = createCaseOnlyOnHandoff;
        for (Map.Entry<String, ?> change : changes.entrySet()) {
            if (change.getKey().equals(CREATE_CASE_ONLY_ON_HANDOFF)) {
                Optional<Boolean> value = bool(change.getValue());
                if (value.isPresent()) {
                    handoffOnly = value.get();
                } else {
                    errors.put("options." + change.getKey(), "must be true or false");
                }
            } else {
                errors.put("options." + change.getKey(), "is not an option; options are " + CREATE_CASE_ONLY_ON_HANDOFF);
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException("The integration's options are not valid", errors);
        }
        return new IntegrationOptions(handoffOnly);
    }

    /** Options stored as a map, tolerating what older hosts wrote; unknown names are ignored. */
    public static IntegrationOptions fromStored(Map<String, ?> stored) {
        return new IntegrationOptions(bool(stored.get(CREATE_CASE_ONLY_ON_HANDOFF)).orElse(false));
    }

    /** A boolean as JSON or a v1 client may send it: {@code true}/{@code false} or the same as text. */
    static Optional<Boolean> bool(Object value) {
        if (value instanceof Boolean b) {
            return Optional.of(b);
        }
        if (value instanceof String s) {
            String t = s.strip().toLowerCase(Locale.ROOT);
            if (t.equals("true") || t.equals("false")) {
                return Optional.of(Boolean.parseBoolean(t));
            }
        }
        return Optional.empty();
    }
}
