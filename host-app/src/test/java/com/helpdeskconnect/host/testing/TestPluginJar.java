package com.helpdeskconnect.host.testing;

import com.helpdeskconnect.api.HelpdeskConnector;
import com.helpdeskconnect.api.SpiVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds a real PF4J plugin jar from a test connector's source, as a plugin build would: compiled
 * classes, a manifest with Plugin-Id/Version/Requires and {@code META-INF/extensions.idx}. Variants
 * make broken jars for the failure tests.
 */
public final class TestPluginJar {
    public static final String CONNECTOR_CLASS = "test.fakedesk.FakeDeskConnector";

    /** The test connectors, each one source file under {@code src/test/resources/testplugin}. */
    public enum Source {
        /** Every capability, a journal file as its helpdesk, failures and delays on demand. */
        FAKEDESK("FakeDeskConnector.java", CONNECTOR_CLASS, "fakedesk-plugin"),
        /** {@code createCase} and nothing else. */
        MINIMAL("MinimalConnector.java", "test.minimal.MinimalConnector", "minimal-plugin"),
        /** Webhooks signed like Zendesk's (HMAC over timestamp + body, 5-minute window). */
        SIGNED("SignedWebhookConnector.java", "test.signed.SignedWebhookConnector", "signed-plugin"),
        /** Every capability, no helpdesk: each call answers at once (the benchmark's {@code --connector noop}). */
        NOOP("NoopConnector.java", "test.noop.NoopConnector", "noop-plugin");

        final String file;
        final String className;
        final String pluginId;

        Source(String file, String className, String pluginId) {
            this.file = file;
            this.className = className;
            this.pluginId = pluginId;
        }
    }

    private final Path jar;
    private Source source = Source.FAKEDESK;
    private String pluginId = "fakedesk-plugin";
    private String connectorId = "fakedesk";
    private String version = "1.0.0";
    private String requires = SpiVersion.current();
    private boolean extensionIndex = true;
    private boolean manifest = true;
    private boolean bundleSpi = false;

    public TestPluginJar(Path jar) {
        this.jar = jar;
    }

    public TestPluginJar source(Source s) { this.source = s; this.pluginId = s.pluginId; return this; }
    public TestPluginJar pluginId(String id) { this.pluginId = id; return this; }
    public TestPluginJar connectorId(String id) { this.connectorId = id; return this; }
    public TestPluginJar version(String v) { this.version = v; return this; }
    public TestPluginJar requires(String r) { this.requires = r; return this; }
    public TestPluginJar withoutExtensionIndex() { this.extensionIndex = false; return this; }
    public TestPluginJar withoutManifest() { this.manifest = false; return this; }
    public TestPluginJar bundlingSpi() { this.bundleSpi = true; return this; }

    private static final java.util.Map<Source, Path> CACHE = new java.util.EnumMap<>(Source.class);

    /** The standard Fake Desk plugin at {@code dir/fakedesk.jar}; compiled once per test JVM, then copied. */
    public static Path fakeDesk(Path dir) {
        return install(Source.FAKEDESK, dir);
    }

    /** A standard plugin of {@code source} at {@code dir/<plugin id>.jar}; compiled once per test JVM, then copied. */
    public static synchronized Path install(Source source, Path dir) {
        try {
            Path cached = CACHE.get(source);
            if (cached == null) {
                Path cache = Files.createTempDirectory("testplugin-cache");
                cache.toFile().deleteOnExit();
                TestPluginJar plugin = new TestPluginJar(cache.resolve(source.pluginId + ".jar")).source(source);
                if (source == Source.NOOP) {
                    // SPI 2.0 is all it uses: the benchmark also runs it in hosts built before 2.1
                    plugin.requires(">=2.0.0 & <3.0.0");
                }
                cached = plugin.build();
                cached.toFile().deleteOnExit();
                CACHE.put(source, cached);
            }
            Files.createDirectories(dir);
            String name = source == Source.FAKEDESK ? "fakedesk.jar" : source.pluginId + ".jar";
            return Files.copy(cached, dir.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path build() {
        try {
            Path work = Files.createTempDirectory("plugin-src");
            try {
                Path classes = compile(work);
                write(classes);
            } finally {
                deleteTree(work);
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path compile(Path work) throws IOException {
        String source;
        try (InputStream in = TestPluginJar.class.getResourceAsStream("/testplugin/" + this.source.file)) {
            source = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("CONNECTOR_ID", connectorId)
                    .replace("PLUGIN_VERSION", version);
        }
        Path src = work.resolve("src/" + this.source.className.replace('.', '/') + ".java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, source);
        Path classes = Files.createDirectories(work.resolve("classes"));
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(List.of("-proc:none", "-nowarn", "--release", "17",
                "-classpath", spiClassPath(), "-d", classes.toString(), src.toString()));
        int rc = compiler.run(null, null, System.err, args.toArray(String[]::new));
        if (rc != 0) {
            throw new IllegalStateException(this.source.file + " did not compile");
        }
        return classes;
    }

    /** What a plugin compiles against: the SPI and its three provided APIs. */
    static String spiClassPath() {
        return Stream.of(HelpdeskConnector.class, org.pf4j.Extension.class, org.slf4j.Logger.class,
                        jakarta.validation.constraints.NotNull.class)
                .map(TestPluginJar::location)
                .distinct()
                .collect(Collectors.joining(java.io.File.pathSeparator));
    }

    static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private void write(Path classes) throws IOException {
        Manifest mf = new Manifest();
        Attributes main = mf.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (manifest) {
            main.putValue("Plugin-Id", pluginId);
            main.putValue("Plugin-Version", version);
            main.putValue("Plugin-Requires", requires);
            main.putValue("Plugin-Provider", "Helpdesk Connect tests");
        }
        Files.createDirectories(jar.getParent());
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jos = new JarOutputStream(out, mf)) {
            try (Stream<Path> files = Files.walk(classes)) {
                for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                    jos.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                    Files.copy(file, jos);
                    jos.closeEntry();
                }
            }
            if (extensionIndex) {
                jos.putNextEntry(new JarEntry("META-INF/extensions.idx"));
                jos.write((source.className + "\n").getBytes(StandardCharsets.UTF_8));
                jos.closeEntry();
            }
            if (bundleSpi) {
                String name = HelpdeskConnector.class.getName().replace('.', '/') + ".class";
                jos.putNextEntry(new JarEntry(name));
                try (InputStream in = HelpdeskConnector.class.getClassLoader().getResourceAsStream(name)) {
                    in.transferTo(jos);
                }
                jos.closeEntry();
            }
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
