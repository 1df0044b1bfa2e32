package com.helpdeskconnect.host.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.helpdeskconnect.host.testing.Api;
import com.helpdeskconnect.host.testing.HostProcess;
import com.helpdeskconnect.host.testing.Journal;
import com.helpdeskconnect.host.testing.TestPluginJar;
import com.helpdeskconnect.host.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three host processes on one PostgreSQL database take a conversation load; one is killed with
 * {@code kill -9} while it holds operations. The others take its operations over once its lease
 * ends, and every conversation reaches the helpdesk exactly once and in order. Skipped where no
 * PostgreSQL can be had.
 */
class MultiHostCrashTest {
    private static final int HOSTS = 3;
    private static final int CONVERSATIONS = 12;
    private static final int MESSAGES = 6;
    private static final int LEASE_SECONDS = 3;
    private static final String ADMIN_TOKEN = "hca_multi-host-crash-test-admin-token";

    @TempDir
    Path dir;

    @Test
    void aKilledHostsOperationsAreTakenOverAndEveryConversationFinishesOnceInOrder() throws Exception {
        try (TestPostgres.Database pg = TestPostgres.database()) {
            Path plugins = Files.createDirectories(dir.resolve("plugins"));
            TestPluginJar.fakeDesk(plugins);
            Path journal = dir.resolve("journal.txt");
            // what every host shares (docs/deployment.md): the database, the key file and keyset, the admin token
            Map<String, String> env = new HashMap<>(pg.env());
            env.put("HELPDESK_CONNECT_ADMIN_TOKEN", ADMIN_TOKEN);
            env.put("HELPDESK_CONNECT_LEASE_SECONDS", String.valueOf(LEASE_SECONDS));
            List<String> args = List.of("--key-file", dir.resolve("shared").resolve("secret.key").toString());
            List<HostProcess> hosts = new ArrayList<>();
            try {
                // the first host makes the key and keyset; the others start with them
                for (int h = 0; h < HOSTS; h++) {
                    hosts.add(HostProcess.serve(dir.resolve("data-" + h), plugins, dir.resolve("host-" + h + ".log"), args, env));
                }
                List<Api> apis = hosts.stream().map(h -> new Api(h.port(), ADMIN_TOKEN)).toList();
                Map<String, Object> settings = Map.of("journal", journal.toString(), "password", "good", "delayMs", 800);
                assertThat(apis.get(0).put("/api/v1/integrations/acme", Map.of("connector", "fakedesk", "settings", settings))
                        .status()).isEqualTo(200);

                // a load balancer hands each request to any host: the first half of the load to all three
                Map<String, List<String>> expected = new LinkedHashMap<>();
                for (int c = 0; c < CONVERSATIONS; c++) {
                    expected.put("conv-" + c, new ArrayList<>());
                }
                Instant posting = Instant.now();
                post(expected, 0, MESSAGES / 2, apis);
                // the second half to the two that stay up, while the second host is killed with operations in hand
                HostProcess victim = hosts.get(1);
                String owner = "%-" + victim.pid() + "-%";
                java.util.concurrent.CompletableFuture<Void> rest = java.util.concurrent.CompletableFuture.runAsync(
                        () -> post(expected, MESSAGES / 2, MESSAGES, List.of(apis.get(0), apis.get(2))));
                // frozen first (SIGSTOP), so what it holds cannot change between looking and killing
                List<Long> held = List.of();
                for (int attempt = 0; held.isEmpty(); attempt++) {
                    assertThat(attempt).as("attempts to catch the host holding operations").isLessThan(50);
                    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                            .until(() -> leasedBy(pg, owner), rows -> !rows.isEmpty());
                    signal(victim, "STOP");
                    held = leasedBy(pg, owner);
                    if (held.isEmpty()) {
                        signal(victim, "CONT");
                    }
                }
                victim.kill();
                Instant killed = Instant.now();
                // counted at the kill: after the rest of the posting (seconds on a loaded CI machine) the lease
                // may have ended and the others finished everything
                int beforeKill = Journal.activityIds(journal).size();
                assertThat(beforeKill).as("writes done when the host was killed").isLessThan(CONVERSATIONS * MESSAGES);
                rest.get(120, java.util.concurrent.TimeUnit.SECONDS);
                long postedMs = Duration.between(posting, Instant.now()).toMillis();

                // its operations are taken over once the lease ends, not stuck behind it
                Api survivor = apis.get(0);
                await().atMost(Duration.ofSeconds(90)).until(() -> Journal.activityIds(journal).size() >= CONVERSATIONS * MESSAGES
                        && expected.keySet().stream().allMatch(c -> survivor.get("/api/v1/conversations/" + c + "?integrationId=acme")
                        .json().get("pending").isEmpty()));
                Duration finished = Duration.between(killed, Instant.now());
                assertThat(done(pg, held)).as("operations the dead host held: %s", held).isEqualTo(held.size());

                List<String> written = Journal.activityIds(journal);
                assertThat(written).doesNotHaveDuplicates().hasSize(CONVERSATIONS * MESSAGES);
                assertThat(Journal.of(journal, "CASE").stream().map(l -> l.get(1)).toList())
                        .doesNotHaveDuplicates().hasSize(CONVERSATIONS);
                expected.forEach((conversation, ids) ->
                        assertThat(written.stream().filter(id -> id.startsWith(conversation + "-")).toList())
                                .as("order in %s", conversation).containsExactlyElementsOf(ids));
                System.out.printf("%d events posted in %d ms (the kill included); kill -9 of host %d holding %d operation(s); %d of %d writes done before; "
                                + "all done %d ms after the kill (lease %d s)%n", CONVERSATIONS * MESSAGES, postedMs, victim.pid(), held.size(),
                        beforeKill, CONVERSATIONS * MESSAGES, finished.toMillis(), LEASE_SECONDS);
            } finally {
                hosts.forEach(HostProcess::close);
            }
        }
    }

    /** Messages {@code from} until {@code to} of every conversation, each to the next host in turn. */
    private static void post(Map<String, List<String>> expected, int from, int to, List<Api> apis) {
        int request = 0;
        for (int m = from; m < to; m++) {
            for (Map.Entry<String, List<String>> conversation : expected.entrySet()) {
                String eventId = conversation.getKey() + "-msg-" + m;
                Map<String, Object> event = ConversationSyncTest.message(eventId, m % 2 == 0 ? "customer_message" : "ai_reply",
                        "message " + m);
                Api api = apis.get(request++ % apis.size());
                assertThat(api.post("/api/v1/conversations/" + conversation.getKey() + "/events", event).status()).isEqualTo(202);
                conversation.getValue().add(eventId);
            }
        }
    }

    private static void signal(HostProcess host, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(host.pid())).inheritIO().start();
        assertThat(kill.waitFor()).as("kill -%s", signal).isZero();
    }

    /** Outbox rows pending under a lease of the given owner pattern. */
    private static List<Long> leasedBy(TestPostgres.Database pg, String ownerPattern) throws SQLException {
        try (Connection c = pg.connect();
             PreparedStatement ps = c.prepareStatement("SELECT id FROM outbox WHERE state = 'PENDING' AND lease_owner LIKE ?")) {
            ps.setString(1, ownerPattern);
            List<Long> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            return ids;
        }
    }

    private static int done(TestPostgres.Database pg, List<Long> ids) throws SQLException {
        int n = 0;
        try (Connection c = pg.connect();
             PreparedStatement ps = c.prepareStatement("SELECT state FROM outbox WHERE id = ?")) {
            for (long id : ids) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getString(1).equals("DONE")) {
                        n++;
                    }
                }
            }
        }
        return n;
    }
}
