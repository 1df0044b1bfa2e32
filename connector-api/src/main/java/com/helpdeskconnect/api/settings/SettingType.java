package com.helpdeskconnect.api.settings;

/** The kind of input a setting takes, derived from its Java type. */
public enum SettingType {
    /** {@link String}. */
    STRING,
    /** {@link Secret}: write-only, masked in every answer. */
    SECRET,
    /** {@link java.net.URI}. */
    URL,
    /** {@link java.util.UUID}. */
    GUID,
    /** {@code boolean} or {@link Boolean}. */
    BOOLEAN,
    /** {@code int}, {@code long} or their boxes. */
    INTEGER,
    /** An enum; the options are its constant names. */
    CHOICE,
    /** {@code Map<String, String>}, for mappings such as field name to column. */
    MAP
}
