package com.helpdeskconnect.sandbox.model;

/**
 * One column as OData shows it.
 *
 * @param lookupTarget for a lookup ({@code OwnerId}) the schema it points at, else null
 */
public record Column(String name, EdmType type, String lookupTarget, boolean required) {

    public boolean isLookup() {
        return lookupTarget != null;
    }

    /** {@code OwnerId} is navigated as {@code Owner}. */
    public String navigationName() {
        return name.substring(0, name.length() - 2);
    }
}
