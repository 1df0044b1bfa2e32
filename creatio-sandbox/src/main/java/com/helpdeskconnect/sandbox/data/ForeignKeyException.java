package com.helpdeskconnect.sandbox.data;

/**
 * A lookup column points at a record that does not exist. Creatio backs every lookup column with
 * a database foreign key, so such a write fails in the database; the text is SQL Server's.
 */
public final class ForeignKeyException extends RuntimeException {
    public ForeignKeyException(String statement, String entity, String column, String target) {
        super("The " + statement + " statement conflicted with the FOREIGN KEY constraint \"FK" + entity + column
                + "\". The conflict occurred in database \"creatio\", table \"dbo." + target + "\", column 'Id'."
                + "\r\nThe statement has been terminated.");
    }
}
