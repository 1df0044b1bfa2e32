package com.helpdeskconnect.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The SPI's public surface, compared with the checked-in {@code api-signature.txt}. Any change to a
 * public type or member fails this test until the file is rewritten, and the file can only be
 * rewritten with a new {@code spi.version}: run
 * {@code mvn -pl connector-api test -Dtest=ApiSignatureTest -Dapi.signature.write=true} after bumping
 * {@code spi.version} in the root pom (minor for additions, major for removals and changes).
 */
class ApiSignatureTest {
    private static final Path FILE = Path.of("api-signature.txt");
    private static final String VERSION_LINE = "# spi.version=";

    @Test
    void publicApiMatchesTheCheckedInSignature() throws Exception {
        List<String> current = signature();
        List<String> recorded = Files.exists(FILE) ? Files.readAllLines(FILE, StandardCharsets.UTF_8) : List.of();
        String recordedVersion = recorded.stream().filter(l -> l.startsWith(VERSION_LINE)).findFirst()
                .map(l -> l.substring(VERSION_LINE.length())).orElse("");
        List<String> recordedBody = recorded.stream().filter(l -> !l.startsWith("#")).toList();
        if (Boolean.getBoolean("api.signature.write")) {
            if (!recordedBody.equals(current) && recordedVersion.equals(SpiVersion.current())) {
                throw new AssertionError("The SPI changed but spi.version is still " + recordedVersion
                        + ": bump it in the root pom (minor for additions, major for changes) before writing " + FILE);
            }
            List<String> lines = new ArrayList<>();
            lines.add("# The public SPI of connector-api. Checked by ApiSignatureTest; see its javadoc to update.");
            lines.add(VERSION_LINE + SpiVersion.current());
            lines.addAll(current);
            Files.write(FILE, lines, StandardCharsets.UTF_8);
            return;
        }
        assertThat(recordedVersion).as("spi.version recorded in " + FILE.toAbsolutePath()
                + " (the file must be rewritten when the version changes)").isEqualTo(SpiVersion.current());
        assertThat(current).as("The SPI's public surface differs from " + FILE.toAbsolutePath()
                + ". If the change is intended, bump spi.version and rewrite the file (see ApiSignatureTest).")
                .containsExactlyElementsOf(recordedBody);
    }

    static List<String> signature() throws IOException, URISyntaxException, ClassNotFoundException {
        Path classes = Path.of(SpiVersion.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> names;
        try (Stream<Path> files = Files.walk(classes)) {
            names = files.filter(f -> f.toString().endsWith(".class"))
                    .map(f -> classes.relativize(f).toString().replace('/', '.').replace('\\', '.'))
                    .map(n -> n.substring(0, n.length() - ".class".length()))
                    .filter(n -> !n.endsWith("package-info"))
                    .sorted().toList();
        }
        List<String> lines = new ArrayList<>();
        for (String name : names) {
            Class<?> type = Class.forName(name, false, SpiVersion.class.getClassLoader());
            if (!Modifier.isPublic(type.getModifiers()) || type.isAnonymousClass() || type.isSynthetic()) {
                continue;
            }
            lines.add(describeType(type));
            // record components in declaration order: their order is the canonical constructor's
            if (type.isRecord()) {
                for (RecordComponent c : type.getRecordComponents()) {
                    lines.add("  component " + c.getGenericType().getTypeName() + " " + c.getName());
                }
            }
            List<String> members = new ArrayList<>();
            for (Field f : type.getDeclaredFields()) {
                if (visible(f.getModifiers()) && !f.isSynthetic()) {
                    members.add("  field " + mods(f.getModifiers()) + f.getGenericType().getTypeName() + " " + f.getName());
                }
            }
            for (Constructor<?> c : type.getDeclaredConstructors()) {
                if (visible(c.getModifiers()) && !c.isSynthetic()) {
                    members.add("  constructor " + mods(c.getModifiers()) + "(" + params(c) + ")" + annotations(c));
                }
            }
            for (Method m : type.getDeclaredMethods()) {
                if (visible(m.getModifiers()) && !m.isSynthetic() && !m.isBridge()) {
                    String dflt = m.getDefaultValue() == null ? "" : " default " + defaultText(m.getDefaultValue());
                    members.add("  method " + mods(m.getModifiers()) + (m.isDefault() ? "default " : "")
                            + m.getGenericReturnType().getTypeName() + " " + m.getName() + "(" + params(m) + ")"
                            + throwsText(m) + dflt + annotations(m));
                }
            }
            members.sort(null);
            lines.addAll(members);
        }
        return lines;
    }

    private static String describeType(Class<?> type) {
        String kind = type.isAnnotation() ? "@interface" : type.isInterface() ? "interface" : type.isEnum() ? "enum"
                : type.isRecord() ? "record" : "class";
        int modifiers = type.getModifiers() & ~(Modifier.INTERFACE | Modifier.ABSTRACT | Modifier.STATIC);
        if (type.isEnum() || type.isRecord()) {
            modifiers &= ~Modifier.FINAL;
        }
        String supers = Stream.concat(
                        type.getGenericSuperclass() == null || type.isEnum() || type.isRecord()
                                || type.getSuperclass() == Object.class ? Stream.<Type>empty() : Stream.of(type.getGenericSuperclass()),
                        Arrays.stream(type.getGenericInterfaces()).filter(t -> !t.getTypeName().equals("java.lang.annotation.Annotation")))
                .map(Type::getTypeName).collect(Collectors.joining(", "));
        return mods(modifiers) + kind + " " + type.getName() + (supers.isEmpty() ? "" : " : " + supers) + annotations(type);
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static String mods(int modifiers) {
        String text = Modifier.toString(modifiers & ~(Modifier.TRANSIENT | Modifier.VOLATILE | Modifier.SYNCHRONIZED
                | Modifier.NATIVE | Modifier.STRICT));
        return text.isEmpty() ? "" : text + " ";
    }

    private static String params(Executable e) {
        return Arrays.stream(e.getGenericParameterTypes()).map(Type::getTypeName).collect(Collectors.joining(", "));
    }

    private static String throwsText(Method m) {
        Type[] thrown = m.getGenericExceptionTypes();
        return thrown.length == 0 ? "" : " throws " + Arrays.stream(thrown).map(Type::getTypeName).collect(Collectors.joining(", "));
    }

    private static String defaultText(Object value) {
        if (value instanceof Object[] array) {
            return Arrays.toString(array);
        }
        return String.valueOf(value);
    }

    /** Only the SPI's own markers: they are part of the promise (experimental, deprecated). */
    private static String annotations(AnnotatedElement element) {
        List<String> marks = new ArrayList<>();
        if (element.isAnnotationPresent(Deprecated.class)) {
            marks.add("@Deprecated");
        }
        Experimental experimental = element.getAnnotation(Experimental.class);
        if (experimental != null) {
            marks.add("@Experimental(" + experimental.since() + ")");
        }
        return marks.isEmpty() ? "" : " " + String.join(" ", marks);
    }
}
