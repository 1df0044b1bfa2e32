package com.helpdeskconnect.zendesk;

import static org.assertj.core.api.Assertions.assertThat;

import com.helpdeskconnect.api.HelpdeskConnection;
import com.helpdeskconnect.api.HelpdeskConnector;
import com.helpdeskconnect.api.OperationContext;
import com.helpdeskconnect.api.SpiVersion;
import com.helpdeskconnect.api.cases.CaseDraft;
import com.helpdeskconnect.api.cases.CaseRef;
import com.helpdeskconnect.api.cases.Customer;
import com.helpdeskconnect.api.settings.Settings;
import com.helpdeskconnect.api.settings.SettingsBinder;
import com.helpdeskconnect.api.state.ConnectorState;
import com.helpdeskconnect.testkit.ContractIntegrationContext;
import com.helpdeskconnect.testkit.ContractOutboundPolicies;
import com.helpdeskconnect.zendesk.sandbox.ZendeskSandbox;
import com.helpdeskconnect.zendesk.sandbox.ZendeskSandboxExtension;
import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.pf4j.DefaultPluginManager;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginManager;
import org.pf4j.PluginState;

/** The built plugin jar, loaded by PF4J from a plugins folder as the host loads it, does real work. */
class PluginJarIT {
    @RegisterExtension
    static ZendeskSandboxExtension zendesk = new ZendeskSandboxExtension();

    @Test
    void builtJarLoadsFromPluginsFolderAndWorksAgainstSandbox(@TempDir Path plugins, ZendeskSandbox sandbox) throws Exception {
        Path jar = Path.of(System.getProperty("plugin.jar"));
        try (JarFile file = new JarFile(jar.toFile())) {
            assertThat(file.getEntry("com/helpdeskconnect/zendesk/ZendeskConnector.class")).isNotNull();
            assertThat(file.getEntry("okhttp3/OkHttpClient.class")).as("OkHttp is bundled").isNotNull();
            assertThat(file.getEntry("com/helpdeskconnect/api/HelpdeskConnector.class")).as("the SPI is the host's").isNull();
            assertThat(file.getEntry("org/slf4j/Logger.class")).isNull();
            assertThat(file.getEntry("org/pf4j/Extension.class")).isNull();
        }
        Files.copy(jar, plugins.resolve("zendesk-plugin.jar"));
        PluginManager manager = new DefaultPluginManager(plugins);
        manager.setSystemVersion(SpiVersion.current());
        manager.loadPlugins();
        manager.startPlugins();
        try {
            assertThat(manager.getPlugin("zendesk")).isNotNull();
            assertThat(manager.getPlugin("zendesk").getPluginState()).isEqualTo(PluginState.STARTED);
            List<HelpdeskConnector> connectors = manager.getExtensions(HelpdeskConnector.class, "zendesk");
            assertThat(connectors).hasSize(1);
            HelpdeskConnector connector = connectors.get(0);
            assertThat(connector.getClass().getClassLoader()).isInstanceOf(PluginClassLoader.class);
            assertThat(connector.describe().id()).isEqualTo("zendesk");
            assertThat(connector.describe().settingsType()).isNotSameAs(ZendeskSettings.class);

            try (ValidatorFactory validation = Validation.buildDefaultValidatorFactory()) {
                Record settings = SettingsBinder.bind(Settings.of(Map.of(
                        "instanceUrl", sandbox.baseUrl(),
                        "email", sandbox.email(),
                        "apiToken", sandbox.apiToken())), connector.describe().settingsType(), validation.getValidator());
                ContractIntegrationContext context = new ContractIntegrationContext("jar-test", settings,
                        ConnectorState.inMemory(), ContractOutboundPolicies.loopbackOnly(),
                        URI.create("http://127.0.0.1:9/webhooks/jar-test"));
                try (HelpdeskConnection connection = connector.open(context)) {
                    assertThat(connection.verify().ok()).isTrue();
                    CaseRef ref = connection.createCase(OperationContext.forEvent("jar-test", "conv-1", "m1", 1,
                            Instant.now()), CaseDraft.of("conv-1", "From the jar", "Hello", Customer.anonymous()), List.of());
                    assertThat(sandbox.inspect().ticket(Long.parseLong(ref.id()))).isPresent();
                }
            }
            connector.close();
        } finally {
            manager.stopPlugins();
            manager.unloadPlugins();
        }
    }
}
