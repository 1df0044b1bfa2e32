package com.helpdeskconnect.host.storage;

import com.helpdeskconnect.host.storage.queue.QueueTable;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rows this process has claimed and is working on (outbox, webhook inbox, callback outbox).
 * A claim leases a row for {@link #duration()}; while the work runs, the lease is renewed every
 * third of that time, so a long helpdesk call keeps its row however long it takes, and a host that
 * dies (kill -9, power cut) loses its rows to the other hosts within one lease. A row held longer
 * than {@link #MAX_HOLD} is let go (a leak would otherwise pin it for as long as the host runs).
 */
public final class Leases implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Leases.class);
    /** Tables whose rows are claimed with lease_owner / lease_until, and a state of 'PENDING' while open. */
    static final List<String> TABLES = QueueTable.ALL.stream().map(QueueTable::table).toList();
    private static final Duration MAX_HOLD = Duration.ofMinutes(15);
    private static final int IDS_PER_STATEMENT = 500;

    private final Database db;
    private final Duration duration;
    private final Map<String, Map<Long, Instant>> held = new ConcurrentHashMap<>();
    private final ScheduledExecutorService renewer;

    Leases(Database db, Duration duration) {
        this.db = db;
        this.duration = duration;
        TABLES.forEach(t -> held.put(t, new ConcurrentHashMap<>()));
        this.renewer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lease-renewer");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(100, duration.toMillis() / 3);
        renewer.scheduleWithFixedDelay(this::renewQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    /** How long a claim holds a row without renewal. */
    public Duration duration() {
        return duration;
    }

    /** A claimed row's lease ends at this time unless renewed. */
    public Timestamp until(Instant now) {
        return Timestamp.from(now.plus(duration));
    }

    public void hold(String table, long id) {
        held.get(table).put(id, Instant.now());
    }

    public void release(String table, long id) {
        held.get(table).remove(id);
    }

    /** Rows held now, for tests. */
    int held() {
        return held.values().stream().mapToInt(Map::size).sum();
    }

    private void renewQuietly() {
        try {
            renew();
        } catch (RuntimeException e) {
            // the database is away: the next round tries again; a lease that ends meanwhile is taken over
            log.warn("Could not renew leases: {}", e.toString());
        }
    }

    void renew() {
        Instant now = Instant.now();
        for (String table : TABLES) {
            Map<Long, Instant> rows = held.get(table);
            rows.entrySet().removeIf(e -> {
                boolean tooLong = Duration.between(e.getValue(), now).compareTo(MAX_HOLD) > 0;
                if (tooLong) {
                    log.warn("Letting go of {} row {} after {} without an outcome; another worker may take it", table,
                            e.getKey(), MAX_HOLD);
                }
                return tooLong;
            });
            List<Long> ids = new ArrayList<>(rows.keySet());
            for (int from = 0; from < ids.size(); from += IDS_PER_STATEMENT) {
                List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + IDS_PER_STATEMENT));
                String marks = String.join(", ", java.util.Collections.nCopies(chunk.size(), "?"));
                db.query(c -> {
                    try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET lease_until = ? WHERE lease_owner = ? "
                            + "AND state = 'PENDING' AND id IN (" + marks + ")")) {
                        ps.setTimestamp(1, until(Instant.now()));
                        ps.setString(2, db.owner());
                        for (int i = 0; i < chunk.size(); i++) {
                            ps.setLong(3 + i, chunk.get(i));
                        }
                        return ps.executeUpdate();
                    }
                });
            }
        }
    }

    /**
     * Stops renewing and gives this process's open rows back (a clean stop): the other hosts, or this
     * one's next start, take them at once instead of after the lease.
     */
    @Override
    public void close() {
        renewer.shutdownNow();
        try {
            for (String table : TABLES) {
                db.query(c -> {
                    try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET lease_owner = NULL, lease_until = NULL "
                            + "WHERE lease_owner = ? AND state = 'PENDING'")) {
                        ps.setString(1, db.owner());
                        return ps.executeUpdate();
                    }
                });
            }
        } catch (RuntimeException e) {
            log.warn("Could not hand back leases on close: {}", e.toString());
        }
        held.values().forEach(Map::clear);
    }
}
