package com.helpdeskconnect.host.plugins;

import com.helpdeskconnect.api.ConnectorDescriptor;
import com.helpdeskconnect.api.HelpdeskConnector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.pf4j.PluginState;
import org.pf4j.PluginWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads every plugin jar in the plugins folder and keeps one instance of each connector they offer.
 *
 * <p>A jar that cannot be read, requires another SPI version, fails to start or offers no connector
 * becomes a {@link PluginFailure}; the other jars still load. Plugin state changes are serialised
 * behind one lock; looking up connectors is lock-free.
 */
public final class PluginRuntime implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PluginRuntime.class);
    private static final String SPI_MARKER = "com/helpdeskconnect/api/HelpdeskConnector.class";

    private final Path pluginsDir;
    private final HostPluginManager manager;
    private final ReentrantLock stateLock = new ReentrantLock();
    private volatile Map<String, LoadedConnector> connectors = Map.of();
    private volatile List<PluginFailure> failures = List.of();

    public PluginRuntime(Path pluginsDir) {
        this.pluginsDir = pluginsDir.toAbsolutePath().normalize();
        this.manager = new HostPluginManager(this.pluginsDir);
    }

    public Path pluginsDir() {
        return pluginsDir;
    }

    /** Loads and starts every jar in the plugins folder. Call once. */
    public void start() {
        stateLock.lock();
        try {
            List<PluginFailure> failed = new ArrayList<>();
            Map<String, LoadedConnector> loaded = new LinkedHashMap<>();
            for (Path jar : jars(failed)) {
                load(jar, failed);
            }
            manager.startPlugins();
            for (PluginWrapper plugin : new ArrayList<>(manager.getPlugins())) {
                collect(plugin, loaded, failed);
            }
            connectors = Map.copyOf(loaded);
            failures = List.copyOf(failed);
            failed.forEach(f -> log.error("Plugin not loaded: {}", f));
            loaded.values().forEach(c -> log.info("Connector '{}' {} from plugin '{}'",
                    c.id(), c.descriptor().version(), c.pluginId()));
        } finally {
            stateLock.unlock();
        }
    }

    public Collection<LoadedConnector> connectors() {
        return connectors.values();
    }

    public Optional<LoadedConnector> connector(String id) {
        return Optional.ofNullable(connectors.get(id));
    }

    public List<PluginFailure> failures() {
        return failures;
    }

    /** Plugin ids with their PF4J state, for {@code plugins list}. */
    public Map<String, String> pluginStates() {
        stateLock.lock();
        try {
            Map<String, String> states = new LinkedHashMap<>();
            for (PluginWrapper plugin : manager.getPlugins()) {
                states.put(plugin.getPluginId() + " " + plugin.getDescriptor().getVersion(),
                        plugin.getPluginState().toString());
            }
            return states;
        } finally {
            stateLock.unlock();
        }
    }

    @Override
    public void close() {
        stateLock.lock();
        try {
            for (LoadedConnector connector : connectors.values()) {
                try {
                    connector.run(HelpdeskConnector::close);
                } catch (RuntimeException e) {
                    log.warn("Connector '{}' failed to close: {}", connector.id(), e.toString());
                }
            }
            connectors = Map.of();
            manager.stopPlugins();
            manager.unloadPlugins();
        } finally {
            stateLock.unlock();
        }
    }

    private List<Path> jars(List<PluginFailure> failed) {
        if (!Files.isDirectory(pluginsDir)) {
            log.warn("Plugins folder {} does not exist; no connectors are loaded", pluginsDir);
            return List.of();
        }
        try (Stream<Path> files = Files.list(pluginsDir)) {
            return files.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jar"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            failed.add(new PluginFailure(pluginsDir, null, "cannot list the plugins folder: " + e.getMessage()));
            return List.of();
        }
    }

    private void load(Path jar, List<PluginFailure> failed) {
        String unreadable = checkJar(jar);
        if (unreadable != null) {
            failed.add(new PluginFailure(jar, null, unreadable));
            return;
        }
        String pluginId;
        try {
            pluginId = manager.loadPlugin(jar);
        } catch (RuntimeException e) {
            failed.add(new PluginFailure(jar, null, "cannot be loaded: " + causes(e)));
            return;
        }
        PluginWrapper plugin = manager.getPlugin(pluginId);
        if (plugin.getPluginState() == PluginState.DISABLED) {
            // PF4J disables a plugin whose Plugin-Requires does not match the system version.
            String requires = plugin.getDescriptor().getRequires();
            failed.add(new PluginFailure(jar, pluginId, "requires connector SPI " + requires
                    + " but this host provides " + manager.getSystemVersion()));
            manager.unloadPlugin(pluginId);
        }
    }

    /** PF4J's own messages for these cases name no cause ("No PluginDescriptorFinder"), so check first. */
    private static String checkJar(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            if (manifest == null || manifest.getMainAttributes().getValue("Plugin-Id") == null) {
                return "is not a PF4J plugin: its manifest has no Plugin-Id";
            }
            return null;
        } catch (IOException e) {
            return "is not a readable jar: " + e.getMessage();
        }
    }

    private void collect(PluginWrapper plugin, Map<String, LoadedConnector> loaded, List<PluginFailure> failed) {
        String pluginId = plugin.getPluginId();
        Path jar = plugin.getPluginPath();
        if (plugin.getPluginState() != PluginState.STARTED) {
            Throwable cause = plugin.getFailedException();
            failed.add(new PluginFailure(jar, pluginId, "did not start (" + plugin.getPluginState() + ")"
                    + (cause == null ? "" : ": " + causes(cause))));
            unload(pluginId);
            return;
        }
        ClassLoader loader = plugin.getPluginClassLoader();
        List<LoadedConnector> offered = new ArrayList<>();
        try {
            // Extensions are instantiated here, once per plugin start; PF4J would make new ones per call.
            List<HelpdeskConnector> extensions = LoadedConnector.withContextLoader(loader,
                    () -> manager.getExtensions(HelpdeskConnector.class, pluginId));
            for (HelpdeskConnector extension : extensions) {
                ConnectorDescriptor descriptor = LoadedConnector.withContextLoader(loader, extension::describe);
                offered.add(new LoadedConnector(pluginId, loader, extension, descriptor));
            }
        } catch (RuntimeException | LinkageError e) {
            failed.add(new PluginFailure(jar, pluginId, "connector could not be created: " + causes(e)));
            unload(pluginId);
            return;
        }
        if (offered.isEmpty()) {
            failed.add(new PluginFailure(jar, pluginId, noConnectorReason(loader)));
            unload(pluginId);
            return;
        }
        for (LoadedConnector connector : offered) {
            LoadedConnector clash = loaded.get(connector.id());
            if (clash != null) {
                failed.add(new PluginFailure(jar, pluginId, "offers connector '" + connector.id()
                        + "', which plugin '" + clash.pluginId() + "' already provides"));
                continue;
            }
            loaded.put(connector.id(), connector);
        }
    }

    private static String noConnectorReason(ClassLoader loader) {
        StringBuilder reason = new StringBuilder("started but offers no HelpdeskConnector. Likely causes:");
        boolean hasIndex = loader instanceof IsolatingPluginClassLoader l
                && l.findResource("META-INF/extensions.idx") != null;
        boolean bundlesSpi = loader instanceof IsolatingPluginClassLoader l2 && l2.findResource(SPI_MARKER) != null;
        if (!hasIndex) {
            reason.append(" the jar has no META-INF/extensions.idx (was the PF4J annotation processor run, with -proc:full?);");
        } else {
            reason.append(" META-INF/extensions.idx does not list a class implementing HelpdeskConnector;");
        }
        if (bundlesSpi) {
            reason.append(" the jar bundles the connector SPI (connector-api must be 'provided');");
        }
        reason.append(" the connector class has no public no-argument constructor.");
        return reason.toString();
    }

    private void unload(String pluginId) {
        try {
            manager.stopPlugin(pluginId);
        } catch (RuntimeException ignored) {
            // a plugin that failed to start cannot be stopped; unloading still frees its class loader
        }
        manager.unloadPlugin(pluginId);
    }

    static String causes(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (sb.length() > 0) {
                sb.append(" <- ");
            }
            sb.append(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
        }
        return sb.toString();
    }
}
