package com.helpdeskconnect.host.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigResolverTest {
    @TempDir
    Path dir;

    @Test
    void commandLineBeatsEnvironmentBeatsConfigFile() throws Exception {
        Path file = Files.writeString(dir.resolve("hc.properties"), "port=7000\ndata-dir=/from-file\nplugins-dir=/p-file\nworker-threads=3\n");
        HostConfig config = new ConfigResolver(Map.of("port", "9000"),
                Map.of("HELPDESK_CONNECT_PORT", "8000", "HELPDESK_CONNECT_DATA_DIR", "/from-env"), file)
                .resolve(Path.of("default-plugins"));
        assertThat(config.port()).isEqualTo(9000);
        assertThat(config.dataDir()).isEqualTo(Path.of("/from-env"));
        assertThat(config.pluginsDir()).isEqualTo(Path.of("/p-file"));
        assertThat(config.workerThreads()).isEqualTo(3);
        assertThat(config.keyFile()).isEqualTo(Path.of("/from-env/secret.key"));
    }

    @Test
    void encryptionKeyComesOnlyFromTheEnvironmentAndIsNeverPrinted() {
        HostConfig config = new ConfigResolver(Map.of(), Map.of("HELPDESK_CONNECT_ENCRYPTION_KEY", "c2VjcmV0LWtleQ=="), null)
                .resolve(Path.of("plugins"));
        assertThat(config.encryptionKey()).isEqualTo("c2VjcmV0LWtleQ==");
        assertThat(config.toString()).doesNotContain("c2VjcmV0LWtleQ==");
    }

    @Test
    void databaseUrlFromAnySourcePasswordOnlyFromTheEnvironmentAndNeitherPrinted() throws Exception {
        HostConfig embedded = new ConfigResolver(Map.of(), Map.of(), null).resolve(Path.of("p"));
        assertThat(embedded.database().shared()).isFalse();
        assertThat(embedded.database().lease()).isEqualTo(java.time.Duration.ofSeconds(30));

        Path file = Files.writeString(dir.resolve("hc.properties"),
                "database-url=jdbc:postgresql://db.internal:5432/helpdesk\ndatabase-user=hc\nlease-seconds=10\ndatabase-password=ignored\n");
        HostConfig config = new ConfigResolver(Map.of(), Map.of("HELPDESK_CONNECT_DATABASE_PASSWORD", "pg-pa55"), file)
                .resolve(Path.of("p"));
        assertThat(config.database().shared()).isTrue();
        assertThat(config.database().url()).isEqualTo("jdbc:postgresql://db.internal:5432/helpdesk");
        assertThat(config.database().user()).isEqualTo("hc");
        assertThat(config.database().password()).isEqualTo("pg-pa55");
        assertThat(config.database().lease()).isEqualTo(java.time.Duration.ofSeconds(10));
        assertThat(config.toString()).doesNotContain("pg-pa55").doesNotContain("db.internal");

        HostConfig fromEnv = new ConfigResolver(Map.of(), Map.of("HELPDESK_CONNECT_DATABASE_URL",
                "jdbc:postgresql://db/h?password=in-url"), null).resolve(Path.of("p"));
        assertThat(fromEnv.database().url()).isEqualTo("jdbc:postgresql://db/h?password=in-url");
        assertThat(fromEnv.toString()).doesNotContain("in-url");
        // the command line wins, as for every option
        assertThat(new ConfigResolver(Map.of("database-url", "jdbc:postgresql://cli/h"),
                Map.of("HELPDESK_CONNECT_DATABASE_URL", "jdbc:postgresql://env/h"), null).resolve(Path.of("p")).database().url())
                .isEqualTo("jdbc:postgresql://cli/h");
    }

    @Test
    void anSqliteFileUrlIsOneHostsStoreAndAnInMemoryOneIsRefused() {
        HostConfig config = new ConfigResolver(Map.of(), Map.of("HELPDESK_CONNECT_DATABASE_URL",
                "jdbc:sqlite:/var/lib/hc/helpdesk-connect.db"), null).resolve(Path.of("p"));
        assertThat(config.database().sqlite()).isTrue();
        assertThat(config.database().shared()).isFalse();
        assertThat(config.database().toString()).isEqualTo("sqlite");
        assertThatThrownBy(() -> new ConfigResolver(Map.of("database-url", "jdbc:sqlite::memory:"), Map.of(), null)
                .resolve(Path.of("p"))).hasMessageContaining("database-url must be");
    }

    @Test
    void aDatabaseUrlThatIsNotPostgresIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> new ConfigResolver(Map.of(), Map.of("HELPDESK_CONNECT_DATABASE_URL",
                "jdbc:mysql://db/h?password=s3cret"), null).resolve(Path.of("p")))
                .hasMessageContaining("database-url must be a PostgreSQL JDBC URL").hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> new ConfigResolver(Map.of(), Map.of("HELPDESK_CONNECT_LEASE_SECONDS", "0"), null)
                .resolve(Path.of("p"))).hasMessageContaining("lease-seconds must be at least 1");
    }

    @Test
    void badValuesAreClearErrors() {
        assertThatThrownBy(() -> new ConfigResolver(Map.of(), Map.of("HELPDESK_CONNECT_PORT", "eighty"), null).resolve(Path.of("p")))
                .hasMessage("port must be a whole number, was 'eighty'");
        assertThatThrownBy(() -> new ConfigResolver(Map.of(), Map.of(), dir.resolve("missing.properties")))
                .hasMessageContaining("does not exist");
    }
}
