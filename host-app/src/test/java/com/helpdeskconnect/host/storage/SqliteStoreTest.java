package com.helpdeskconnect.host.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.helpdeskconnect.host.config.HostConfig.DatabaseSettings;
import com.helpdeskconnect.host.testing.TestStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The settings the SQLite store promises (WAL, NORMAL sync, a private file, duplicate keys recognised), and when the host opens it. */
class SqliteStoreTest {
    @TempDir
    Path dir;

    @Test
    void opensInWalModeWithAPrivateFileAndKnowsADuplicateKeyFromOtherConstraints() throws Exception {
        try (TestStore test = TestStore.of(TestStore.Kind.SQLITE, dir); Database db = test.open(2)) {
            assertThat(db.sqlite()).isTrue();
            assertThat(db.shared()).isFalse();
            assertThat(db.<String>query(c -> pragma(c.prepareStatement("PRAGMA journal_mode")))).isEqualTo("wal");
            // 1 = NORMAL: the WAL is written before each commit returns, not fsynced
            assertThat(db.<String>query(c -> pragma(c.prepareStatement("PRAGMA synchronous")))).isEqualTo("1");
            Path file = dir.resolve("data").resolve("helpdesk-connect.db");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            // another Database of this process shares the file, as H2 does (another process is refused: SecretsAtRestTest)
            try (Database second = test.open(2)) {
                assertThat(second.<String>query(c -> pragma(c.prepareStatement("PRAGMA journal_mode")))).isEqualTo("wal");
            }

            db.query(c -> insertKey(c.prepareStatement("INSERT INTO host_keys (name, value_sealed, created_at) VALUES (?, ?, ?)"), "k"));
            Database.StorageException duplicate = catchThrowableOfType(Database.StorageException.class, () -> db.query(
                    c -> insertKey(c.prepareStatement("INSERT INTO host_keys (name, value_sealed, created_at) VALUES (?, ?, ?)"), "k")));
            assertThat(Database.isDuplicateKey((SQLException) duplicate.getCause())).isTrue();
            Database.StorageException notNull = catchThrowableOfType(Database.StorageException.class, () -> db.query(
                    c -> insertKey(c.prepareStatement("INSERT INTO host_keys (name, value_sealed, created_at) VALUES (?, NULL, ?)"), "n")));
            assertThat(Database.isDuplicateKey((SQLException) notNull.getCause())).isFalse();
        }
    }

    @Test
    void aNewDataFolderGetsSqliteAndOneWithAnH2FileKeepsH2() {
        Path fresh = dir.resolve("fresh");
        try (Database db = Database.open(fresh, DatabaseSettings.EMBEDDED, 2)) {
            assertThat(db.sqlite()).isTrue();
        }
        assertThat(fresh.resolve(Database.SQLITE_FILE)).exists();
        assertThat(fresh.resolve(Database.H2_FILE)).doesNotExist();

        Path old = dir.resolve("old");
        Database.openH2(old, 2, DatabaseSettings.DEFAULT_LEASE).close();
        try (Database db = Database.open(old, DatabaseSettings.EMBEDDED, 2)) {
            assertThat(db.sqlite()).isFalse();
            assertThat(db.shared()).isFalse();
        }
        assertThat(old.resolve(Database.SQLITE_FILE)).doesNotExist();
    }

    private static String pragma(PreparedStatement ps) throws SQLException {
        try (ps; ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static int insertKey(PreparedStatement ps, String name) throws SQLException {
        try (ps) {
            ps.setString(1, name);
            int i = 2;
            if (ps.getParameterMetaData().getParameterCount() == 3) {
                ps.setString(i++, "sealed");
            }
            ps.setTimestamp(i, Timestamp.from(Instant.now()));
            return ps.executeUpdate();
        }
    }
}
