package com.helpdeskconnect.sandbox.model;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Creatio's date wire format: UTC with seven fraction digits, e.g. {@code 2020-05-18T17:50:39.2838673Z}. */
public final class CreatioDates {
    /** What an empty date column holds; it is written as {@code 0001-01-01T00:00:00Z}. */
    public static final Instant EMPTY = Instant.parse("0001-01-01T00:00:00Z");

    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private CreatioDates() {
    }

    public static String format(Instant instant) {
        if (instant == null || EMPTY.equals(instant)) {
            return "0001-01-01T00:00:00Z";
        }
        return FORMAT.format(instant);
    }
}
