package com.helpdeskconnect.host.plugins;

import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginManager;

/**
 * A plugin's class loader: the plugin sees the JDK, its own jar, the plugins it depends on, and from
 * the host only the {@link #SHARED_PACKAGES}. Everything else the host carries (Jackson, Jetty, H2…)
 * is invisible, so a plugin may bundle other versions of the same libraries.
 *
 * <p>Modelled on Trino's {@code PluginClassLoader}; PF4J's own loader falls back to the whole
 * application class path, which is what this one prevents.
 */
public final class IsolatingPluginClassLoader extends PluginClassLoader {

    /** Packages loaded from the host, never from the plugin: the SPI and the APIs it exposes. */
    public static final List<String> SHARED_PACKAGES = List.of(
            "com.helpdeskconnect.api.",
            "org.slf4j.",
            "jakarta.validation.",
            "org.pf4j.");

    private static final ClassLoader PLATFORM = ClassLoader.getPlatformClassLoader();

    private final ClassLoader host;

    public IsolatingPluginClassLoader(PluginManager manager, PluginDescriptor descriptor, ClassLoader host) {
        super(manager, descriptor, host);
        this.host = host;
    }

    static boolean isShared(String className) {
        for (String prefix : SHARED_PACKAGES) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isSharedResource(String name) {
        return isShared(name.replace('/', '.'));
    }

    @Override
    public Class<?> loadClass(String className) throws ClassNotFoundException {
        if (isShared(className)) {
            return host.loadClass(className);
        }
        synchronized (getClassLoadingLock(className)) {
            Class<?> loaded = findLoadedClass(className);
            if (loaded != null) {
                return loaded;
            }
            try {
                return PLATFORM.loadClass(className);
            } catch (ClassNotFoundException notJdk) {
                // fall through: the plugin's own jar, then its dependencies
            }
            try {
                return findClass(className);
            } catch (ClassNotFoundException notInPlugin) {
                Class<?> fromDependency = loadClassFromDependencies(className);
                if (fromDependency != null) {
                    return fromDependency;
                }
                throw new ClassNotFoundException(className);
            }
        }
    }

    @Override
    public URL getResource(String name) {
        if (isSharedResource(name)) {
            return host.getResource(name);
        }
        URL url = PLATFORM.getResource(name);
        if (url == null) {
            url = findResource(name);
        }
        if (url == null) {
            url = findResourceFromDependencies(name);
        }
        return url;
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        if (isSharedResource(name)) {
            return host.getResources(name);
        }
        List<URL> urls = new ArrayList<>(Collections.list(PLATFORM.getResources(name)));
        urls.addAll(Collections.list(findResources(name)));
        urls.addAll(findResourcesFromDependencies(name));
        return Collections.enumeration(urls);
    }
}
