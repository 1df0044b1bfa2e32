package com.helpdeskconnect.host.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/** Reads what the Fake Desk plugin wrote to its "helpdesk": one line per write. */
public final class Journal {
    private Journal() {}

    /** Lines as words; base64 fields stay encoded except where {@link #decode} is used. */
    public static List<List<String>> lines(Path journal) {
        try {
            if (!Files.exists(journal)) {
                return List.of();
            }
            return Files.readAllLines(journal).stream().filter(l -> !l.isBlank())
                    .map(l -> Arrays.asList(l.split(" "))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<List<String>> of(Path journal, String kind) {
        return lines(journal).stream().filter(l -> l.get(0).equals(kind)).toList();
    }

    /** Activity external ids in the order the helpdesk received them. */
    public static List<String> activityIds(Path journal) {
        return of(journal, "ACTIVITY").stream().map(l -> l.get(2)).toList();
    }

    public static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }
}
