package com.helpdeskconnect.zendesk.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Zendesk answered with something other than success. Internal to the plugin: writers catch it to
 * react to specific refusals (a closed ticket, a bad field value), and the connection turns every
 * one left into an SPI error ({@link ErrorMapper}). The message never holds a request body or a
 * credential; it holds Zendesk's own error text.
 */
public final class ZendeskApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private static final int MAX_TEXT = 300;

    /** No HTTP answer at all: the call failed on the network (see {@link #ioFailure()}). */
    public static final int NO_ANSWER = 0;
    /** A 2xx or 3xx answer that is not Zendesk's JSON: the URL does not point at a Zendesk API. */
    public static final int NOT_ZENDESK = -1;

    private final int status;
    private final String request;
    private final String error;
    private final String description;
    private final transient JsonNode details;
    private final String retryAfter;
    private final Kind ioFailure;

    /** What kind of network failure, when {@link #status()} is {@link #NO_ANSWER}. */
    public enum Kind { NONE, TIMEOUT, UNREACHABLE, DENIED_BY_POLICY }

    ZendeskApiException(int status, String request, String error, String description, JsonNode details,
                        String retryAfter, Kind ioFailure) {
        super(status + " " + request + (error.isEmpty() ? "" : " " + error));
        this.status = status;
        this.request = request;
        this.error = error;
        this.description = description;
        this.details = details;
        this.retryAfter = retryAfter;
        this.ioFailure = ioFailure;
    }

    /** The HTTP status, or {@link #NO_ANSWER} / {@link #NOT_ZENDESK}. */
    public int status() {
        return status;
    }

    /** {@code PUT /api/v2/tickets/7}: no query, no body. */
    public String request() {
        return request;
    }

    /** Zendesk's {@code error} code ({@code RecordInvalid}); empty when none. */
    public String error() {
        return error;
    }

    public String description() {
        return description;
    }

    /** Zendesk's {@code details} object, keyed by field; null when none. */
    public JsonNode details() {
        return details;
    }

    public String retryAfter() {
        return retryAfter;
    }

    public Kind ioFailure() {
        return ioFailure;
    }

    /** Whether {@code details} has an entry for this field ({@code status}, {@code assignee}, {@code base}). */
    public boolean hasDetail(String field) {
        return details != null && details.path(field).isArray() && !details.path(field).isEmpty();
    }

    /** 422 "Status: closed prevents ticket update". */
    public boolean isClosedTicket() {
        return status == 422 && hasDetail("status") && detailTexts().stream()
                .anyMatch(t -> t.toLowerCase(java.util.Locale.ROOT).contains("closed"));
    }

    /** The ticket field ids a 422 blames ({@code details.base[].field_key}). */
    public List<Long> blamedFieldIds() {
        List<Long> ids = new ArrayList<>();
        if (details != null) {
            details.path("base").forEach(entry -> {
                if (entry.path("field_key").canConvertToLong()) {
                    ids.add(entry.path("field_key").asLong());
                }
            });
        }
        return ids;
    }

    /** The description of the detail blaming a field, or Zendesk's general text. */
    public String textFor(long fieldId) {
        if (details != null) {
            for (JsonNode entry : details.path("base")) {
                if (entry.path("field_key").asLong() == fieldId) {
                    return clip(entry.path("description").asText(""));
                }
            }
        }
        return zendeskText();
    }

    /** Every {@code details.*[].description}, in order. */
    public List<String> detailTexts() {
        List<String> texts = new ArrayList<>();
        if (details != null) {
            details.properties().forEach(field -> field.getValue().forEach(entry -> {
                String text = entry.path("description").asText("");
                if (!text.isBlank()) {
                    texts.add(text.strip());
                }
            }));
        }
        return texts;
    }

    /** Zendesk's words for the refusal: "RecordInvalid: Status: closed prevents ticket update". */
    public String zendeskText() {
        List<String> parts = detailTexts();
        String text;
        if (!parts.isEmpty()) {
            text = String.join("; ", parts);
        } else {
            text = description == null ? "" : description.strip();
        }
        if (!error.isEmpty() && !text.startsWith(error)) {
            text = text.isEmpty() ? error : error + ": " + text;
        }
        return clip(text);
    }

    static String clip(String text) {
        String t = text == null ? "" : text.strip().replaceAll("\\s+", " ");
        return t.length() > MAX_TEXT ? t.substring(0, MAX_TEXT) + "…" : t;
    }
}
