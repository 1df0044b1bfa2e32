package com.helpdeskconnect.sandbox.support;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;

/** Faults done to a request's connection or answer, the same whatever the helpdesk. */
public final class Connections {
    private Connections() {
    }

    /** Closes the socket with SO_LINGER 0, so the client sees a reset rather than an answer. */
    public static void reset(Context ctx) {
        EndPoint endPoint = Request.getBaseRequest(ctx.req()).getHttpChannel().getEndPoint();
        try {
            if (endPoint.getTransport() instanceof SocketChannel channel) {
                channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        endPoint.close();
    }

    /** Writes the answer's body {@code chunkBytes} at a time, pausing {@code chunkPause} before each. */
    public static void slowBody(Context ctx, int chunkBytes, Duration chunkPause) {
        InputStream body = ctx.resultInputStream();
        if (body != null) {
            ctx.result(new SlowInputStream(body, chunkBytes, chunkPause));
        }
    }
}
