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
    void badValuesAreClearErrors() {
        assertThatThrownBy(() -> new ConfigResolver(Map.of(), Map.of("HELPDESK_CONNECT_PORT", "eighty"), null).resolve(Path.of("p")))
                .hasMessage("port must be a whole number, was 'eighty'");
        assertThatThrownBy(() -> new ConfigResolver(Map.of(), Map.of(), dir.resolve("missing.properties")))
                .hasMessageContaining("does not exist");
    }
}
