package com.helpdeskconnect.zendesk.sandbox.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An error Zendesk answers with its envelope {@code {"error", "description", "details"}}; the
 * one mapper in {@link ZendeskApi} writes it.
 */
public final class ZendeskError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String error;
    private final String description;
    private final transient ObjectNode details;

    public ZendeskError(int status, String error, String description, ObjectNode details) {
        super(status + " " + error + (description == null ? "" : ": " + description));
        this.status = status;
        this.error = error;
        this.description = description;
        this.details = details;
    }

    /** 404 {@code {"error":"RecordNotFound","description":"Not found"}}, as recorded from Zendesk. */
    public static ZendeskError notFound() {
        return new ZendeskError(404, "RecordNotFound", "Not found", null);
    }

    /** 422 RecordInvalid with {@code details} keyed by field, each a list of {@code {description, error}}. */
    public static ZendeskError invalid(ObjectNode details) {
        return new ZendeskError(422, "RecordInvalid", "Record validation errors", details);
    }

    /** 422 with one detail, e.g. {@code invalid("status", "Status: closed prevents ticket update", null)}. */
    public static ZendeskError invalid(String field, String description, String errorCode) {
        ObjectNode details = JsonNodeFactory.instance.objectNode();
        ObjectNode entry = details.putArray(field).addObject().put("description", description);
        if (errorCode != null) {
            entry.put("error", errorCode);
        }
        return invalid(details);
    }

    public static ZendeskError badRequest(String error, String description) {
        return new ZendeskError(400, error, description, null);
    }

    /**
     * 403 as Zendesk answers a user whose role may not use the endpoint. Unlike the other errors,
     * {@code error} is an object here: {@code {"error":{"title":"Forbidden","message":"You do not
     * have access to this page. …"}}} (as quoted from a real answer in zenpy issue #336).
     */
    public static ZendeskError forbidden() {
        return new ZendeskError(403, "Forbidden",
                "You do not have access to this page. Please contact the account owner of this help desk for "
                        + "further help.", null);
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public String description() {
        return description;
    }

    public ObjectNode details() {
        return details;
    }

    public ObjectNode toJson() {
        if (status == 403) {
            ObjectNode json = JsonNodeFactory.instance.objectNode();
            json.putObject("error").put("title", error).put("message", description);
            return json;
        }
        ObjectNode json = JsonNodeFactory.instance.objectNode().put("error", error);
        if (description != null) {
            json.put("description", description);
        }
        if (details != null) {
            json.set("details", details);
        }
        return json;
    }
}
