package com.helpdeskconnect.sandbox.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** The OData primitive types Creatio columns use, with how the sandbox stores and parses each. */
public enum EdmType {
    GUID("Edm.Guid"),
    STRING("Edm.String"),
    DATE_TIME("Edm.DateTimeOffset"),
    INT32("Edm.Int32"),
    DECIMAL("Edm.Decimal"),
    BOOLEAN("Edm.Boolean");

    private final String edmName;

    EdmType(String edmName) {
        this.edmName = edmName;
    }

    public String edmName() {
        return edmName;
    }

    /** Creatio never answers null for these: lookups are the zero GUID, texts "", numbers 0. */
    public Object emptyValue() {
        return switch (this) {
            case GUID -> Guids.EMPTY;
            case STRING -> "";
            case DATE_TIME -> CreatioDates.EMPTY;
            case INT32 -> 0;
            case DECIMAL -> BigDecimal.ZERO;
            case BOOLEAN -> false;
        };
    }

    /**
     * Converts a JSON body value to the stored form.
     *
     * @throws IllegalArgumentException with an OData-style message when the value does not fit
     */
    public Object fromJson(JsonNode node) {
        if (node == null || node.isNull()) {
            return emptyValue();
        }
        switch (this) {
            case GUID -> {
                if (node.isTextual() && Guids.isGuid(node.asText())) {
                    return Guids.normalize(node.asText());
                }
            }
            case STRING -> {
                if (node.isTextual()) {
                    return node.asText();
                }
            }
            case DATE_TIME -> {
                if (node.isTextual()) {
                    return parseDate(node.asText());
                }
            }
            case INT32 -> {
                if (node.isIntegralNumber() && node.canConvertToInt()) {
                    return node.intValue();
                }
            }
            case DECIMAL -> {
                if (node.isNumber()) {
                    return node.decimalValue();
                }
            }
            case BOOLEAN -> {
                if (node.isBoolean()) {
                    return node.booleanValue();
                }
            }
        }
        throw new IllegalArgumentException(
                "Cannot convert the literal '" + node.asText() + "' to the expected type '" + edmName + "'.");
    }

    /** {@code String}, {@code Edm.String}, {@code Guid}, {@code Int32}, … case-insensitively. */
    public static EdmType parse(String name) {
        String bare = name.trim().replaceFirst("(?i)^Edm\\.", "");
        for (EdmType type : values()) {
            if (type.edmName().substring(4).equalsIgnoreCase(bare) || type.name().equalsIgnoreCase(bare)) {
                return type;
            }
        }
        throw new IllegalArgumentException("Unknown column type " + name);
    }

    public static Instant parseDate(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "Cannot convert the literal '" + text + "' to the expected type 'Edm.DateTimeOffset'.", e);
        }
    }
}
