package com.helpdeskconnect.zendesk.sandbox.model;

/**
 * An option of a dropdown ({@code tagger}) or multi-select field.
 *
 * @param name what agents see, e.g. "Very unhappy"
 * @param value the tag sent in {@code custom_fields}, e.g. {@code very_unhappy}
 */
public record FieldOption(long id, String name, String value, boolean isDefault) {
}
