package com.helpdeskconnect.host.http;

import io.javalin.security.RouteRole;

/**
 * The access rule of a route: every route is registered with exactly one, and {@link Authorizer}
 * enforces it on the route Javalin matched (so {@code /retry/}, which matches {@code /retry}, gets
 * the same rule). A route without one is refused.
 */
enum Access implements RouteRole {
    /** Anyone: {@code /health}. */
    PUBLIC,
    /** Authenticated by the integration's connector (shared secret, signature), not by API keys. */
    WEBHOOK,
    /** Any API credential (not a chat link): the OpenAPI description. */
    ANY_KEY,
    /** The {@code admin} scope: API keys, the audit log. */
    ADMIN,
    /** {@code metrics:read}. */
    METRICS,
    /** {@code integrations:admin}, on any integration (the connector list). */
    INTEGRATIONS,
    /** {@code integrations:admin} on the integration in the path ({@code {id}} or {@code {integrationId}}). */
    INTEGRATION_ADMIN,
    /** {@code events:write}, or a chat link to this conversation (customer messages only; the batch route refuses links). */
    EVENTS_WRITE,
    /** {@code conversations:read}. */
    CONVERSATION_READ,
    /** {@code integrations:admin} on the conversation's integration: retry, discard. */
    CONVERSATION_ADMIN,
    /** {@code conversations:read}, or a chat link to this conversation. */
    STREAM,
    /** A chat link (the page's {@code ?token=}). */
    CHAT_PAGE
}
