package com.helpdeskconnect.creatio.net;

import com.helpdeskconnect.api.errors.ConnectorException;
import com.helpdeskconnect.api.errors.InvalidSettingsException;
import com.helpdeskconnect.api.errors.TransientException;
import com.helpdeskconnect.api.net.OutboundDeniedException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.Map;

/**
 * Turns a failed connection into the SPI error the host acts on, deciding by the exception's type:
 * the outbound policy's refusal is a setting to fix, everything else on the wire may pass.
 * A name that does not resolve stays transient for operations (DNS has bad minutes too) but keeps
 * the {@link UnknownHostException} as its cause, so verify can name the setting.
 */
public final class Failures {
    private Failures() {}

    /**
     * @param what    what was called, for the message ("Creatio's identity service")
     * @param where   host and port, never a path or query
     * @param setting the setting that holds the URL
     */
    public static ConnectorException ofIo(IOException e, String what, String where, String setting) {
        if (e instanceof OutboundDeniedException) {
            return new InvalidSettingsException(Map.of(setting, "points at " + where
                    + ", where this host's outbound policy does not allow connections"));
        }
        if (e instanceof UnknownHostException) {
            return new TransientException("Cannot resolve the host name of " + what + " (" + where + ")", e);
        }
        if (e instanceof InterruptedIOException) {
            return new TransientException(what + " at " + where + " did not answer in time");
        }
        if (e instanceof ConnectException) {
            return new TransientException(what + " at " + where + " refused the connection");
        }
        return new TransientException("Cannot reach " + what + " at " + where + " (" + e.getClass().getSimpleName() + ")");
    }

    /** Whether a transient failure was a host name that does not resolve. */
    public static boolean unresolvedHost(ConnectorException e) {
        return e instanceof TransientException && e.getCause() instanceof UnknownHostException;
    }
}
