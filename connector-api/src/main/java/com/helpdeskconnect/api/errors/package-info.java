/**
 * The typed error model: one {@link com.helpdeskconnect.api.errors.ConnectorException} subclass per
 * {@link com.helpdeskconnect.api.errors.ErrorKind}. Retry-ability is part of the kind.
 */
package com.helpdeskconnect.api.errors;
