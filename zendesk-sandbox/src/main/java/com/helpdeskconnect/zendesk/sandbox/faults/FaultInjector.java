package com.helpdeskconnect.zendesk.sandbox.faults;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;

/**
 * Injects faults into API requests, as {@code before}/{@code after} handlers. Rules apply in the
 * order added; every random choice (probability, jitter) comes from one generator seeded with the
 * sandbox seed, so a sequential client sees the same faults on every run.
 */
public final class FaultInjector {
    private static final String AFTER_ATTRIBUTE = "zendesk-sandbox.after-fault";

    private static final class State {
        final FaultRule rule;
        int remaining;
        int injected;

        State(FaultRule rule) {
            this.rule = rule;
            this.remaining = rule.times();
        }
    }

    private final Map<Integer, State> rules = new ConcurrentSkipListMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1);
    private final long seed;
    private Random random;

    public FaultInjector(long seed) {
        this.seed = seed;
        this.random = new Random(seed);
    }

    /** @return the rule's id, for {@link #remove(int)} */
    public int add(FaultRule rule) {
        int id = nextId.getAndIncrement();
        rules.put(id, new State(rule));
        return id;
    }

    public void remove(int id) {
        rules.remove(id);
    }

    /** Removes every rule and restarts the random sequence from the seed. */
    public synchronized void clear() {
        rules.clear();
        random = new Random(seed);
    }

    public synchronized List<ActiveFault> active() {
        List<ActiveFault> list = new ArrayList<>();
        rules.forEach((id, state) -> list.add(new ActiveFault(id, state.rule, state.remaining, state.injected)));
        return list;
    }

    /** How many requests got rule {@code id} so far. */
    public synchronized int injected(int id) {
        State state = rules.get(id);
        return state == null ? 0 : state.injected;
    }

    /** The {@code before} handler: may delay, or answer/reset instead of the endpoint. */
    public void before(Context ctx) throws InterruptedException {
        if (rules.isEmpty()) {
            return;
        }
        for (Decision decision : decide(ctx.method().name(), ctx.path())) {
            FaultRule rule = decision.rule();
            switch (rule.kind()) {
                case LATENCY -> Thread.sleep(rule.latency().toMillis() + decision.jitterMillis());
                case SLOW_BODY, LOSE_ANSWER -> ctx.attribute(AFTER_ATTRIBUTE, rule);
                case STATUS -> {
                    ctx.status(rule.status()).contentType("text/plain; charset=utf-8")
                            .result(HttpStatus.forStatus(rule.status()).getMessage());
                    ctx.skipRemainingHandlers();
                    return;
                }
                case TOO_MANY_REQUESTS -> {
                    ctx.status(429).contentType("text/plain; charset=utf-8")
                            .header("Retry-After", String.valueOf(Math.max(0, rule.retryAfter().toSeconds())))
                            .result("Number of allowed API requests per minute exceeded");
                    ctx.skipRemainingHandlers();
                    return;
                }
                case CONNECTION_RESET -> {
                    resetConnection(ctx);
                    ctx.skipRemainingHandlers();
                    return;
                }
            }
        }
    }

    /** The {@code after} handler: loses the answer of a handled request, or slows its body down. */
    public void after(Context ctx) {
        FaultRule rule = ctx.attribute(AFTER_ATTRIBUTE);
        if (rule == null) {
            return;
        }
        if (rule.kind() == FaultRule.Kind.LOSE_ANSWER) {
            resetConnection(ctx);
            return;
        }
        InputStream body = ctx.resultInputStream();
        if (body != null) {
            ctx.result(new SlowInputStream(body, rule.chunkBytes(), rule.chunkPause()));
        }
    }

    private record Decision(FaultRule rule, long jitterMillis) {
    }

    private synchronized List<Decision> decide(String method, String path) {
        List<Decision> decisions = new ArrayList<>();
        for (State state : rules.values()) {
            FaultRule rule = state.rule;
            if (state.remaining == 0 || !rule.matches(method, path)) {
                continue;
            }
            if (rule.probability() < 1.0 && random.nextDouble() >= rule.probability()) {
                continue;
            }
            if (state.remaining > 0) {
                state.remaining--;
            }
            state.injected++;
            long jitter = rule.jitter().isZero() ? 0 : (long) (random.nextDouble() * rule.jitter().toMillis());
            decisions.add(new Decision(rule, jitter));
        }
        return decisions;
    }

    /** Closes the socket with SO_LINGER 0, so the client sees a reset rather than an answer. */
    private static void resetConnection(Context ctx) {
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
}
