package com.helpdeskconnect.host.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * "202 means durable against a killed process", checked the same way wherever it is checked: a child
 * JVM writes and prints {@code A <event id>} once an accept's commit returned and {@code D <outbox id>}
 * once a row's outcome did; it is killed with SIGKILL mid-run; the reopened store must hold every id
 * printed (KilledStoreTest through the host's stores, StoreBench for each store candidate).
 */
public final class KillCheck {
    private KillCheck() {}

    /** The ids a child printed: its commits that returned before the kill. */
    public record Acknowledged(Set<String> accepted, Set<Long> done) {
        public static Acknowledged of(List<String> lines) {
            Set<String> accepted = new HashSet<>();
            Set<Long> done = new HashSet<>();
            for (String line : lines) {
                if (line.startsWith("A ")) {
                    accepted.add(line.substring(2));
                } else if (line.startsWith("D ")) {
                    done.add(Long.parseLong(line.substring(2)));
                }
            }
            return new Acknowledged(accepted, done);
        }

        /** What the store holds of the same kinds: the integration's event ids and the DONE outbox rows. */
        public static Acknowledged stored(Connection c, String integrationId) throws SQLException {
            Set<String> accepted = new HashSet<>();
            Set<Long> done = new HashSet<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT event_id FROM processed_events WHERE integration_id = ?")) {
                ps.setString(1, integrationId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        accepted.add(rs.getString(1));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM outbox WHERE state = 'DONE'");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    done.add(rs.getLong(1));
                }
            }
            return new Acknowledged(accepted, done);
        }
    }

    /**
     * Runs {@code mainClass args} in a child JVM (the host's recommended flags, the test class path) until
     * it printed {@code doneLines} D lines (at most 60 s), waits up to {@code extraMs} more (somewhere
     * mid-commit), kills it with SIGKILL and returns every line read.
     */
    public static List<String> runAndKill(Class<?> mainClass, List<String> args, int doneLines, long extraMs,
                                          ProcessBuilder.Redirect stderr) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(java, "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", cp, mainClass.getName()));
        command.addAll(args);
        Process child = new ProcessBuilder(command).redirectError(stderr).start();
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean killed = new AtomicBoolean();
        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // destroyForcibly closes the pipe at once, even while it is read: the lines read so far are the ones checked
                if (!killed.get()) {
                    throw new UncheckedIOException(e);
                }
            }
        });
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (child.isAlive() && System.nanoTime() < deadline && count(lines, "D ") < doneLines) {
                Thread.sleep(10);
            }
            Thread.sleep(ThreadLocalRandom.current().nextLong(0, extraMs));
        } finally {
            killed.set(true);
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no close
            child.waitFor();
        }
        reader.get(30, TimeUnit.SECONDS);
        return lines;
    }

    private static int count(List<String> lines, String prefix) {
        synchronized (lines) {
            return (int) lines.stream().filter(l -> l.startsWith(prefix)).count();
        }
    }
}
