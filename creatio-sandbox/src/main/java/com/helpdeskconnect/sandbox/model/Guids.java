package com.helpdeskconnect.sandbox.model;

import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/** GUID helpers: Creatio writes GUIDs lower-case with dashes and uses the zero GUID for "empty". */
public final class Guids {
    public static final String EMPTY = "00000000-0000-0000-0000-000000000000";

    private static final Pattern GUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private Guids() {
    }

    public static boolean isGuid(String text) {
        return text != null && GUID.matcher(text).matches();
    }

    public static String normalize(String guid) {
        return guid.toLowerCase(Locale.ROOT);
    }

    public static String random() {
        return UUID.randomUUID().toString();
    }

    public static boolean isEmpty(Object value) {
        return value == null || EMPTY.equals(value);
    }
}
