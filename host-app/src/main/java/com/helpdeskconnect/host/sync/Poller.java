package com.helpdeskconnect.host.sync;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One daemon thread that runs {@code drain} until it finds nothing, then sleeps until woken or
 * the poll interval passes (retries come due without a wake-up).
 */
final class Poller implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Poller.class);

    /** One pass; returns how many items it handled. */
    interface Drain {
        int run();
    }

    private final Thread thread;
    private final Semaphore wakeUp = new Semaphore(0);
    private final long pollMs;
    private volatile boolean running = true;

    Poller(String name, long pollMs, Drain drain) {
        this.pollMs = pollMs;
        this.thread = new Thread(() -> loop(drain), name);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void wake() {
        wakeUp.release();
    }

    private void loop(Drain drain) {
        while (running) {
            try {
                if (drain.run() == 0) {
                    wakeUp.tryAcquire(pollMs, TimeUnit.MILLISECONDS);
                    wakeUp.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                log.error("{} failed; retrying in a second", thread.getName(), e);
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
