package com.helpdeskconnect.api.settings;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One field of a connector's settings form.
 *
 * @param name         the key in the raw settings ({@code instanceUrl})
 * @param label        the form label
 * @param type         the input kind
 * @param required     whether the admin must fill it in
 * @param secret       whether the value is write-only and masked in answers
 * @param help         help text; may be empty
 * @param defaultValue the raw default; empty for none
 * @param options      for {@link SettingType#CHOICE}, the allowed values; empty otherwise
 * @param generated    for a secret, whether the host generates it when left empty ({@link Setting#generated()})
 * @param boundTo      for a secret, the settings it belongs to ({@link Setting#boundTo()}); every URL
 *                     setting when the annotation names none
 */
public record SettingDescriptor(
        String name,
        String label,
        SettingType type,
        boolean required,
        boolean secret,
        String help,
        String defaultValue,
        List<String> options,
        boolean generated,
        List<String> boundTo) {

    public SettingDescriptor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(type, "type");
        help = help == null ? "" : help;
        defaultValue = defaultValue == null ? "" : defaultValue;
        options = options == null ? List.of() : List.copyOf(options);
        boundTo = boundTo == null ? List.of() : List.copyOf(boundTo);
    }

    /**
     * The form for a settings record, in component order.
     *
     * @throws IllegalArgumentException if a component lacks {@link Setting} or has a type the SPI cannot bind
     */
    public static List<SettingDescriptor> describe(Class<? extends Record> settingsType) {
        List<SettingDescriptor> result = new ArrayList<>();
        List<String> urlSettings = Arrays.stream(settingsType.getRecordComponents())
                .filter(c -> c.getType() == URI.class).map(RecordComponent::getName).toList();
        for (RecordComponent component : settingsType.getRecordComponents()) {
            Setting setting = component.getAnnotation(Setting.class);
            if (setting == null) {
                throw new IllegalArgumentException(settingsType.getName() + "." + component.getName()
                        + " has no @Setting annotation");
            }
            SettingType type = typeOf(component.getType(), component.getGenericType(), settingsType, component.getName());
            List<String> options = component.getType().isEnum()
                    ? Arrays.stream(component.getType().getEnumConstants()).map(c -> ((Enum<?>) c).name()).toList()
                    : List.of();
            boolean secret = type == SettingType.SECRET;
            List<String> boundTo = !secret ? List.of()
                    : setting.boundTo().length == 0 ? urlSettings : List.of(setting.boundTo());
            result.add(new SettingDescriptor(component.getName(), setting.label(), type,
                    isRequired(settingsType, component), secret, setting.help(),
                    setting.defaultValue(), options, secret && setting.generated(), boundTo));
        }
        return List.copyOf(result);
    }

    static SettingType typeOf(Class<?> raw, Type generic, Class<?> owner, String name) {
        if (raw == String.class) return SettingType.STRING;
        if (raw == Secret.class) return SettingType.SECRET;
        if (raw == URI.class) return SettingType.URL;
        if (raw == UUID.class) return SettingType.GUID;
        if (raw == boolean.class || raw == Boolean.class) return SettingType.BOOLEAN;
        if (raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class) return SettingType.INTEGER;
        if (raw.isEnum()) return SettingType.CHOICE;
        if (raw == Map.class && generic instanceof ParameterizedType p
                && Arrays.stream(p.getActualTypeArguments()).allMatch(String.class::equals)) {
            return SettingType.MAP;
        }
        throw new IllegalArgumentException(owner.getName() + "." + name + " has unsupported setting type " + generic);
    }

    // Jakarta constraints target fields, not record components, so they are read from the backing field.
    private static boolean isRequired(Class<?> owner, RecordComponent component) {
        if (component.getType().isPrimitive()) {
            return false;
        }
        try {
            Field field = owner.getDeclaredField(component.getName());
            return field.isAnnotationPresent(NotNull.class) || field.isAnnotationPresent(NotBlank.class)
                    || field.isAnnotationPresent(NotEmpty.class);
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(e);
        }
    }
}
