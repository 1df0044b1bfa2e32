package com.helpdeskconnect.host.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.helpdeskconnect.host.http.Json;
import com.helpdeskconnect.host.testing.TestPostgres;
import com.helpdeskconnect.host.testing.TestStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A database written before V3 (global ids) keeps its conversations, transcript and event ids after it. */
class ScopedIdsMigrationTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(TestStore.Kind.class)
    void v3KeepsExistingRowsAndScopesThemToTheirIntegration(TestStore.Kind kind) throws Exception {
        try (TestStore testStore = TestStore.of(kind, dir)) {
            migrateFromV2(testStore);
        }
    }

    private void migrateFromV2(TestStore testStore) throws Exception {
        TestPostgres.Database pg = testStore.postgres();
        boolean sqlite = testStore.settings().sqlite();
        String url = pg != null ? pg.url() : sqlite ? testStore.settings().url()
                : "jdbc:h2:file:" + dir.resolve("data").toAbsolutePath().resolve("helpdesk-connect");
        String user = pg != null ? pg.user() : "sa";
        String password = pg != null ? pg.password() : "";
        if (sqlite) {
            Files.createDirectories(dir.resolve("data"));
        }
        Flyway.configure().dataSource(url, user, password).locations(sqlite ? "classpath:db/migration-sqlite" : "classpath:db/migration")
                .target("2").load().migrate();
        // SQLite's timestamps are epoch milliseconds, as sqlite-jdbc writes them
        String now = sqlite ? "(CAST(strftime('%s', 'now') AS INTEGER) * 1000)" : "CURRENT_TIMESTAMP";
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            s.execute("INSERT INTO conversations (conversation_id, integration_id, case_id, status, created_at, updated_at)"
                    + " VALUES ('c1', 'acme', 'case-1', 'open', " + now + ", " + now + ")");
            s.execute("INSERT INTO processed_events (event_id, conversation_id, source, received_at)"
                    + " VALUES ('e1', 'c1', 'api', " + now + "), ('w1', 'webhook:acme', 'webhook', " + now + ")");
            s.execute("INSERT INTO transcript (conversation_id, event_id, type, text, occurred_at)"
                    + " VALUES ('c1', 'e1', 'customer_message', 'hello', " + now + ")");
            s.execute("INSERT INTO outbox (conversation_id, integration_id, event_id, operation, payload, state, attempts,"
                    + " next_attempt_at, accepted_at) VALUES ('c1', 'acme', 'e1', 'customer_message', '{}', 'DONE', 1,"
                    + " " + now + ", " + now + ")");
        }
        try (Database db = testStore.open(2);
             ConversationStores store = ConversationStores.open(db, Json.mapper())) {
            assertThat(store.conversations().conversation("acme", "c1")).hasValueSatisfying(r -> assertThat(r.caseRef().id()).isEqualTo("case-1"));
            assertThat(store.conversations().conversation("beta", "c1")).isEmpty();
            assertThat(store.conversations().transcript("acme", "c1")).singleElement().satisfies(e -> assertThat(e.text()).isEqualTo("hello"));
            assertThat(store.intake().markWebhookEvent("w1", "acme")).isFalse(); // still known
            assertThat(store.intake().markWebhookEvent("w1", "beta")).isTrue(); // per integration now
            assertThat(store.conversations().conversationByCase("acme", "case-1")).isPresent();
        }
    }
}
