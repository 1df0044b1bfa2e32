package com.helpdeskconnect.api.settings;

import com.helpdeskconnect.api.errors.InvalidSettingsException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import jakarta.validation.Validator;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Binds raw {@link Settings} into a connector's settings record and validates it.
 *
 * <p>Used by the host when an admin saves an integration, and by the contract-test kit. Every
 * problem is reported per setting in one {@link InvalidSettingsException}: unknown names, values of
 * the wrong type, and Jakarta constraint violations. Messages never repeat a secret's value.
 */
public final class SettingsBinder {
    private static final Pattern GUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private SettingsBinder() {}

    /**
     * @param validator the host's Jakarta validator; it sees the record's field constraints
     * @return the bound, valid settings record
     * @throws InvalidSettingsException listing every setting that is wrong
     */
    public static <R extends Record> R bind(Settings raw, Class<R> type, Validator validator) {
        RecordComponent[] components = type.getRecordComponents();
        Map<String, String> errors = new TreeMap<>();
        for (String name : raw.asMap().keySet()) {
            if (Arrays.stream(components).noneMatch(c -> c.getName().equals(name))) {
                errors.put(name, "is not a setting of this connector");
            }
        }
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent component = components[i];
            Object value = raw.get(component.getName()).orElse(null);
            if (value == null) {
                Setting setting = component.getAnnotation(Setting.class);
                if (setting != null && !setting.defaultValue().isEmpty()) {
                    value = setting.defaultValue();
                }
            }
            try {
                args[i] = convert(value, component);
            } catch (IllegalArgumentException e) {
                errors.put(component.getName(), e.getMessage());
                args[i] = emptyValue(component);
            }
        }
        R bound = construct(type, components, args);
        for (ConstraintViolation<R> violation : validator.validate(bound)) {
            errors.putIfAbsent(settingName(violation.getPropertyPath()), violation.getMessage());
        }
        if (!errors.isEmpty()) {
            throw new InvalidSettingsException(errors);
        }
        return bound;
    }

    /** The raw settings as an answer may show them: every secret replaced by {@link Secret#MASK}. */
    public static Map<String, Object> masked(Settings raw, Iterable<SettingDescriptor> form) {
        Map<String, Object> result = new LinkedHashMap<>(raw.asMap());
        for (SettingDescriptor descriptor : form) {
            if (descriptor.secret() && result.containsKey(descriptor.name())) {
                result.put(descriptor.name(), Secret.MASK);
            }
        }
        return result;
    }

    private static String settingName(Path path) {
        for (Path.Node node : path) {
            if (node.getName() != null) {
                return node.getName();
            }
        }
        return "settings";
    }

    private static <R extends Record> R construct(Class<R> type, RecordComponent[] components, Object[] args) {
        Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
        try {
            Constructor<R> constructor = type.getDeclaredConstructor(types);
            constructor.setAccessible(true);
            return constructor.newInstance(args);
        } catch (InvocationTargetException e) {
            // A compact constructor refused the values; its message is the connector's, about the settings.
            throw new InvalidSettingsException(Map.of("settings", String.valueOf(e.getCause().getMessage())));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot construct settings record " + type.getName(), e);
        }
    }

    /** What an absent setting binds to: null, or a primitive's zero. */
    private static Object emptyValue(RecordComponent component) {
        Class<?> t = component.getType();
        if (t == boolean.class) return false;
        if (t == int.class) return 0;
        if (t == long.class) return 0L;
        return null;
    }

    private static Object convert(Object value, RecordComponent component) {
        Class<?> t = component.getType();
        SettingType type = SettingDescriptor.typeOf(t, component.getGenericType(), component.getDeclaringRecord(),
                component.getName());
        if (value == null || (value instanceof String s && s.isBlank() && type != SettingType.STRING
                && type != SettingType.SECRET)) {
            return emptyValue(component);
        }
        switch (type) {
            case STRING:
                return text(value, "must be text");
            case SECRET:
                return Secret.of(text(value, "must be text"));
            case URL:
                try {
                    URI uri = new URI(text(value, "must be a URL").trim());
                    if (!uri.isAbsolute() || uri.getHost() == null) {
                        throw new IllegalArgumentException("must be an absolute URL such as https://example.com");
                    }
                    return uri;
                } catch (URISyntaxException e) {
                    throw new IllegalArgumentException("must be a URL such as https://example.com");
                }
            case GUID: {
                String s = text(value, "must be a GUID").trim();
                if (!GUID.matcher(s).matches()) {
                    throw new IllegalArgumentException(
                            "must be a GUID like 00000000-0000-0000-0000-000000000000");
                }
                return UUID.fromString(s);
            }
            case BOOLEAN:
                if (value instanceof Boolean b) return b;
                if (value instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
                    return Boolean.parseBoolean(s);
                }
                throw new IllegalArgumentException("must be true or false");
            case INTEGER: {
                long n;
                if (value instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue())) {
                    n = number.longValue();
                } else if (value instanceof String s) {
                    try {
                        n = Long.parseLong(s.trim());
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("must be a whole number");
                    }
                } else {
                    throw new IllegalArgumentException("must be a whole number");
                }
                if (t == int.class || t == Integer.class) {
                    if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
                        throw new IllegalArgumentException("is out of range");
                    }
                    return (int) n;
                }
                return n;
            }
            case CHOICE: {
                String s = text(value, "must be text").trim();
                for (Object constant : t.getEnumConstants()) {
                    if (((Enum<?>) constant).name().equalsIgnoreCase(s)) {
                        return constant;
                    }
                }
                throw new IllegalArgumentException("must be one of " + Arrays.stream(t.getEnumConstants())
                        .map(c -> ((Enum<?>) c).name().toLowerCase(Locale.ROOT)).toList());
            }
            case MAP: {
                if (!(value instanceof Map<?, ?> map)) {
                    throw new IllegalArgumentException("must be an object of names to text values");
                }
                Map<String, String> result = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (!(e.getKey() instanceof String k) || !(e.getValue() instanceof String v)) {
                        throw new IllegalArgumentException("must be an object of names to text values");
                    }
                    result.put(k, v);
                }
                return java.util.Collections.unmodifiableMap(result);
            }
            default:
                throw new IllegalStateException(type.name());
        }
    }

    private static String text(Object value, String message) {
        if (value instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException(message);
    }
}
