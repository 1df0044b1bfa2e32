package com.helpdeskconnect.host.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * HTTP/1.1 over a plain socket, for requests no well-behaved client sends: chunked bodies of any
 * size, broken encodings, huge headers. The body is written on its own thread while the answer is
 * read, so a server that answers early (413, 404) is seen answering early.
 */
public final class RawHttp {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How long an answer is read at most: a server that streams (SSE) would otherwise hold the test. */
    static final java.time.Duration MAX_ANSWER_TIME = java.time.Duration.ofSeconds(30);

    private RawHttp() {}

    /** The answer, and how many body bytes the client managed to write before the server stopped it. */
    public record Answer(int status, String head, String body, long bodyBytesWritten) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    /** A request with a fixed body and a Content-Length. */
    public static Answer send(int port, String method, String path, String contentType, byte[] body, String... headers) {
        StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n");
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        for (String h : headers) {
            head.append(h).append("\r\n");
        }
        head.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");
        return exchange(port, head.toString(), out -> out.write(body));
    }

    /** A chunked request of {@code total} bytes of {@code fill}, written in 64 KB chunks. */
    public static Answer chunked(int port, String method, String path, String contentType, long total, byte fill,
                                 String... headers) {
        String head = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
                + String.join("", java.util.Arrays.stream(headers).map(h -> h + "\r\n").toList())
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
        byte[] chunk = new byte[64 * 1024];
        java.util.Arrays.fill(chunk, fill);
        return exchange(port, head, out -> {
            long left = total;
            while (left > 0) {
                int n = (int) Math.min(chunk.length, left);
                out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(chunk, 0, n);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                left -= n;
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        });
    }

    /** Just a request head (for huge URLs and headers). */
    public static Answer head(int port, String head) {
        return exchange(port, head, out -> {});
    }

    private interface Body {
        void write(OutputStream out) throws IOException;
    }

    private static Answer exchange(int port, String head, Body body) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            AtomicLong written = new AtomicLong();
            OutputStream counting = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    out.write(b);
                    written.incrementAndGet();
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                    written.addAndGet(len);
                }
            };
            Thread writer = new Thread(() -> {
                try {
                    out.write(head.getBytes(StandardCharsets.ISO_8859_1));
                    body.write(counting);
                    out.flush();
                } catch (IOException stoppedByServer) {
                    // the server answered and closed: what we care about is the answer
                }
            }, "raw-http-writer");
            writer.setDaemon(true);
            writer.start();
            byte[] answer = readAll(socket.getInputStream());
            socket.shutdownOutput();
            writer.join(30_000);
            String text = new String(answer, StandardCharsets.UTF_8);
            int split = text.indexOf("\r\n\r\n");
            String responseHead = split < 0 ? text : text.substring(0, split);
            String responseBody = split < 0 ? "" : text.substring(split + 4);
            if (responseHead.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
                responseBody = dechunk(responseBody);
            }
            int status = responseHead.length() >= 12 ? Integer.parseInt(responseHead.substring(9, 12)) : -1;
            return new Answer(status, responseHead, responseBody, written.get());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Reads until the server closes, or for at most {@link #MAX_ANSWER_TIME} (an open stream never closes). */
    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        byte[] b = new byte[8192];
        long deadline = System.nanoTime() + MAX_ANSWER_TIME.toNanos();
        int n;
        try {
            while (System.nanoTime() < deadline && (n = in.read(b)) > 0) {
                buffer.write(b, 0, n);
            }
        } catch (java.net.SocketException reset) {
            // the server may reset after answering, with our unread body still in flight
        }
        return buffer.toByteArray();
    }

    private static String dechunk(String body) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < body.length()) {
            int eol = body.indexOf("\r\n", i);
            if (eol < 0) {
                break;
            }
            int size = Integer.parseInt(body.substring(i, eol).trim(), 16);
            if (size == 0) {
                break;
            }
            out.append(body, eol + 2, Math.min(body.length(), eol + 2 + size));
            i = eol + 2 + size + 2;
        }
        return out.toString();
    }
}
