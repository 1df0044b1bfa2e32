package com.helpdeskconnect.creatio.odata;

/** Small helpers for OData query text. */
public final class ODataQuery {
    private ODataQuery() {}

    /** A string literal for $filter: single quotes, with embedded quotes doubled. */
    public static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
