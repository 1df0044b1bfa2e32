package com.helpdeskconnect.sandbox.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bookkeeping half of a sandbox's fault injector: which rules are armed, how many more requests
 * each may hit, and which ones a request gets. Rules apply in the order added; every random choice
 * (probability, jitter) comes from one generator seeded with the sandbox seed, so a sequential
 * client sees the same faults on every run. What a fault does to the request is the sandbox's part.
 *
 * @param <R> the sandbox's fault rule
 */
public final class FaultSchedule<R extends FaultSchedule.Rule> {

    /** What the schedule needs to know of a rule. */
    public interface Rule {
        boolean matches(String method, String path);

        /** How many matching requests get the fault; -1 for all. */
        int times();

        /** Chance (0..1) that a matching request gets it. */
        double probability();

        /** Up to this much extra latency, drawn per request. */
        Duration jitter();
    }

    /** Builds the sandbox's view of an armed rule, e.g. {@code ActiveFault::new}. */
    @FunctionalInterface
    public interface ActiveView<R, T> {
        T of(int id, R rule, int remaining, int injected);
    }

    /** A rule a request gets, with the jitter drawn for it. */
    public record Decision<R>(R rule, long jitterMillis) {
    }

    private static final class State<R> {
        final R rule;
        int remaining;
        int injected;

        State(R rule, int times) {
            this.rule = rule;
            this.remaining = times;
        }
    }

    private final Map<Integer, State<R>> rules = new ConcurrentSkipListMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1);
    private final long seed;
    private Random random;

    public FaultSchedule(long seed) {
        this.seed = seed;
        this.random = new Random(seed);
    }

    /** @return the rule's id, for {@link #remove(int)} */
    public int add(R rule) {
        int id = nextId.getAndIncrement();
        rules.put(id, new State<>(rule, rule.times()));
        return id;
    }

    public void remove(int id) {
        rules.remove(id);
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /** Removes every rule and restarts the random sequence from the seed. */
    public synchronized void clear() {
        rules.clear();
        random = new Random(seed);
    }

    public synchronized <T> List<T> active(ActiveView<R, T> view) {
        List<T> list = new ArrayList<>();
        rules.forEach((id, state) -> list.add(view.of(id, state.rule, state.remaining, state.injected)));
        return list;
    }

    /** How many requests got rule {@code id} so far. */
    public synchronized int injected(int id) {
        State<R> state = rules.get(id);
        return state == null ? 0 : state.injected;
    }

    /** The rules this request gets, in the order added; counts them as injected. */
    public synchronized List<Decision<R>> decide(String method, String path) {
        List<Decision<R>> decisions = new ArrayList<>();
        for (State<R> state : rules.values()) {
            R rule = state.rule;
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
            decisions.add(new Decision<>(rule, jitter));
        }
        return decisions;
    }
}
