package com.helpdeskconnect.sandbox.support;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/** Hands out at most {@code chunkBytes} per read and pauses before each chunk: a slow body. */
public final class SlowInputStream extends InputStream {
    private final InputStream delegate;
    private final int chunkBytes;
    private final Duration pause;

    public SlowInputStream(InputStream delegate, int chunkBytes, Duration pause) {
        this.delegate = delegate;
        this.chunkBytes = Math.max(1, chunkBytes);
        this.pause = pause;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while slowing the body", e);
        }
        return delegate.read(buffer, offset, Math.min(length, chunkBytes));
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }
}
