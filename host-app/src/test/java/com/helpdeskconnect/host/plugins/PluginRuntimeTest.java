package com.helpdeskconnect.host.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import com.helpdeskconnect.host.testing.TestPluginJar;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginRuntimeTest {
    @TempDir
    Path plugins;

    private PluginRuntime start() {
        PluginRuntime runtime = new PluginRuntime(plugins);
        runtime.start();
        return runtime;
    }

    @Test
    void loadsEveryConnectorInThePluginsFolder() {
        TestPluginJar.fakeDesk(plugins);
        new TestPluginJar(plugins.resolve("otherdesk.jar")).pluginId("otherdesk-plugin").connectorId("otherdesk").build();
        try (PluginRuntime runtime = start()) {
            assertThat(runtime.connectors()).extracting(LoadedConnector::id).containsExactlyInAnyOrder("fakedesk", "otherdesk");
            assertThat(runtime.failures()).isEmpty();
        }
    }

    @Test
    void brokenJarIsReportedByFileWhileTheOthersLoad() throws Exception {
        TestPluginJar.fakeDesk(plugins);
        Files.write(plugins.resolve("garbage.jar"), new byte[] {1, 2, 3, 4});
        try (PluginRuntime runtime = start()) {
            assertThat(runtime.connectors()).extracting(LoadedConnector::id).containsExactly("fakedesk");
            assertThat(runtime.failures()).singleElement().satisfies(f -> {
                assertThat(f.file().getFileName().toString()).isEqualTo("garbage.jar");
                assertThat(f.reason()).startsWith("is not a readable jar");
            });
        }
    }

    @Test
    void jarWithoutPluginManifestIsReported() {
        new TestPluginJar(plugins.resolve("nomanifest.jar")).withoutManifest().build();
        try (PluginRuntime runtime = start()) {
            assertThat(runtime.connectors()).isEmpty();
            assertThat(runtime.failures()).singleElement()
                    .satisfies(f -> assertThat(f.toString()).contains("nomanifest.jar").contains("no Plugin-Id"));
        }
    }

    @Test
    void pluginRequiringAnotherSpiVersionIsRefused() {
        new TestPluginJar(plugins.resolve("future.jar")).requires(">=99.0.0").build();
        try (PluginRuntime runtime = start()) {
            assertThat(runtime.connectors()).isEmpty();
            assertThat(runtime.failures()).singleElement().satisfies(f -> {
                assertThat(f.pluginId()).isEqualTo("fakedesk-plugin");
                assertThat(f.reason()).contains("requires connector SPI >=99.0.0").contains("this host provides");
            });
        }
    }

    @Test
    void pluginWithoutExtensionIndexFailsNamingTheLikelyCause() {
        new TestPluginJar(plugins.resolve("noindex.jar")).withoutExtensionIndex().build();
        try (PluginRuntime runtime = start()) {
            assertThat(runtime.connectors()).isEmpty();
            assertThat(runtime.failures()).singleElement()
                    .satisfies(f -> assertThat(f.reason()).contains("offers no HelpdeskConnector").contains("extensions.idx"));
        }
    }

    @Test
    void bundledSpiIsIgnoredBecauseTheSpiAlwaysComesFromTheHost() {
        new TestPluginJar(plugins.resolve("bundled.jar")).bundlingSpi().build();
        try (PluginRuntime runtime = start()) {
            assertThat(runtime.connectors()).extracting(LoadedConnector::id).containsExactly("fakedesk");
        }
    }

    @Test
    void pluginCannotSeeTheHostsLibraries() {
        TestPluginJar.fakeDesk(plugins);
        try (PluginRuntime runtime = start()) {
            // the connector reports whether Jackson (on the host's class path) is visible to it
            assertThat(runtime.connector("fakedesk").orElseThrow().descriptor().description())
                    .isEqualTo("jackson visible: false");
        }
    }

    @Test
    void duplicateConnectorIdIsReported() {
        TestPluginJar.fakeDesk(plugins);
        new TestPluginJar(plugins.resolve("zz-copy.jar")).pluginId("copy-plugin").build();
        try (PluginRuntime runtime = start()) {
            assertThat(runtime.connectors()).hasSize(1);
            assertThat(runtime.failures()).singleElement()
                    .satisfies(f -> assertThat(f.reason()).contains("already provides"));
        }
    }

    @Test
    void missingPluginsFolderMeansNoConnectors() {
        try (PluginRuntime runtime = new PluginRuntime(plugins.resolve("absent"))) {
            runtime.start();
            assertThat(runtime.connectors()).isEmpty();
            assertThat(runtime.failures()).isEmpty();
        }
    }
}
