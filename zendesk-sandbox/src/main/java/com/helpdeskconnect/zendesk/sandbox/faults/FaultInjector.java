package com.helpdeskconnect.zendesk.sandbox.faults;

import com.helpdeskconnect.sandbox.support.Connections;
import com.helpdeskconnect.sandbox.support.FaultSchedule;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.List;

/**
 * Injects faults into API requests, as {@code before}/{@code after} handlers. Rules apply in the
 * order added; every random choice (probability, jitter) comes from one generator seeded with the
 * sandbox seed, so a sequential client sees the same faults on every run.
 */
public final class FaultInjector {
    private static final String AFTER_ATTRIBUTE = "zendesk-sandbox.after-fault";

    private final FaultSchedule<FaultRule> schedule;

    public FaultInjector(long seed) {
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

    /** The {@code before} handler: may delay, or answer/reset instead of the endpoint. */
    public void before(Context ctx) throws InterruptedException {
        if (schedule.isEmpty()) {
            return;
        }
        for (FaultSchedule.Decision<FaultRule> decision : schedule.decide(ctx.method().name(), ctx.path())) {
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
                    Connections.reset(ctx);
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
            Connections.reset(ctx);
            return;
        }
        Connections.slowBody(ctx, rule.chunkBytes(), rule.chunkPause());
    }
}
