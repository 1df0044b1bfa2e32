package com.helpdeskconnect.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.helpdeskconnect.host.config.HostConfig.DatabaseSettings;
import com.helpdeskconnect.host.storage.Database;
import com.helpdeskconnect.host.testing.Api;
import com.helpdeskconnect.host.testing.HostProcess;
import com.helpdeskconnect.host.testing.SampleData;
import com.helpdeskconnect.host.testing.TestPluginJar;
import com.helpdeskconnect.host.testing.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code store copy} as an operator runs it: separate JVMs, a host running beside it, then stopped,
 * and a host on the copy. The PostgreSQL case is skipped, saying why, where none can be had.
 */
class StoreCommandTest {
    private static final String ADMIN_TOKEN = "hca_store-command-test-admin-token";

    @TempDir
    Path dir;

    @Test
    void anH2FolderMovesToSqliteOnceItsHostIsStopped() throws Exception {
        Path data = dir.resolve("data").toAbsolutePath();
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        TestPluginJar.fakeDesk(plugins);
        // a data folder made before SQLite became the default
        Database.openH2(data, 2, DatabaseSettings.DEFAULT_LEASE).close();
        Path journal = dir.resolve("journal.txt");
        Map<String, String> env = Map.of("HELPDESK_CONNECT_ADMIN_TOKEN", ADMIN_TOKEN);
        SampleData.Written written;
        try (HostProcess host = HostProcess.serve(data, plugins, dir.resolve("before.log"), List.of(), env)) {
            written = SampleData.write(new Api(host.port(), ADMIN_TOKEN), host.port(), journal);

            Run refused = run(Map.of(), "store", "copy", "--data-dir", data.toString(), "--to", "sqlite");
            assertThat(refused.exit).isEqualTo(StoreCommand.FAILED);
            assertThat(refused.stderrLines()).containsExactly("Cannot copy: The source, H2 file " + data.resolve(Database.H2_FILE)
                    + ", is in use by a running host (or another helpdesk-connect command): stop it first; the copy needs the store to itself");
            assertThat(data.resolve(Database.SQLITE_FILE)).doesNotExist();
            host.terminate();
        }

        Run copied = run(Map.of(), "store", "copy", "--data-dir", data.toString(), "--to", "sqlite");
        assertThat(copied.exit).as(copied.stderr).isEqualTo(StoreCommand.COPIED);
        List<String> out = copied.stdout.lines().toList();
        assertThat(out.get(0)).isEqualTo("Copying H2 file " + data.resolve(Database.H2_FILE));
        assertThat(out.get(1)).isEqualTo("     to SQLite file " + data.resolve(Database.SQLITE_FILE));
        assertThat(out.get(2)).matches("  table +source +target");
        assertThat(out).anySatisfy(l -> assertThat(l).matches("  integrations +1 +1"));
        assertThat(out).anySatisfy(l -> assertThat(l).matches("  transcript +4 +4"));
        assertThat(out).filteredOn(l -> l.matches("  \\S.*")).hasSize(13);
        assertThat(out).anySatisfy(l -> assertThat(l)
                .matches("Copied \\d+ rows in 12 tables \\(schema version \\d+\\) in \\d+\\.\\d s; every table's row count matches\\."));
        assertThat(out).anySatisfy(l -> assertThat(l).matches("Renamed helpdesk-connect\\.mv\\.db to helpdesk-connect\\.mv\\.db\\.copied-"
                + "\\d{8}-\\d{6} \\(kept, not deleted\\): serve --data-dir " + java.util.regex.Pattern.quote(data.toString())
                + " now opens the SQLite file\\."));
        assertThat(copied.stderr).isEmpty();
        assertThat(data.resolve(Database.H2_FILE)).doesNotExist();
        try (Stream<Path> files = Files.list(data)) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith(Database.H2_FILE + ".copied-"));
        }

        Path after = dir.resolve("after.log");
        try (HostProcess host = HostProcess.serve(data, plugins, after, List.of(), env)) {
            SampleData.readsTheSame(new Api(host.port(), ADMIN_TOKEN), host.port(), journal, written);
        }
        assertThat(Files.readString(after)).contains("Database: SQLite file (WAL)");

        // the folder has no H2 file any more: its store is the target
        Run again = run(Map.of(), "store", "copy", "--data-dir", data.toString(), "--to", "sqlite");
        assertThat(again.exit).isEqualTo(StoreCommand.FAILED);
        assertThat(again.stderrLines()).containsExactly("Cannot copy: The source and the target are the same store (SQLite file "
                + data.resolve(Database.SQLITE_FILE) + ")");
    }

    @Test
    void anSqliteHostMovesToPostgresAndNoPasswordIsEverPrinted() throws Exception {
        try (TestPostgres.Database pg = TestPostgres.database()) {
            Path data = dir.resolve("data").toAbsolutePath();
            Path plugins = Files.createDirectories(dir.resolve("plugins"));
            TestPluginJar.fakeDesk(plugins);
            Path journal = dir.resolve("journal.txt");
            Map<String, String> env = Map.of("HELPDESK_CONNECT_ADMIN_TOKEN", ADMIN_TOKEN);
            String url = pg.url() + "?user=" + pg.user() + "&password=" + pg.password();
            String where = pg.url().substring("jdbc:postgresql://".length()) + " as user '" + pg.user() + "'";
            SampleData.Written written;
            try (HostProcess host = HostProcess.serve(data, plugins, dir.resolve("before.log"), List.of(), env)) {
                written = SampleData.write(new Api(host.port(), ADMIN_TOKEN), host.port(), journal);
                Run refused = run(Map.of(), "store", "copy", "--data-dir", data.toString(), "--to-database-url", url);
                assertThat(refused.exit).isEqualTo(StoreCommand.FAILED);
                assertThat(refused.stderrLines()).containsExactly("Cannot copy: The source, SQLite file " + data.resolve(Database.SQLITE_FILE)
                        + ", is in use by a running host (or another helpdesk-connect command): stop it first; the copy needs the store to itself");
                host.terminate();
            }

            Run copied = run(Map.of(), "store", "copy", "--data-dir", data.toString(), "--to-database-url", url);
            assertThat(copied.exit).as(copied.stderr).isEqualTo(StoreCommand.COPIED);
            assertThat(copied.stdout).contains("     to PostgreSQL " + where + "\n")
                    .contains("every table's row count matches")
                    .contains("Start the hosts with --database-url for it (docs/deployment.md); serve without it would still open SQLite file "
                            + data.resolve(Database.SQLITE_FILE))
                    .contains("Secrets were copied sealed: a host on the target needs the key file " + data.resolve("secret.key"))
                    .doesNotContain(pg.password());
            // the data folder's own store is left as it was
            assertThat(data.resolve(Database.SQLITE_FILE)).exists();

            // twice: the target now holds data; the credentials from the environment this time
            Map<String, String> credentials = Map.of("HELPDESK_CONNECT_DATABASE_USER", pg.user(),
                    "HELPDESK_CONNECT_DATABASE_PASSWORD", pg.password());
            Run twice = run(credentials, "store", "copy", "--data-dir", data.toString(), "--to-database-url", pg.url());
            assertThat(twice.exit).isEqualTo(StoreCommand.FAILED);
            assertThat(twice.stderrLines()).singleElement().asString()
                    .startsWith("Cannot copy: The target already holds data (")
                    .contains("integrations: 1 row").contains("transcript: 4 rows")
                    .endsWith("copy only into an empty database (a new PostgreSQL database, or an SQLite file that does not exist yet)");
            assertThat(twice.stdout + twice.stderr).doesNotContain(pg.password());

            String wrong = "not-the-password-" + System.nanoTime();
            Run refusedLogin = run(Map.of(), "store", "copy", "--data-dir", data.toString(), "--to-database-url",
                    pg.url() + "?user=" + pg.user() + "&password=" + wrong);
            assertThat(refusedLogin.exit).isEqualTo(StoreCommand.FAILED);
            assertThat(refusedLogin.stderrLines()).singleElement().asString()
                    .startsWith("Cannot copy: Cannot connect to the target, PostgreSQL " + where + ": ")
                    .contains("password authentication failed");
            assertThat(refusedLogin.stdout + refusedLogin.stderr).doesNotContain(wrong);

            // and back into a new data folder, from PostgreSQL
            Path back = dir.resolve("back").toAbsolutePath();
            Run home = run(credentials, "store", "copy", "--data-dir", back.toString(), "--from-database-url", pg.url(), "--to", "sqlite");
            assertThat(home.exit).as(home.stderr).isEqualTo(StoreCommand.COPIED);
            assertThat(home.stdout).startsWith("Copying PostgreSQL " + where + "\n     to SQLite file " + back.resolve(Database.SQLITE_FILE))
                    .contains("every table's row count matches")
                    .contains("Secrets were copied sealed: a host on the target needs the key and keyset the source's hosts use");
            assertThat(home.stdout + home.stderr).doesNotContain(pg.password());

            // a host on PostgreSQL with the data folder's key reads what the SQLite host wrote
            Map<String, String> serveEnv = new java.util.HashMap<>(pg.env());
            serveEnv.putAll(env);
            try (HostProcess host = HostProcess.serve(dir.resolve("pg-host"), plugins, dir.resolve("after.log"),
                    List.of("--key-file", data.resolve("secret.key").toString()), serveEnv)) {
                SampleData.readsTheSame(new Api(host.port(), ADMIN_TOKEN), host.port(), journal, written);
            }
        }
    }

    @Test
    void badOptionsAreOneLineAndNeverEchoAUrl() throws Exception {
        Path data = dir.resolve("data").toAbsolutePath();
        Run bad = run(Map.of(), "store", "copy", "--data-dir", data.toString(), "--to-database-url", "jdbc:mysql://copy:hunter2@db.example/x");
        assertThat(bad.exit).isEqualTo(StoreCommand.INVALID);
        assertThat(bad.stdout).isEmpty();
        assertThat(bad.stderrLines()).containsExactly(
                "Invalid configuration: --to-database-url must be jdbc:postgresql://host:5432/db or jdbc:sqlite:/path/file.db");

        Run from = run(Map.of(), "store", "copy", "--data-dir", data.toString(), "--from-database-url", "jdbc:h2:/x;PASSWORD=hunter2",
                "--to", "sqlite");
        assertThat(from.exit).isEqualTo(StoreCommand.INVALID);
        assertThat(from.stderrLines()).containsExactly(
                "Invalid configuration: --from-database-url must be jdbc:postgresql://host:5432/db or jdbc:sqlite:/path/file.db");

        Run h2 = run(Map.of(), "store", "copy", "--data-dir", data.toString(), "--to", "h2");
        assertThat(h2.exit).isEqualTo(StoreCommand.INVALID);
        assertThat(h2.stderrLines()).containsExactly("Invalid configuration: --to takes sqlite (the data folder's SQLite file); "
                + "name any other database with --to-database-url");

        Run none = run(Map.of(), "store", "copy", "--data-dir", data.toString());
        assertThat(none.exit).isEqualTo(StoreCommand.INVALID);
        assertThat(none.stderr).contains("Missing required argument").contains("--to-database-url").contains("--to");

        Run empty = run(Map.of(), "store", "copy", "--data-dir", data.toString(), "--to-database-url",
                "jdbc:sqlite:" + dir.resolve("elsewhere.db").toAbsolutePath());
        assertThat(empty.exit).isEqualTo(StoreCommand.FAILED);
        assertThat(empty.stderrLines()).containsExactly("Cannot copy: There is no database to copy from: "
                + data.resolve(Database.SQLITE_FILE) + " does not exist (nor helpdesk-connect.mv.db beside it)");
        assertThat(data).doesNotExist();
        assertThat(dir.resolve("elsewhere.db")).doesNotExist();
        assertThat(bad.stderr + from.stderr).doesNotContain("hunter2");
    }

    @Test
    void parameterErrorsOfEveryCommandNeverPrintAPassword() throws Exception {
        String data = dir.resolve("data").toAbsolutePath().toString();
        String inUrl = "jdbc:postgresql://u:S3cretPw@localhost/db";
        String inQuery = "jdbc:postgresql://localhost/db?user=u&password=Qu3ryPw&ssl=false";

        // twice in an exclusive group: picocli lists the matched values
        Run twice = run(Map.of(), "store", "copy", "--data-dir", data, "--to-database-url", inUrl, "--to-database-url", inUrl);
        assertThat(twice.exit).isEqualTo(StoreCommand.INVALID);
        assertThat(twice.stderr).contains("expected only one match").contains("jdbc:postgresql://u:***@localhost/db")
                .contains("Usage: helpdesk-connect store copy");
        // a stray positional URL
        Run stray = run(Map.of(), "store", "copy", "--data-dir", data, "--to", "sqlite", inUrl);
        assertThat(stray.exit).isEqualTo(StoreCommand.INVALID);
        assertThat(stray.stderr).contains("Unmatched argument at index 6: 'jdbc:postgresql://u:***@localhost/db'");
        Run query = run(Map.of(), "store", "copy", "--data-dir", data, "--from-database-url=" + inQuery, "--from-database-url=" + inQuery,
                "--to", "sqlite");
        assertThat(query.exit).isEqualTo(StoreCommand.INVALID);
        assertThat(query.stderr).contains("should be specified only once").doesNotContain("Qu3ryPw");

        // serve: the same exposure through --database-url, before any host starts
        Run serveTwice = run(Map.of(), "serve", "--data-dir", data, "--database-url", inUrl, "--database-url", inQuery);
        assertThat(serveTwice.exit).isEqualTo(ServeCommand.CANNOT_START);
        assertThat(serveTwice.stderr).contains("option '--database-url' (URL) should be specified only once")
                .contains("Usage: helpdesk-connect serve");
        Run serveStray = run(Map.of(), "serve", "--data-dir", data, "--database-url", inQuery, inUrl);
        assertThat(serveStray.exit).isEqualTo(ServeCommand.CANNOT_START);
        assertThat(serveStray.stderr).contains("Unmatched argument at index 5: 'jdbc:postgresql://u:***@localhost/db'");
        // a mistyped option with the URL glued to it
        Run typo = run(Map.of(), "serve", "--data-dir", data, "--databse-url=" + inQuery);
        assertThat(typo.exit).isEqualTo(ServeCommand.CANNOT_START);
        assertThat(typo.stderr).contains("Unknown option: '--databse-url=jdbc:postgresql://localhost/db?user=u&password=***&ssl=false'");

        for (Run r : List.of(twice, stray, query, serveTwice, serveStray, typo)) {
            assertThat(r.stdout + r.stderr).doesNotContain("S3cretPw").doesNotContain("Qu3ryPw");
        }
        assertThat(Path.of(data)).doesNotExist();
    }

    private record Run(int exit, String stdout, String stderr) {
        List<String> stderrLines() {
            return stderr.lines().filter(l -> !l.isBlank()).toList();
        }
    }

    private Run run(Map<String, String> env, String... args) throws Exception {
        Path errors = dir.resolve("err-" + System.nanoTime() + ".log");
        // no stray database settings from the machine running the tests
        Map<String, String> clean = new java.util.HashMap<>(Map.of("HELPDESK_CONNECT_DATABASE_URL", " ",
                "HELPDESK_CONNECT_DATABASE_USER", " ", "HELPDESK_CONNECT_DATABASE_PASSWORD", " "));
        clean.putAll(env);
        Process process = HostProcess.launch(errors, new ArrayList<>(List.of(args)), clean);
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), out, Files.readString(errors));
    }
}
