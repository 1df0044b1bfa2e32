package com.helpdeskconnect.api.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.helpdeskconnect.api.errors.InvalidSettingsException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.executable.ExecutableValidator;
import jakarta.validation.metadata.BeanDescriptor;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SettingsBinderTest {

    enum Mode { EMAIL, PORTAL }

    record ExampleSettings(
            @Setting(label = "Instance URL", help = "Your site") @NotNull URI instanceUrl,
            @Setting(label = "Client ID") @NotBlank String clientId,
            @Setting(label = "Client secret") @NotNull Secret clientSecret,
            @Setting(label = "Owner") UUID ownerId,
            @Setting(label = "Only on handoff", defaultValue = "false") boolean onlyOnHandoff,
            @Setting(label = "Timeout", defaultValue = "30") int timeoutSeconds,
            @Setting(label = "Mode", defaultValue = "email") Mode mode,
            @Setting(label = "Field map") Map<String, String> fieldMap) {}

    /** The binder's own checks, without the Jakarta constraints (a host validator adds those). */
    private static final Validator NO_CONSTRAINTS = new Validator() {
        @Override
        public <T> Set<ConstraintViolation<T>> validate(T object, Class<?>... groups) {
            return Set.of();
        }

        @Override
        public <T> Set<ConstraintViolation<T>> validateProperty(T object, String propertyName, Class<?>... groups) {
            return Set.of();
        }

        @Override
        public <T> Set<ConstraintViolation<T>> validateValue(Class<T> beanType, String propertyName, Object value, Class<?>... groups) {
            return Set.of();
        }

        @Override
        public BeanDescriptor getConstraintsForClass(Class<?> clazz) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <T> T unwrap(Class<T> type) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ExecutableValidator forExecutables() {
            throw new UnsupportedOperationException();
        }
    };

    @Test
    void describesFormFromRecord() {
        List<SettingDescriptor> form = SettingDescriptor.describe(ExampleSettings.class);
        assertThat(form).extracting(SettingDescriptor::name).containsExactly(
                "instanceUrl", "clientId", "clientSecret", "ownerId", "onlyOnHandoff", "timeoutSeconds", "mode", "fieldMap");
        assertThat(form).extracting(SettingDescriptor::type).containsExactly(SettingType.URL, SettingType.STRING,
                SettingType.SECRET, SettingType.GUID, SettingType.BOOLEAN, SettingType.INTEGER, SettingType.CHOICE, SettingType.MAP);
        assertThat(form).filteredOn(SettingDescriptor::required).extracting(SettingDescriptor::name)
                .containsExactly("instanceUrl", "clientId", "clientSecret");
        assertThat(form).filteredOn(SettingDescriptor::secret).extracting(SettingDescriptor::name).containsExactly("clientSecret");
        assertThat(form.get(6).options()).containsExactly("EMAIL", "PORTAL");
    }

    @Test
    void bindsValuesAndDefaults() {
        ExampleSettings bound = SettingsBinder.bind(Settings.of(Map.of(
                "instanceUrl", "https://acme.creatio.com",
                "clientId", "ABC",
                "clientSecret", "s3cr3t-value",
                "ownerId", "410006e1-ca4e-4502-a9ec-e54d922d2c00",
                "fieldMap", Map.of("sentiment", "UsrSentiment"))), ExampleSettings.class, NO_CONSTRAINTS);
        assertThat(bound.instanceUrl()).isEqualTo(URI.create("https://acme.creatio.com"));
        assertThat(bound.clientSecret().reveal()).isEqualTo("s3cr3t-value");
        assertThat(bound.ownerId()).isEqualTo(UUID.fromString("410006e1-ca4e-4502-a9ec-e54d922d2c00"));
        assertThat(bound.onlyOnHandoff()).isFalse();
        assertThat(bound.timeoutSeconds()).isEqualTo(30);
        assertThat(bound.mode()).isEqualTo(Mode.EMAIL);
        assertThat(bound.fieldMap()).containsEntry("sentiment", "UsrSentiment");
        assertThat(bound.toString()).doesNotContain("s3cr3t-value");
    }

    @Test
    void reportsEveryBadValuePerFieldWithoutEchoingSecrets() {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("instanceUrl", "not a url");
        raw.put("clientSecret", 42);
        raw.put("ownerId", "1234");
        raw.put("onlyOnHandoff", "maybe");
        raw.put("timeoutSeconds", "soon");
        raw.put("mode", "fax");
        raw.put("fieldMap", "sentiment");
        raw.put("colour", "blue");
        assertThatThrownBy(() -> SettingsBinder.bind(Settings.of(raw), ExampleSettings.class, NO_CONSTRAINTS))
                .isInstanceOfSatisfying(InvalidSettingsException.class, e -> assertThat(e.fieldErrors())
                        .containsOnlyKeys("instanceUrl", "clientSecret", "ownerId", "onlyOnHandoff", "timeoutSeconds",
                                "mode", "fieldMap", "colour")
                        .containsEntry("ownerId", "must be a GUID like 00000000-0000-0000-0000-000000000000")
                        .containsEntry("colour", "is not a setting of this connector"));
    }

    @Test
    void masksSecretsForAnswers() {
        Settings raw = Settings.of(Map.of("clientId", "ABC", "clientSecret", "s3cr3t-value"));
        assertThat(SettingsBinder.masked(raw, SettingDescriptor.describe(ExampleSettings.class)))
                .containsEntry("clientId", "ABC").containsEntry("clientSecret", Secret.MASK);
        assertThat(raw.toString()).doesNotContain("s3cr3t-value");
    }

    @Test
    void secretComparesInConstantTimeAndNeverPrints() {
        Secret secret = Secret.of("hook-key");
        assertThat(secret.matches("hook-key")).isTrue();
        assertThat(secret.matches("hook-kez")).isFalse();
        assertThat(secret.matches(null)).isFalse();
        assertThat(secret).hasToString(Secret.MASK);
    }

    record Unannotated(String value) {}

    @Test
    void settingsWithoutAnnotationAreRefused() {
        assertThatThrownBy(() -> SettingDescriptor.describe(Unannotated.class))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("@Setting");
    }
}
