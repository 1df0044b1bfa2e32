package com.helpdeskconnect.host.bench;

import com.helpdeskconnect.host.testing.KillCheck;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;

/**
 * Benchmark (issue 14), not a test: the host's own per-event writes against candidate embedded stores
 * (H2 as the host opens it today, H2 variants, SQLite in WAL mode), in one JVM per candidate run. See
 * bench/store.sh and BENCHMARKS.md ("Embedded store").
 *
 * <p>Threads as in the host: C client threads each send a conversation's 4 events one after another,
 * each waiting for its "202" (the commit); one writer thread takes every waiting event and writes them
 * in one transaction (group commit, as {@code EventWriter}: per event the duplicate check, the
 * conversation check, then processed_events, conversations for a new one, transcript and outbox, the
 * statements {@code EventIntake} ran per event when the store was chosen; it now looks up once per
 * event and inserts each table's rows as one JDBC batch, {@code HeldEventRows}); one dispatcher claims runnable rows (the real
 * claim query, oldest unfinished row per conversation, then a lease UPDATE per row, one transaction
 * per pass) and hands them to W workers; a worker "calls the helpdesk" (no-op) and completes the row
 * in one transaction (transcript synced_at, outbox DONE, conversation updated_at, as
 * {@code OutboxStore.complete}). H2 runs the real Flyway migrations; SQLite the equivalent DDL
 * of the host ({@code db/migration-sqlite}, also through Flyway).
 *
 * <p>Modes: {@code run --candidate NAME --dir DIR [--warmup 500] [--conversations 4000] [--clients 32]
 * [--workers 16] [--max-backlog 256] [--claim-order host|state-first]} prints one {@code RESULT} line
 * (or {@code FAILED} when the store fails); {@code kill --candidate NAME --dir DIR [--rounds 5]} starts this class as a child JVM ({@code child}) that runs the same load and prints every event id
 * after its commit returned and every outbox id after its DONE commit returned, {@code kill -9}s it at
 * a random moment, reopens the store and checks every printed id; {@code summary FILE} turns RESULT
 * lines into a Markdown table (median and range per candidate); {@code list} names the candidates.
 */
public final class StoreBench {
    static final String INTEGRATION = "bench";
    private static final String H2_TODAY = ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE;QUERY_CACHE_SIZE=64;TRACE_LEVEL_FILE=0";
    private static final String SQLITE_WAL = "?journal_mode=WAL&synchronous=NORMAL&busy_timeout=10000&transaction_mode=IMMEDIATE";

    /** Which engine: H2 gets the real migrations, SQLite the host's {@code db/migration-sqlite}. */
    enum Engine { H2, SQLITE }

    /**
     * One store configuration. {@code url} holds {@code {path}} for the file (without suffix);
     * {@code serializeWrites}: write transactions take one JVM lock (SQLite allows one writer; its
     * busy handler sleeps and retries, so writers queue in the JVM instead).
     */
    public record Candidate(String name, Engine engine, String url, boolean serializeWrites, String what) {}

    static final Map<String, Candidate> CANDIDATES = new LinkedHashMap<>();

    static {
        add(new Candidate("h2-today", Engine.H2, "jdbc:h2:file:{path}" + H2_TODAY, false,
                "H2 2.3.232 as Database.java opens it"));
        add(new Candidate("h2-analyze-off", Engine.H2, "jdbc:h2:file:{path}" + H2_TODAY + ";ANALYZE_AUTO=0", false,
                "no automatic ANALYZE after every 2,000 changed rows of a table"));
        add(new Candidate("h2-page-16k", Engine.H2, "jdbc:h2:file:{path}" + H2_TODAY + ";PAGE_SIZE=16384", false,
                "MVStore page split size 16 KB (H2 passes 4 KB)"));
        add(new Candidate("h2-page-1k", Engine.H2, "jdbc:h2:file:{path}" + H2_TODAY + ";PAGE_SIZE=1024", false,
                "MVStore page split size 1 KB: fewer bytes per changed leaf"));
        add(new Candidate("h2-retention-0", Engine.H2, "jdbc:h2:file:{path}" + H2_TODAY + ";RETENTION_TIME=0", false,
                "free chunks reused at once instead of after 45 s"));
        add(new Candidate("h2-cache-64m", Engine.H2, "jdbc:h2:file:{path}" + H2_TODAY + ";CACHE_SIZE=65536", false,
                "MVStore page cache 64 MB instead of 16 MB"));
        add(new Candidate("h2-nio", Engine.H2, "jdbc:h2:nio:{path}" + H2_TODAY, false,
                "A/A control: H2 2.3.232 maps nio: to the same FilePathDisk as file:, so any difference is noise"));
        add(new Candidate("sqlite-wal", Engine.SQLITE, "jdbc:sqlite:{path}.db" + SQLITE_WAL, true,
                "sqlite-jdbc, WAL, synchronous=NORMAL, BEGIN IMMEDIATE, writers serialised in the JVM"));
        add(new Candidate("sqlite-wal-busy", Engine.SQLITE, "jdbc:sqlite:{path}.db" + SQLITE_WAL, false,
                "as sqlite-wal, writers wait in SQLite's busy handler instead"));
        add(new Candidate("sqlite-wal-full", Engine.SQLITE,
                "jdbc:sqlite:{path}.db" + SQLITE_WAL.replace("synchronous=NORMAL", "synchronous=FULL"), true,
                "as sqlite-wal with an fsync per commit (power-cut safe: more than H2 or sqlite-wal give)"));
    }

    private static void add(Candidate c) {
        CANDIDATES.put(c.name(), c);
    }

    private StoreBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: StoreBench run|kill|child|summary|list [options]");
        }
        Map<String, String> options = options(args);
        switch (args[0]) {
            case "list" -> CANDIDATES.values().forEach(c -> System.out.println(c.name() + "\t" + c.what()));
            case "run" -> run(candidate(options), Path.of(options.get("dir")), intOption(options, "warmup", 500),
                    intOption(options, "conversations", 4000), settings(options));
            case "child" -> child(candidate(options), Path.of(options.get("dir")), settings(options));
            case "kill" -> System.exit(kill(candidate(options), Path.of(options.get("dir")), intOption(options, "rounds", 5)) ? 0 : 1);
            case "summary" -> summary(Path.of(args[1]));
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 1; i + 1 < args.length; i++) {
            if (args[i].startsWith("--")) {
                options.put(args[i].substring(2), args[++i]);
            }
        }
        return options;
    }

    private static Settings settings(Map<String, String> options) {
        return new Settings(intOption(options, "clients", 32), intOption(options, "workers", 16),
                intOption(options, "max-backlog", 256), options.getOrDefault("claim-order", "host").equals("state-first"));
    }

    /**
     * How the load runs. {@code maxBacklog}: events accepted but not yet DONE at most (clients wait
     * beyond it), so the outbox stays as short as in the host benchmark where the sync keeps up;
     * {@code stateFirst}: the claim orders by {@code o.state, o.next_attempt_at, o.id} (the same order,
     * since state is fixed) instead of the host's {@code o.next_attempt_at, o.id}.
     */
    record Settings(int clients, int workers, int maxBacklog, boolean stateFirst) {}

    private static int intOption(Map<String, String> options, String name, int fallback) {
        return options.containsKey(name) ? Integer.parseInt(options.get(name)) : fallback;
    }

    private static Candidate candidate(Map<String, String> options) {
        return candidate(options.get("candidate"));
    }

    /** The candidate of this name. */
    public static Candidate candidate(String name) {
        Candidate c = CANDIDATES.get(name);
        if (c == null) {
            throw new IllegalArgumentException("unknown candidate '" + name + "'; known: " + CANDIDATES.keySet());
        }
        return c;
    }

    // ---------------------------------------------------------------- run

    private static void run(Candidate candidate, Path dir, int warmup, int conversations, Settings settings) throws Exception {
        Files.createDirectories(dir);
        Store store = Store.open(candidate, dir, Math.min(settings.workers() + 8, 24));
        Phase measured;
        try (Load load = new Load(store, settings, "r" + Long.toHexString(System.nanoTime()), null)) {
            load.phase("w", warmup);
            measured = load.phase("m", conversations);
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            System.out.println("FAILED\t" + candidate.name() + "\t" + root);
            System.exit(1);
            return;
        }
        long open = store.fileBytes();
        store.close();
        long closed = store.fileBytes();
        System.out.printf(Locale.ROOT, "RESULT\t%s\t%d\t%.3f\t%.1f\t%.3f\t%d\t%.1f\t%.2f\t%.1f\t%.1f%n", candidate.name(),
                measured.events(), measured.seconds(), measured.events() / measured.seconds(), measured.cpuMs() / measured.events(),
                measured.commits(), measured.commits() / measured.seconds(), (double) measured.commits() / measured.events(),
                open / 1e6, closed / 1e6);
    }

    record Phase(int events, double seconds, double cpuMs, long commits) {}

    // ---------------------------------------------------------------- the store

    /** A candidate opened: a Hikari pool (as the host has), commits counted. */
    static final class Store implements AutoCloseable {
        final Candidate candidate;
        final Path dir;
        final HikariDataSource ds;
        private final ReentrantLock writes;
        final AtomicLong commits = new AtomicLong();

        private Store(Candidate candidate, Path dir, HikariDataSource ds) {
            this.candidate = candidate;
            this.dir = dir;
            this.ds = ds;
            this.writes = candidate.serializeWrites() ? new ReentrantLock() : null;
        }

        static Store open(Candidate candidate, Path dir, int poolSize) {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(candidate.url().replace("{path}", dir.toAbsolutePath().resolve("bench").toString()));
            if (candidate.engine() == Engine.H2) {
                config.setUsername("sa");
                config.setPassword("");
            }
            config.setMaximumPoolSize(poolSize);
            config.setMinimumIdle(Math.min(2, poolSize));
            config.setPoolName("store-bench");
            Store store = new Store(candidate, dir, new HikariDataSource(config));
            if (candidate.engine() == Engine.H2) {
                Flyway.configure().dataSource(store.ds).locations("classpath:db/migration").load().migrate();
            } else {
                // the tables the load touches as SQLite would have them, through Flyway's own SQLite support
                Flyway.configure().dataSource(store.ds).locations("classpath:db/migration-sqlite").load().migrate();
            }
            store.tx(c -> {
                Timestamp now = Timestamp.from(Instant.now());
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO integrations (id, connector_id, settings_sealed, webhook_secret_sealed, created_at, updated_at) "
                        + "SELECT ?, 'bench', 'x', 'x', ?, ? WHERE NOT EXISTS (SELECT 1 FROM integrations WHERE id = ?)")) {
                    ps.setString(1, INTEGRATION);
                    ps.setTimestamp(2, now);
                    ps.setTimestamp(3, now);
                    ps.setString(4, INTEGRATION);
                    ps.executeUpdate();
                }
                return null;
            });
            return store;
        }

        interface Work<T> {
            T run(Connection c) throws SQLException;
        }

        /** One transaction, as {@code Database.inTransaction}. */
        <T> T tx(Work<T> work) {
            if (writes != null) {
                writes.lock();
            }
            try (Connection c = ds.getConnection()) {
                c.setAutoCommit(false);
                try {
                    T result = work.run(c);
                    c.commit();
                    commits.incrementAndGet();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            } finally {
                if (writes != null) {
                    writes.unlock();
                }
            }
        }

        /** All files the store keeps in its folder (H2: .mv.db; SQLite: .db, -wal, -shm). */
        long fileBytes() {
            try (Stream<Path> files = Files.list(dir)) {
                return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            ds.close();
        }
    }

    // ---------------------------------------------------------------- the load

    private record Event(String conversationId, String eventId, String type, String text, String payload, String hash,
                         boolean first) {}

    private record Request(Event event, CompletableFuture<Void> done) {}

    private record Row(long id, String conversationId, String eventId) {}

    /** The host's threads around one store: clients, event writer, dispatcher, workers. */
    static final class Load implements AutoCloseable {
        private static final String[] TYPES = {"customer_message", "ai_reply", "handoff", "resolved"};
        private static final String OWNER = "bench-host-1234-abcdef01";

        private final Store store;
        private final int clients;
        private final int workers;
        private final Semaphore backlog;
        private final String claimOrder;
        private final String runId;
        /** Where a child prints the ids whose commit returned; null in a timed run. */
        private final PrintStream ids;
        private final BlockingQueue<Request> queue = new LinkedBlockingQueue<>();
        private final ExecutorService workerPool;
        private final Set<String> busy = ConcurrentHashMap.newKeySet();
        private final AtomicInteger inFlight = new AtomicInteger();
        private final AtomicInteger completed = new AtomicInteger();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Object wake = new Object();
        private boolean wakeUp;
        private final Thread writer;
        private final Thread dispatcher;
        private volatile Throwable failure;

        Load(Store store, Settings settings, String runId, PrintStream ids) {
            this.store = store;
            this.clients = settings.clients();
            this.workers = settings.workers();
            this.backlog = new Semaphore(settings.maxBacklog());
            this.claimOrder = settings.stateFirst() ? "o.state, o.next_attempt_at, o.id" : "o.next_attempt_at, o.id";
            this.runId = runId;
            this.ids = ids;
            this.workerPool = Executors.newFixedThreadPool(workers, r -> new Thread(r, "worker"));
            this.writer = new Thread(this::writeLoop, "event-writer");
            this.dispatcher = new Thread(this::dispatchLoop, "dispatcher");
            writer.setDaemon(true);
            dispatcher.setDaemon(true);
            writer.start();
            dispatcher.start();
        }

        /** N conversations of 4 events through C clients, until every row is DONE. */
        Phase phase(String name, int conversations) throws InterruptedException {
            long cpu0 = processCpuNanos();
            long commits0 = store.commits.get();
            long t0 = System.nanoTime();
            int total = conversations * TYPES.length;
            int done0 = completed.get();
            AtomicInteger next = new AtomicInteger();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < clients; t++) {
                Thread thread = new Thread(() -> {
                    try {
                        for (int n = next.getAndIncrement(); n < conversations && failure == null; n = next.getAndIncrement()) {
                            String conversation = runId + "-" + name + "-" + n;
                            for (int e = 0; e < TYPES.length && failure == null; e++) {
                                accept(event(conversation, e));
                            }
                        }
                    } catch (RuntimeException | InterruptedException e) {
                        failure = failure == null ? e : failure;
                    }
                }, "client");
                thread.start();
                threads.add(thread);
            }
            for (Thread thread : threads) {
                thread.join();
            }
            while (completed.get() - done0 < total && failure == null) {
                Thread.sleep(1);
            }
            if (failure != null) {
                throw new IllegalStateException("load failed", failure);
            }
            return new Phase(total, (System.nanoTime() - t0) / 1e9, (processCpuNanos() - cpu0) / 1e6, store.commits.get() - commits0);
        }

        private static Event event(String conversation, int n) {
            String type = TYPES[n];
            String eventId = conversation + "-e" + n;
            String text = "Message " + n + " of " + conversation + ": my order has not arrived yet, could you check where it is?";
            String payload = "{\"eventId\":\"" + eventId + "\",\"conversationId\":\"" + conversation + "\",\"integrationId\":\"" + INTEGRATION
                    + "\",\"type\":\"" + type + "\",\"occurredAt\":\"2026-11-27T10:15:30Z\",\"text\":\"" + text
                    + "\",\"customer\":{\"name\":\"Jane Doe\",\"email\":\"jane.doe@example.com\",\"phone\":\"+1 555 0100\"},"
                    + "\"summary\":null,\"fields\":{},\"ownerId\":null,\"groupId\":null,\"resolution\":null}";
            String hash = String.format(Locale.ROOT, "%064x", (long) payload.hashCode() & 0xffffffffL);
            return new Event(conversation, eventId, type, text, payload, hash, n == 0);
        }

        /** What a request thread does: queue the event, wait for the writer's commit (the 202). */
        void accept(Event event) throws InterruptedException {
            while (!backlog.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                if (failure != null) {
                    throw new IllegalStateException("load failed", failure);
                }
            }
            CompletableFuture<Void> done = new CompletableFuture<>();
            queue.add(new Request(event, done));
            while (true) {
                try {
                    done.get(100, TimeUnit.MILLISECONDS);
                    break;
                } catch (TimeoutException e) {
                    if (failure != null) { // the writer has stopped: nobody will answer
                        throw new IllegalStateException("load failed", failure);
                    }
                } catch (ExecutionException e) {
                    throw new IllegalStateException(e.getCause());
                }
            }
            if (ids != null) {
                ids.println("A " + event.eventId());
            }
        }

        private void writeLoop() {
            List<Request> batch = new ArrayList<>();
            while (running.get()) {
                batch.clear();
                try {
                    Request first = queue.poll(100, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                } catch (InterruptedException e) {
                    return;
                }
                queue.drainTo(batch, 255);
                try {
                    Timestamp now = Timestamp.from(Instant.now());
                    store.tx(c -> {
                        for (Request r : batch) {
                            insertEvent(c, r.event(), now);
                        }
                        return null;
                    });
                } catch (Throwable t) {
                    failure = t;
                    batch.forEach(r -> r.done().completeExceptionally(t));
                    return;
                }
                batch.forEach(r -> r.done().complete(null));
                signal();
            }
        }

        /** The statements {@code EventIntake} ran per event when the store was chosen. */
        private static void insertEvent(Connection c, Event e, Timestamp now) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("SELECT conversation_id, content_hash FROM processed_events WHERE integration_id = ? AND event_id = ?")) {
                ps.setString(1, INTEGRATION);
                ps.setString(2, e.eventId());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        throw new IllegalStateException("event id seen twice: " + e.eventId());
                    }
                }
            }
            boolean known;
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM conversations WHERE integration_id = ? AND conversation_id = ?")) {
                ps.setString(1, INTEGRATION);
                ps.setString(2, e.conversationId());
                try (ResultSet rs = ps.executeQuery()) {
                    known = rs.next();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO processed_events (integration_id, event_id, conversation_id, source, received_at, content_hash) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, INTEGRATION);
                ps.setString(2, e.eventId());
                ps.setString(3, e.conversationId());
                ps.setString(4, "api");
                ps.setTimestamp(5, now);
                ps.setString(6, e.hash());
                ps.executeUpdate();
            }
            if (!known) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO conversations (conversation_id, integration_id, status, created_at, updated_at) VALUES (?, ?, 'open', ?, ?)")) {
                    ps.setString(1, e.conversationId());
                    ps.setString(2, INTEGRATION);
                    ps.setTimestamp(3, now);
                    ps.setTimestamp(4, now);
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO transcript (conversation_id, event_id, type, author, text, occurred_at, integration_id) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, e.conversationId());
                ps.setString(2, e.eventId());
                ps.setString(3, e.type());
                ps.setString(4, "Jane Doe");
                ps.setString(5, e.text());
                ps.setTimestamp(6, now);
                ps.setString(7, INTEGRATION);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO outbox (conversation_id, integration_id, event_id, operation, payload, state, attempts, next_attempt_at, accepted_at) VALUES (?, ?, ?, ?, ?, 'PENDING', 0, ?, ?)")) {
                ps.setString(1, e.conversationId());
                ps.setString(2, INTEGRATION);
                ps.setString(3, e.eventId());
                ps.setString(4, e.type());
                ps.setString(5, e.payload());
                ps.setTimestamp(6, now);
                ps.setTimestamp(7, now);
                ps.executeUpdate();
            }
        }

        private void signal() {
            synchronized (wake) {
                wakeUp = true;
                wake.notifyAll();
            }
        }

        private void dispatchLoop() {
            while (running.get()) {
                synchronized (wake) {
                    if (!wakeUp) {
                        try {
                            wake.wait(100);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    wakeUp = false;
                }
                // the host coalesces wake-ups for 2 ms
                LockSupport.parkNanos(2_000_000);
                try {
                    while (running.get()) {
                        int free = workers - inFlight.get();
                        if (free <= 0) {
                            break;
                        }
                        List<Row> rows = claim(free);
                        for (Row row : rows) {
                            busy.add(row.conversationId());
                            inFlight.incrementAndGet();
                            workerPool.execute(() -> work(row));
                        }
                        if (rows.size() < free) {
                            break;
                        }
                    }
                } catch (Throwable t) {
                    failure = t;
                    return;
                }
            }
        }

        /** The claim of {@code WorkQueue.claim}: select runnable rows, lease them, one transaction. */
        private List<Row> claim(int limit) {
            Set<String> busyNow = new HashSet<>(busy);
            Instant now = Instant.now();
            return store.tx(c -> {
                List<Row> rows = new ArrayList<>();
                List<Integer> calls = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT o.id, o.conversation_id, o.integration_id, o.event_id, o.operation, o.payload, o.attempts, o.calls, o.first_attempt_at FROM outbox o "
                        + "WHERE o.state = 'PENDING' AND o.next_attempt_at <= ? AND (o.lease_until IS NULL OR o.lease_until < ?) "
                        + "AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.integration_id = o.integration_id "
                        + "AND p.conversation_id = o.conversation_id AND p.id < o.id AND p.state IN ('PENDING', 'PARKED')) "
                        + "AND NOT EXISTS (SELECT 1 FROM integrations i WHERE i.id = o.integration_id AND i.rate_limited_until > ?) "
                        + "ORDER BY " + claimOrder + " LIMIT ?")) {
                    ps.setTimestamp(1, Timestamp.from(now));
                    ps.setTimestamp(2, Timestamp.from(now));
                    ps.setTimestamp(3, Timestamp.from(now));
                    ps.setInt(4, limit + busyNow.size());
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next() && rows.size() < limit) {
                            if (busyNow.contains(rs.getString(2))) {
                                continue;
                            }
                            rs.getString(6); // the payload is read (and parsed) for every claimed row
                            rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(4)));
                            calls.add(rs.getInt(8));
                        }
                    }
                }
                List<Row> claimed = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET lease_owner = ?, lease_until = ?, calls = calls + 1, first_attempt_at = ? WHERE id = ? AND state = 'PENDING' AND calls = ? AND (lease_until IS NULL OR lease_until < ?)")) {
                    for (int i = 0; i < rows.size(); i++) {
                        ps.setString(1, OWNER);
                        ps.setTimestamp(2, Timestamp.from(now.plusSeconds(60)));
                        ps.setTimestamp(3, Timestamp.from(now));
                        ps.setLong(4, rows.get(i).id());
                        ps.setInt(5, calls.get(i));
                        ps.setTimestamp(6, Timestamp.from(now));
                        if (ps.executeUpdate() == 1) {
                            claimed.add(rows.get(i));
                        }
                    }
                }
                return claimed;
            });
        }

        /** A worker: the helpdesk call (none here), then the completion of {@code OutboxStore.complete}. */
        private void work(Row row) {
            try {
                Timestamp now = Timestamp.from(Instant.now());
                store.tx(c -> {
                    try (PreparedStatement ps = c.prepareStatement("UPDATE transcript SET synced_at = ? WHERE integration_id = ? AND conversation_id = ? AND event_id = ? AND synced_at IS NULL")) {
                        ps.setTimestamp(1, now);
                        ps.setString(2, INTEGRATION);
                        ps.setString(3, row.conversationId());
                        ps.setString(4, row.eventId());
                        ps.executeUpdate();
                    }
                    try (PreparedStatement ps = c.prepareStatement("UPDATE outbox SET state = 'DONE', attempts = attempts + 1, completed_at = ?, lease_owner = NULL, lease_until = NULL, last_error = NULL WHERE id = ? AND lease_owner = ?")) {
                        ps.setTimestamp(1, now);
                        ps.setLong(2, row.id());
                        ps.setString(3, OWNER);
                        if (ps.executeUpdate() != 1) {
                            throw new IllegalStateException("row " + row.id() + " lost its lease");
                        }
                    }
                    try (PreparedStatement ps = c.prepareStatement("UPDATE conversations SET last_error = ?, status = COALESCE(?, status), updated_at = ? WHERE integration_id = ? AND conversation_id = ?")) {
                        ps.setString(1, null);
                        ps.setString(2, null);
                        ps.setTimestamp(3, now);
                        ps.setString(4, INTEGRATION);
                        ps.setString(5, row.conversationId());
                        ps.executeUpdate();
                    }
                    return null;
                });
                if (ids != null) {
                    ids.println("D " + row.id());
                }
                completed.incrementAndGet();
                backlog.release();
            } catch (Throwable t) {
                failure = t;
            } finally {
                busy.remove(row.conversationId());
                inFlight.decrementAndGet();
                signal();
            }
        }

        @Override
        public void close() {
            running.set(false);
            signal();
            try {
                writer.join(10_000);
                dispatcher.join(10_000);
                workerPool.shutdown();
                workerPool.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    // ---------------------------------------------------------------- kill -9

    /** The child of {@link #kill}: the load until it is killed; each line is an id whose commit returned. */
    private static void child(Candidate candidate, Path dir, Settings settings) throws Exception {
        // flushed per line, one write per line (a kill never leaves half an id): a printed id is in the pipe
        PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 512), true,
                StandardCharsets.UTF_8);
        Store store = Store.open(candidate, dir, Math.min(settings.workers() + 8, 24));
        try (Load load = new Load(store, settings, "k" + Long.toHexString(System.nanoTime()), out)) {
            load.phase("x", 1_000_000);
        }
    }

    /**
     * Kills a child running the load with SIGKILL at a random moment, {@code rounds} times on the same
     * files, and checks after each that the store opens and holds every id the child printed.
     */
    public static boolean kill(Candidate candidate, Path dir, int rounds) throws Exception {
        Files.createDirectories(dir);
        Set<String> accepted = new HashSet<>();
        Set<Long> done = new HashSet<>();
        boolean ok = true;
        for (int round = 1; round <= rounds; round++) {
            // somewhere in the middle of group commits, claims and completions
            KillCheck.Acknowledged printed = KillCheck.Acknowledged.of(KillCheck.runAndKill(StoreBench.class,
                    List.of("child", "--candidate", candidate.name(), "--dir", dir.toString()), 100, 1500,
                    ProcessBuilder.Redirect.INHERIT));
            int a = printed.accepted().size();
            int d = printed.done().size();
            accepted.addAll(printed.accepted());
            done.addAll(printed.done());
            Store store = Store.open(candidate, dir, 2);
            try {
                KillCheck.Acknowledged held = store.tx(c -> KillCheck.Acknowledged.stored(c, INTEGRATION));
                Set<String> stored = held.accepted();
                Set<Long> storedDone = held.done();
                Set<String> lostAccepted = new HashSet<>(accepted);
                lostAccepted.removeAll(stored);
                Set<Long> lostDone = new HashSet<>(done);
                lostDone.removeAll(storedDone);
                boolean roundOk = lostAccepted.isEmpty() && lostDone.isEmpty() && a > 0 && d > 0;
                ok &= roundOk;
                System.out.printf(Locale.ROOT, "KILL\t%s\tround %d\tprinted %d accepted, %d done\tstored %d events, %d done\tlost %d accepted, %d done\t%s%n",
                        candidate.name(), round, a, d, stored.size(), storedDone.size(), lostAccepted.size(), lostDone.size(),
                        roundOk ? "OK" : "FAILED");
            } finally {
                store.close();
            }
        }
        return ok;
    }

    // ---------------------------------------------------------------- summary

    /** RESULT lines to a Markdown table: median (min – max) per candidate, candidates in first-seen order. */
    private static void summary(Path file) throws IOException {
        Map<String, List<double[]>> runs = new LinkedHashMap<>();
        Map<String, Integer> failed = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("FAILED ")) {
                String name = line.split(" ")[1];
                failed.merge(name, 1, Integer::sum);
                runs.computeIfAbsent(name, k -> new ArrayList<>());
                continue;
            }
            if (!line.startsWith("RESULT\t")) {
                continue;
            }
            String[] f = line.split("\t");
            double[] v = new double[f.length - 2];
            for (int i = 2; i < f.length; i++) {
                v[i - 2] = Double.parseDouble(f[i]);
            }
            runs.computeIfAbsent(f[1], k -> new ArrayList<>()).add(v);
        }
        // columns of a RESULT line after the name: events, s, events/s, cpu ms/event, commits, commits/s, commits/event, MB open, MB closed
        System.out.println("| candidate | runs | events/s | CPU ms per event | commits/s | commits per event | file MB after run (open → closed) |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (Map.Entry<String, List<double[]>> e : runs.entrySet()) {
            List<double[]> r = e.getValue();
            int failures = failed.getOrDefault(e.getKey(), 0);
            if (r.isEmpty()) {
                System.out.printf(Locale.ROOT, "| %s | %d failed | | | | | |%n", e.getKey(), failures);
                continue;
            }
            System.out.printf(Locale.ROOT, "| %s | %d%s | %s | %s | %s | %s | %s → %s |%n", e.getKey(), r.size(),
                    failures == 0 ? "" : " (+" + failures + " failed)",
                    stat(r, 2, "%.0f"), stat(r, 3, "%.3f"), stat(r, 5, "%.0f"), stat(r, 6, "%.2f"), stat(r, 7, "%.1f"),
                    stat(r, 8, "%.1f"));
        }
    }

    private static String stat(List<double[]> runs, int column, String format) {
        List<Double> values = new ArrayList<>();
        for (double[] run : runs) {
            values.add(run[column]);
        }
        Collections.sort(values);
        int n = values.size();
        double median = n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2;
        String m = String.format(Locale.ROOT, format, median);
        return n == 1 ? m : m + " (" + String.format(Locale.ROOT, format, values.get(0)) + "–"
                + String.format(Locale.ROOT, format, values.get(n - 1)) + ")";
    }
}
