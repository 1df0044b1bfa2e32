package com.helpdeskconnect.host.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.helpdeskconnect.api.errors.PermanentException;
import com.helpdeskconnect.api.errors.RateLimitedException;
import com.helpdeskconnect.api.errors.TransientException;
import com.helpdeskconnect.host.sync.RetryPolicy.Failure;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The one retry policy of the three queues. */
class RetryPolicyTest {
    private final RetryPolicy policy = new RetryPolicy(new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1)), 3);

    @Test
    void aTransientFailureIsRetriedWithBackoffUntilTheLimitThenParked() {
        Failure failure = RetryPolicy.classify(new TransientException("helpdesk away"));
        assertThat(failure.kind()).isEqualTo(Failure.Kind.TRANSIENT);
        Instant before = Instant.now();
        RetryPolicy.Decision first = policy.decide(0, failure);
        assertThat(first).isInstanceOf(RetryPolicy.Retry.class);
        // attempt 1 waits base·2^0 = 1 s scaled by jitter into [0.5, 1)
        assertThat(((RetryPolicy.Retry) first).at()).isBetween(before.plusMillis(500), Instant.now().plusSeconds(1));
        assertThat(policy.decide(1, failure)).isInstanceOf(RetryPolicy.Retry.class);
        RetryPolicy.Decision last = policy.decide(2, failure);
        assertThat(last).isInstanceOf(RetryPolicy.Park.class);
        assertThat(((RetryPolicy.Park) last).reason()).startsWith("Gave up after 3 attempts: TRANSIENT");
    }

    @Test
    void aPermanentFailureIsParkedAtOnceAndAnUnexpectedOneRetried() {
        assertThat(policy.decide(0, RetryPolicy.classify(new PermanentException("no such field"))))
                .isInstanceOf(RetryPolicy.Park.class);
        Failure bug = RetryPolicy.classify(new IllegalStateException("bug"));
        assertThat(bug.kind()).isEqualTo(Failure.Kind.TRANSIENT);
        assertThat(bug.message()).isEqualTo("UNEXPECTED: IllegalStateException: bug");
    }

    @Test
    void aRateLimitWaitsAtLeastTheRetryAfterAndNeverParks() {
        Failure limited = RetryPolicy.classify(new RateLimitedException("slow down", Duration.ofSeconds(30)));
        Instant before = Instant.now();
        // even past the attempt limit: waiting is not an attempt
        RetryPolicy.Decision decision = policy.decide(10, limited);
        assertThat(decision).isInstanceOf(RetryPolicy.Wait.class);
        Instant until = ((RetryPolicy.Wait) decision).until();
        assertThat(until).isBetween(before.plusSeconds(30), Instant.now().plusSeconds(33).plusMillis(1));
    }
}
