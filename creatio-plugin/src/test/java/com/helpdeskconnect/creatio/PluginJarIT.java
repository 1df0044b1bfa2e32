package com.helpdeskconnect.creatio;

import static org.assertj.core.api.Assertions.assertThat;

import com.helpdeskconnect.api.HelpdeskConnector;
import com.helpdeskconnect.api.HelpdeskConnection;
import com.helpdeskconnect.api.SpiVersion;
import com.helpdeskconnect.api.settings.SettingsBinder;
import com.helpdeskconnect.api.state.ConnectorState;
import com.helpdeskconnect.sandbox.CreatioSandbox;
import com.helpdeskconnect.sandbox.CreatioSandboxExtension;
import com.helpdeskconnect.testkit.ContractIntegrationContext;
import com.helpdeskconnect.testkit.ContractOutboundPolicies;
import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
    static CreatioSandboxExtension creatio = new CreatioSandboxExtension();

    @Test
    void builtJarLoadsFromPluginsFolderAndVerifiesAgainstSandbox(@TempDir Path plugins, CreatioSandbox sandbox) throws Exception {
        Path jar = Path.of(System.getProperty("plugin.jar"));
        Files.copy(jar, plugins.resolve("creatio-plugin.jar"));
        PluginManager manager = new DefaultPluginManager(plugins);
        manager.setSystemVersion(SpiVersion.current());
        manager.loadPlugins();
        manager.startPlugins();
        try {
            assertThat(manager.getPlugin("creatio")).isNotNull();
            assertThat(manager.getPlugin("creatio").getPluginState()).isEqualTo(PluginState.STARTED);
            List<HelpdeskConnector> connectors = manager.getExtensions(HelpdeskConnector.class, "creatio");
            assertThat(connectors).hasSize(1);
            HelpdeskConnector connector = connectors.get(0);
            assertThat(connector.getClass().getClassLoader()).isInstanceOf(PluginClassLoader.class);
            assertThat(connector.describe().id()).isEqualTo("creatio");

            try (ValidatorFactory validation = Validation.buildDefaultValidatorFactory()) {
                Record settings = SettingsBinder.bind(com.helpdeskconnect.api.settings.Settings.of(Map.of(
                        "instanceUrl", sandbox.baseUrl(),
                        "identityServerUrl", sandbox.identityUrl(),
                        "clientId", sandbox.clientId(),
                        "clientSecret", sandbox.clientSecret())), connector.describe().settingsType(), validation.getValidator());
                ContractIntegrationContext context = new ContractIntegrationContext("jar-test", settings,
                        ConnectorState.inMemory(), ContractOutboundPolicies.loopbackOnly(),
                        URI.create("http://127.0.0.1:9/webhooks/jar-test"));
                try (HelpdeskConnection connection = connector.open(context)) {
                    assertThat(connection.verify().ok()).isTrue();
                }
            }
            connector.close();
        } finally {
            manager.stopPlugins();
            manager.unloadPlugins();
        }
    }
}
