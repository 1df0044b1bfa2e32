package com.helpdeskconnect.api.net;

import java.net.UnknownHostException;

/**
 * The host's outbound policy refused a connection. An {@link UnknownHostException} so that HTTP
 * clients treat it as a failed connect without retrying other routes; connectors report it as an
 * invalid setting (the URL points where the host may not go).
 *
 * @since 2.0.0
 */
public class OutboundDeniedException extends UnknownHostException {
    private static final long serialVersionUID = 1L;

    public OutboundDeniedException(String message) {
        super(message);
    }
}
