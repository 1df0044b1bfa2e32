/**
 * The host's domain exceptions: services ({@code integrations}, {@code sync}, {@code storage}) throw
 * them, and {@code http.DomainErrors} alone decides the status code and error code of the answer.
 */
package com.helpdeskconnect.host.errors;
