package com.helpdeskconnect.sandbox.data;

public final class DuplicateKeyException extends RuntimeException {
    public DuplicateKeyException(String entity, String id) {
        super("Violation of PRIMARY KEY constraint 'PK" + entity + "Id'. Cannot insert duplicate key in object 'dbo."
                + entity + "'. The duplicate key value is (" + id + ").");
    }
}
