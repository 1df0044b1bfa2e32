/**
 * The helpdesk SPI: what a helpdesk plugin implements and what the Helpdesk Connect host calls.
 *
 * <p>Start with {@link com.helpdeskconnect.api.HelpdeskConnector}. Values are immutable records in
 * {@code cases} and {@code webhook}; settings declaration and binding live in {@code settings};
 * the typed error model in {@code errors}. This package depends only on the JDK, SLF4J,
 * Jakarta Validation and PF4J's {@code ExtensionPoint} marker.
 */
package com.helpdeskconnect.api;
