package com.helpdeskconnect.sandbox.faults;

import com.helpdeskconnect.sandbox.identity.BearerAuthenticator;
import com.helpdeskconnect.sandbox.identity.TokenStore;
import com.helpdeskconnect.sandbox.odata.ODataException;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.StandardSocketOptions;
import java.net.URLDecoder;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;

/**
 * Injects faults into requests on both ports, as {@code before}/{@code after} handlers. Rules apply
 * in the order added; every random choice (probability, jitter) comes from one generator seeded
 * with the sandbox seed, so a sequential client sees the same faults on every run.
 */
public final class FaultInjector {
    private static final String SLOW_BODY_ATTRIBUTE = "creatio-sandbox.slow-body";
    private static final String LOSE_ANSWER_ATTRIBUTE = "creatio-sandbox.lose-answer";

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
    private final TokenStore tokens;
    private final long seed;
    private Random random;

    public FaultInjector(TokenStore tokens, long seed) {
        this.tokens = tokens;
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

    /**
     * The {@code before} handler: may delay, revoke the token, or answer/reset instead of the
     * endpoint; a lose-answer rule is only noted here and carried out by {@link #after}.
     */
    public void before(Context ctx) throws InterruptedException {
        if (rules.isEmpty()) {
            return;
        }
        String path = URLDecoder.decode(ctx.path().replace("+", "%2B"), StandardCharsets.UTF_8);
        for (Decision decision : decide(ctx.method().name(), path)) {
            FaultRule rule = decision.rule();
            switch (rule.kind()) {
                case LATENCY -> Thread.sleep(rule.latency().toMillis() + decision.jitterMillis());
                case REVOKE_TOKEN -> BearerAuthenticator.bearerToken(ctx.header("Authorization"))
                        .ifPresent(tokens::revoke);
                case SLOW_BODY -> ctx.attribute(SLOW_BODY_ATTRIBUTE, rule);
                case LOSE_ANSWER -> ctx.attribute(LOSE_ANSWER_ATTRIBUTE, rule);
                case STATUS -> {
                    answer(ctx, new ODataException(rule.status(), "The service is temporarily unavailable.",
                            "System.Web.HttpException", null));
                    return;
                }
                case TOO_MANY_REQUESTS -> {
                    ctx.header("Retry-After", String.valueOf(Math.max(0, rule.retryAfter().toSeconds())));
                    answer(ctx, new ODataException(429, "Too many requests.", "System.Web.HttpException", null));
                    return;
                }
                case CONNECTION_RESET -> {
                    resetConnection(ctx);
                    return;
                }
            }
        }
    }

    /**
     * The {@code after} handler: drops the connection instead of the answer when a lose-answer rule
     * matched (the endpoint has run, its write landed), or slows the body down for a slow-body rule.
     */
    public void after(Context ctx) {
        if (ctx.attribute(LOSE_ANSWER_ATTRIBUTE) != null) {
            resetConnection(ctx);
            return;
        }
        FaultRule rule = ctx.attribute(SLOW_BODY_ATTRIBUTE);
        if (rule == null) {
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

    private static void answer(Context ctx, ODataException error) {
        ctx.status(error.status()).contentType("application/json; odata.metadata=minimal")
                .result(error.toBody().toString());
        ctx.skipRemainingHandlers();
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
        ctx.skipRemainingHandlers();
    }
}
