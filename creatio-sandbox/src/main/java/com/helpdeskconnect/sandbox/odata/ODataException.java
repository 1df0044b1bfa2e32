package com.helpdeskconnect.sandbox.odata;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An OData failure with Creatio's status and error body:
 * {@code {"error":{"code":"","message":…,"innererror":{"message":…,"type":…,"internalexception":…}}}}.
 */
public final class ODataException extends RuntimeException {
    private final int status;
    private final String type;
    private final String internalMessage;

    public ODataException(int status, String message, String type, String internalMessage) {
        super(message);
        this.status = status;
        this.type = type;
        this.internalMessage = internalMessage;
    }

    public static ODataException badRequest(String message) {
        return new ODataException(400, message, "Microsoft.OData.ODataException", null);
    }

    /** Missing, expired or revoked token, and (a Creatio quirk) unknown collections. */
    public static ODataException unauthorized() {
        return new ODataException(401, "Authorization has been denied for this request.",
                "System.UnauthorizedAccessException", null);
    }

    public static ODataException forbidden(String message) {
        return new ODataException(403, message, "Terrasoft.Common.SecurityException", null);
    }

    public static ODataException notFound(String message) {
        return new ODataException(404, message, "Terrasoft.Common.ItemNotFoundException", null);
    }

    public static ODataException methodNotAllowed(String message) {
        return new ODataException(405, message, "System.NotSupportedException", null);
    }

    public static ODataException serverError(String message, String internalMessage) {
        return new ODataException(500, message, "System.Data.SqlClient.SqlException", internalMessage);
    }

    public int status() {
        return status;
    }

    public ObjectNode toBody() {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode inner = json.objectNode().put("message", getMessage()).put("type", type).put("stacktrace", "");
        if (internalMessage != null) {
            inner.set("internalexception", json.objectNode()
                    .put("message", internalMessage).put("type", type).put("stacktrace", ""));
        }
        ObjectNode error = json.objectNode().put("code", "").put("message", getMessage());
        error.set("innererror", inner);
        ObjectNode body = json.objectNode();
        body.set("error", error);
        return body;
    }
}
