package com.helpdeskconnect.sandbox.data;

public final class RecordNotFoundException extends RuntimeException {
    public RecordNotFoundException(String entity, String id) {
        super("Record with Id '" + id + "' not found in the \"" + entity + "\" object");
    }
}
