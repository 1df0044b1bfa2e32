package com.helpdeskconnect.host.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The servlet filter in front of every route: refuses bodies over the limit (413) whether their
 * length is declared or they come chunked, sets the headers every answer carries, and counts
 * requests in flight so that a stopping host can let them finish while it answers new ones 503.
 */
final class HttpGuard implements Filter {
    private final long maxBodyBytes;
    private final ObjectMapper mapper;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private int inFlight;
    private volatile boolean draining;

    HttpGuard(long maxBodyBytes, ObjectMapper mapper) {
        this.maxBodyBytes = maxBodyBytes;
        this.mapper = mapper;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest req = (HttpServletRequest) request;
        HttpServletResponse res = (HttpServletResponse) response;
        enter();
        try {
            res.setHeader("X-Content-Type-Options", "nosniff");
            res.setHeader("Cache-Control", "no-store");
            if (draining) {
                res.setHeader("Connection", "close");
                res.setHeader("Retry-After", "5");
                reject(res, 503, "shutting_down", "The host is shutting down; retry on another instance or later");
                return;
            }
            if (req.getContentLengthLong() > maxBodyBytes) {
                reject(res, 413, "request_too_large", "A request body may have at most " + maxBodyBytes + " bytes");
                return;
            }
            chain.doFilter(new LimitedRequest(req, maxBodyBytes), res);
        } finally {
            leave();
        }
    }

    private void reject(HttpServletResponse res, int status, String code, String message) throws IOException {
        res.setStatus(status);
        res.setContentType("application/json");
        res.getOutputStream().write(mapper.writeValueAsBytes(new ErrorBody(code, message, Map.of())));
    }

    private void enter() {
        lock.lock();
        try {
            inFlight++;
        } finally {
            lock.unlock();
        }
    }

    private void leave() {
        lock.lock();
        try {
            if (--inFlight == 0) {
                idle.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Answers every new request 503 from now on and waits until the requests already running have
     * answered, at most {@code timeout}, and at least {@code grace}: clients (and load balancers)
     * that keep sending learn from a 503 to go elsewhere before the port closes under them.
     * Long-lived streams run asynchronously and are not waited for.
     *
     * @return whether every running request finished in time
     */
    boolean drain(Duration timeout, Duration grace) {
        draining = true;
        long start = System.nanoTime();
        lock.lock();
        try {
            while (true) {
                long elapsed = System.nanoTime() - start;
                if (inFlight == 0 && elapsed >= grace.toNanos()) {
                    return true;
                }
                if (elapsed >= timeout.toNanos()) {
                    return false;
                }
                // woken when the last request leaves; otherwise at the end of the grace period
                long wait = inFlight == 0 ? grace.toNanos() - elapsed : timeout.toNanos() - elapsed;
                idle.awaitNanos(wait);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    int inFlight() {
        lock.lock();
        try {
            return inFlight;
        } finally {
            lock.unlock();
        }
    }

    /** A request whose body stream stops with 413 as soon as it passes the limit. */
    private static final class LimitedRequest extends HttpServletRequestWrapper {
        private final long limit;
        private ServletInputStream limited;

        LimitedRequest(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (limited == null) {
                limited = new LimitedInputStream(super.getInputStream(), limit);
            }
            return limited;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            String charset = getCharacterEncoding();
            return new BufferedReader(new InputStreamReader(getInputStream(),
                    charset == null ? StandardCharsets.UTF_8 : java.nio.charset.Charset.forName(charset)));
        }
    }

    /** Counts what is read and throws {@link ApiException} 413 at the first byte past the limit. */
    static final class LimitedInputStream extends ServletInputStream {
        private final ServletInputStream in;
        private final long limit;
        private long count;

        LimitedInputStream(ServletInputStream in, long limit) {
            this.in = in;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            // never ask for more than one byte past the limit
            int n = in.read(buffer, offset, (int) Math.min(length, limit - count + 1));
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        private void counted(int n) {
            count += n;
            if (count > limit) {
                throw tooLarge(limit);
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }

    static ApiException tooLarge(long limit) {
        return new ApiException(413, "request_too_large", "A request body may have at most " + limit + " bytes");
    }
}
