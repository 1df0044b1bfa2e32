package com.helpdeskconnect.host.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A transaction of the group commit holds at most {@code maxBatch} of weight: a unit of many
 * events counts them, a unit heavier than the bound runs alone, and lighter ones share a commit.
 */
class GroupCommitTest {
    @Test
    void unitsShareATransactionUpToTheBoundByWeight() throws Exception {
        AtomicInteger transactions = new AtomicInteger();
        GroupCommit.Transactions counting = new GroupCommit.Transactions() {
            @Override
            public <T> T inTransaction(Database.SqlWork<T> work) {
                transactions.incrementAndGet();
                try {
                    return work.run(null);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        Map<String, Integer> ranIn = new ConcurrentHashMap<>();
        CountDownLatch release = new CountDownLatch(1);
        try (GroupCommit writer = new GroupCommit("test-writer", 10, counting)) {
            List<Thread> threads = new ArrayList<>();
            // the writer is held inside a first transaction while the others queue behind it, in this order
            threads.add(submitter(writer, "blocker", 1, ranIn, transactions, release));
            threads.add(submitter(writer, "heavy", 25, ranIn, transactions, null));
            for (int i = 0; i < 4; i++) {
                threads.add(submitter(writer, "light-" + i, 3, ranIn, transactions, null));
            }
            release.countDown();
            for (Thread t : threads) {
                t.join(10_000);
            }
        }
        assertThat(ranIn).hasSize(6);
        int heavy = ranIn.get("heavy");
        assertThat(heavy).isGreaterThan(ranIn.get("blocker"));
        // the heavy unit alone; then three light units (9 of 10) together, the fourth in the next one
        assertThat(ranIn.values().stream().filter(tx -> tx == heavy).count()).isEqualTo(1);
        assertThat(List.of(ranIn.get("light-0"), ranIn.get("light-1"), ranIn.get("light-2"))).containsOnly(heavy + 1);
        assertThat(ranIn.get("light-3")).isEqualTo(heavy + 2);
    }

    /** Starts a thread submitting one unit and returns once it waits for its commit (so submissions queue in order). */
    private static Thread submitter(GroupCommit writer, String name, int weight, Map<String, Integer> ranIn,
                                    AtomicInteger transactions, CountDownLatch hold) {
        Thread t = new Thread(() -> writer.submit(c -> {
            ranIn.put(name, transactions.get());
            if (hold != null) {
                try {
                    hold.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return null;
        }, weight), name);
        t.start();
        if (hold != null) {
            await().atMost(Duration.ofSeconds(10)).until(() -> ranIn.containsKey(name));
        } else {
            await().atMost(Duration.ofSeconds(10)).until(() -> t.getState() == Thread.State.WAITING);
        }
        return t;
    }
}
