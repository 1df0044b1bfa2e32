package com.helpdeskconnect.zendesk.sandbox.model;

/**
 * Who writes and how: the authenticated API user ({@code api}), an agent in the agent UI
 * ({@code web}) or a customer replying by mail ({@code email}).
 *
 * @param client the User-Agent kept as {@code metadata.system.client}
 */
public record Actor(User user, String channel, String client) {
    public static final String API = "api";
    public static final String WEB = "web";
    public static final String EMAIL = "email";
}
