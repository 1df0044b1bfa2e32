/**
 * How a connector declares its settings and how the host binds and validates them.
 *
 * <p>A connector declares one record whose components are its settings, each annotated with
 * {@link com.helpdeskconnect.api.settings.Setting} (label, help, default) and with Jakarta
 * Validation constraints ({@code @NotBlank}, {@code @Pattern}, ...). From it the host renders a
 * form ({@link com.helpdeskconnect.api.settings.SettingDescriptor}), binds raw JSON-like values
 * ({@link com.helpdeskconnect.api.settings.SettingsBinder}), validates them with its Jakarta
 * validator, and masks {@link com.helpdeskconnect.api.settings.Secret} components in responses.
 */
package com.helpdeskconnect.api.settings;
