package com.helpdeskconnect.sandbox.faults;

import com.helpdeskconnect.sandbox.identity.BearerAuthenticator;
import com.helpdeskconnect.sandbox.identity.TokenStore;
import com.helpdeskconnect.sandbox.odata.ODataException;
import com.helpdeskconnect.sandbox.support.Connections;
import com.helpdeskconnect.sandbox.support.FaultSchedule;
import io.javalin.http.Context;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Injects faults into requests on both ports, as {@code before}/{@code after} handlers. Rules apply
 * in the order added; every random choice (probability, jitter) comes from one generator seeded
 * with the sandbox seed, so a sequential client sees the same faults on every run.
 */
public final class FaultInjector {
    private static final String SLOW_BODY_ATTRIBUTE = "creatio-sandbox.slow-body";
    private static final String LOSE_ANSWER_ATTRIBUTE = "creatio-sandbox.lose-answer";

    private final FaultSchedule<FaultRule> schedule;
    private final TokenStore tokens;

    public FaultInjector(TokenStore tokens, long seed) {
        this.tokens = tokens;
        this.schedule = new FaultSchedule<>(seed);
    }

    /** @return the rule's id, for {@link #remove(int)} */
    public int add(FaultRule rule) {
        return schedule.add(rule);
    }

    public void remove(int id) {
        schedule.remove(id);
    }

    /** Removes every rule and restarts the random sequence from the seed. */
    public void clear() {
        schedule.clear();
    }

    public List<ActiveFault> active() {
        return schedule.active(ActiveFault::new);
    }

    /** How many requests got rule {@code id} so far. */
    public int injected(int id) {
        return schedule.injected(id);
    }

    /**
     * The {@code before} handler: may delay, revoke the token, or answer/reset instead of the
     * endpoint; a lose-answer rule is only noted here and carried out by {@link #after}.
     */
    public void before(Context ctx) throws InterruptedException {
        if (schedule.isEmpty()) {
            return;
        }
        String path = URLDecoder.decode(ctx.path().replace("+", "%2B"), StandardCharsets.UTF_8);
        for (FaultSchedule.Decision<FaultRule> decision : schedule.decide(ctx.method().name(), path)) {
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
                    Connections.reset(ctx);
                    ctx.skipRemainingHandlers();
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
            Connections.reset(ctx);
            ctx.skipRemainingHandlers();
            return;
        }
        FaultRule rule = ctx.attribute(SLOW_BODY_ATTRIBUTE);
        if (rule == null) {
            return;
        }
        Connections.slowBody(ctx, rule.chunkBytes(), rule.chunkPause());
    }

    private static void answer(Context ctx, ODataException error) {
        ctx.status(error.status()).contentType("application/json; odata.metadata=minimal")
                .result(error.toBody().toString());
        ctx.skipRemainingHandlers();
    }
}
