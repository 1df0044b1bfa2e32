package com.helpdeskconnect.zendesk.sandbox.auth;

/**
 * A confidential OAuth client for the client-credentials grant; its tokens act as {@code userId}
 * (the admin who created the client).
 */
public record OAuthClient(String identifier, String secret, long userId) {
}
