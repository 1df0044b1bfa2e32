package com.helpdeskconnect.api.cases;

/**
 * The person behind a conversation. Any part may be unknown (null); connectors find or create the
 * helpdesk's contact from what is there, preferring the email address.
 */
public record Customer(String name, String email, String phone) {

    public static Customer anonymous() {
        return new Customer(null, null, null);
    }
}
