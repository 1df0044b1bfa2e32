package com.helpdeskconnect.api.errors;

/**
 * The one exception type that crosses the SPI. Subclasses name the {@link ErrorKind}; the host
 * decides on retries from {@link #retryable()}, never from the message.
 *
 * <p>Messages are shown to admins and logged: they must say what to check and never contain a
 * secret setting, token or request body. A cause may be attached for diagnostics; it must not be
 * a class from the plugin's own libraries that the host cannot load (wrap it or drop it).
 */
public abstract class ConnectorException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    protected ConnectorException(String message, Throwable cause) {
        super(message, cause);
    }

    /** What kind of failure this is. */
    public abstract ErrorKind kind();

    /** Whether the same call may succeed later. */
    public boolean retryable() {
        return kind().retryable();
    }
}
