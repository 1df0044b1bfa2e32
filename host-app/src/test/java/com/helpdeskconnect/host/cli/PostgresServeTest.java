package com.helpdeskconnect.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.helpdeskconnect.host.testing.Api;
import com.helpdeskconnect.host.testing.HostProcess;
import com.helpdeskconnect.host.testing.TestPluginJar;
import com.helpdeskconnect.host.testing.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve --database-url} as an operator runs it, on a real PostgreSQL: the password (in the URL
 * or the environment) appears in no output, and a refused login is a clear start-up error. Skipped
 * where no PostgreSQL can be had.
 */
class PostgresServeTest {
    private static final String ADMIN_TOKEN = "hca_postgres-serve-test-admin-token";

    @TempDir
    Path dir;

    @Test
    void servesOnPostgresWithThePasswordInTheUrlAndPrintsItNowhere() throws Exception {
        try (TestPostgres.Database pg = TestPostgres.database()) {
            Path plugins = Files.createDirectories(dir.resolve("plugins"));
            TestPluginJar.fakeDesk(plugins);
            Path log = dir.resolve("host.log");
            String url = pg.url() + "?user=" + pg.user() + "&password=" + pg.password() + "&connectTimeout=5";
            try (HostProcess host = HostProcess.serve(dir.resolve("data"), plugins, log, List.of("--database-url", url),
                    Map.of("HELPDESK_CONNECT_ADMIN_TOKEN", ADMIN_TOKEN))) {
                assertThat(host.firstLine()).isEqualTo("Helpdesk Connect listening on http://127.0.0.1:" + host.port());
                Api api = new Api(host.port(), ADMIN_TOKEN);
                assertThat(api.get("/health").json().get("database").asText()).isEqualTo("UP");
                assertThat(api.put("/api/v1/integrations/acme", Map.of("connector", "fakedesk",
                        "settings", Map.of("journal", dir.resolve("j.txt").toString(), "password", "good"))).status()).isEqualTo(200);
            }
            String output = Files.readString(log);
            assertThat(output).contains("Database shared with other hosts (PostgreSQL)").doesNotContain(pg.password());
            // nothing was written to the data folder but what the host keeps there besides the database
            assertThat(Files.exists(dir.resolve("data").resolve("helpdesk-connect.mv.db"))).isFalse();
        }
    }

    @Test
    void aRefusedPasswordIsAClearStartupErrorWithoutThePassword() throws Exception {
        try (TestPostgres.Database pg = TestPostgres.database()) {
            Path plugins = Files.createDirectories(dir.resolve("plugins"));
            TestPluginJar.fakeDesk(plugins);
            Path errors = dir.resolve("err.log");
            String wrong = "not-the-password-" + System.nanoTime();
            Process process = HostProcess.launch(errors, List.of("serve", "--port", "0", "--data-dir", dir.resolve("data").toString(),
                    "--plugins-dir", plugins.toString()), Map.of("HELPDESK_CONNECT_DATABASE_URL", pg.url(),
                    "HELPDESK_CONNECT_DATABASE_USER", pg.user(), "HELPDESK_CONNECT_DATABASE_PASSWORD", wrong));
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isEqualTo(ServeCommand.CANNOT_START);
            assertThat(out).isEmpty();
            String stderr = Files.readString(errors);
            List<String> lines = stderr.lines().filter(l -> !l.isBlank()).toList();
            assertThat(lines.get(lines.size() - 1))
                    .startsWith("Cannot start: Cannot connect to the database " + pg.url().substring("jdbc:postgresql://".length())
                            + " as user '" + pg.user() + "'")
                    .contains("password authentication failed")
                    .endsWith("Check --database-url (or HELPDESK_CONNECT_DATABASE_URL) and HELPDESK_CONNECT_DATABASE_USER / "
                            + "HELPDESK_CONNECT_DATABASE_PASSWORD.");
            assertThat(stderr).doesNotContain(wrong);
        }
    }
}
