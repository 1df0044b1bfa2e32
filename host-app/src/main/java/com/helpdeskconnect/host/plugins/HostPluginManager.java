package com.helpdeskconnect.host.plugins;

import com.helpdeskconnect.api.SpiVersion;
import java.nio.file.Path;
import org.pf4j.DefaultPluginManager;
import org.pf4j.JarPluginLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginLoader;

/**
 * PF4J's manager with the host's choices: plugins are jars, loaded with an
 * {@link IsolatingPluginClassLoader}, and must require the SPI version this host provides.
 *
 * <p>Not thread-safe (neither is PF4J's); {@link PluginRuntime} serialises every call.
 */
final class HostPluginManager extends DefaultPluginManager {

    HostPluginManager(Path pluginsDir) {
        super(pluginsDir);
        setSystemVersion(SpiVersion.current());
    }

    @Override
    protected PluginLoader createPluginLoader() {
        return new JarPluginLoader(this) {
            @Override
            public ClassLoader loadPlugin(Path pluginPath, PluginDescriptor descriptor) {
                IsolatingPluginClassLoader loader =
                        new IsolatingPluginClassLoader(pluginManager, descriptor, HostPluginManager.class.getClassLoader());
                loader.addFile(pluginPath.toFile());
                return loader;
            }
        };
    }
}
