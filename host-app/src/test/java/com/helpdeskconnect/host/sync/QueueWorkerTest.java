package com.helpdeskconnect.host.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.helpdeskconnect.host.storage.Database;
import com.helpdeskconnect.host.storage.queue.Claim;
import com.helpdeskconnect.host.storage.queue.QueueTable;
import com.helpdeskconnect.host.storage.queue.WorkQueue;
import com.helpdeskconnect.host.testing.TestStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dispatcher's claims: with a backlog it waits for several free workers and claims them
 * together (each claim walks the queue's due rows, so one claim per finished row would cost that
 * walk per row); every row still runs exactly once, and a lone row is claimed without a backlog wait.
 */
class QueueWorkerTest {
    private static final int THREADS = 64;

    @TempDir
    Path dir;

    @Test
    void aBacklogIsClaimedSeveralRowsAtATimeAndEveryRowRunsOnce() throws Exception {
        int rows = 1_500;
        Deque<Claim> backlog = new ArrayDeque<>();
        for (int i = 0; i < rows; i++) {
            backlog.add(new Claim(i, "desk", "c" + i, 0, 1, Instant.now()));
        }
        List<Integer> claimSizes = Collections.synchronizedList(new ArrayList<>());
        List<Long> handled = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(rows);
        QueueWorker.Claimer<Claim> claimer = (limit, busy) -> {
            List<Claim> claimed = new ArrayList<>();
            synchronized (backlog) {
                while (claimed.size() < limit && !backlog.isEmpty()) {
                    claimed.add(backlog.poll());
                }
            }
            claimSizes.add(claimed.size());
            return claimed;
        };
        try (TestStore test = TestStore.of(TestStore.Kind.SQLITE, dir); Database db = test.open(2);
             QueueWorker<Claim> worker = new QueueWorker<>("test", THREADS, new WorkQueue(db, QueueTable.OUTBOX), claimer,
                     claim -> claim, claim -> {
                         // a helpdesk call of 20-60 ms: workers come free a few at a time
                         sleep(20 + claim.id() % 41);
                         handled.add(claim.id());
                         done.countDown();
                     })) {
            worker.start();
            worker.wake();
            assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(handled).hasSize(rows).doesNotHaveDuplicates();
        List<Integer> nonEmpty = claimSizes.stream().filter(size -> size > 0).toList();
        // the first claim fills the pool; later ones wait for THREADS / 8 free workers (or 10 ms)
        assertThat(nonEmpty.get(0)).isEqualTo(THREADS);
        assertThat((double) rows / nonEmpty.size()).isGreaterThanOrEqualTo(THREADS / 8.0 * 0.75);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aLoneRowIsClaimedWhenWokenAndTheNextWakeFindsTheNextOne() throws Exception {
        Deque<Claim> queued = new ArrayDeque<>();
        List<Long> handled = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch second = new CountDownLatch(2);
        QueueWorker.Claimer<Claim> claimer = (limit, busy) -> {
            synchronized (queued) {
                return queued.isEmpty() ? List.of() : List.of(queued.poll());
            }
        };
        try (TestStore test = TestStore.of(TestStore.Kind.SQLITE, dir); Database db = test.open(2);
             QueueWorker<Claim> worker = new QueueWorker<>("test", THREADS, new WorkQueue(db, QueueTable.OUTBOX), claimer,
                     claim -> claim, claim -> {
                         handled.add(claim.id());
                         first.countDown();
                         second.countDown();
                     })) {
            worker.start();
            synchronized (queued) {
                queued.add(new Claim(1, "desk", "a", 0, 1, Instant.now()));
            }
            worker.wake();
            assertThat(first.await(10, TimeUnit.SECONDS)).isTrue();
            synchronized (queued) {
                queued.add(new Claim(2, "desk", "b", 0, 1, Instant.now()));
            }
            worker.wake();
            assertThat(second.await(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(handled).containsExactly(1L, 2L);
        assertThat(Set.copyOf(handled)).hasSize(2);
    }
}
