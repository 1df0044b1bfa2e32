package com.helpdeskconnect.creatio.odata;

import com.fasterxml.jackson.databind.JsonNode;
import com.helpdeskconnect.api.errors.ConnectorException;
import com.helpdeskconnect.api.errors.TransientException;

/**
 * One sub-response of a {@code $batch}.
 *
 * @param status the HTTP status; 0 when Creatio did not run the sub-request (an earlier one failed)
 * @param body   the body, if any
 * @param error  the mapped error when the status is 400 or above
 */
public record BatchResponse(int status, JsonNode body, ConnectorException error) {

    public boolean succeeded() {
        return status >= 200 && status < 300;
    }

    /** Why this entry failed: its mapped error, or, when Creatio never ran it, a transient one. */
    public ConnectorException failure(String what) {
        return error != null ? error : new TransientException("Creatio did not run " + what + " of the batch");
    }
}
