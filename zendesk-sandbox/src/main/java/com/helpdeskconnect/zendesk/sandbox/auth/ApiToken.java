package com.helpdeskconnect.zendesk.sandbox.auth;

/** An API token of the account, acting as the user whose email accompanies it. */
public record ApiToken(String token, long userId) {
}
