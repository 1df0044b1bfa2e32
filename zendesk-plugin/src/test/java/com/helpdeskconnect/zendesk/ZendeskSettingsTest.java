package com.helpdeskconnect.zendesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.helpdeskconnect.api.errors.InvalidSettingsException;
import com.helpdeskconnect.api.settings.SettingDescriptor;
import com.helpdeskconnect.api.settings.SettingType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ZendeskSettingsTest {

    @ParameterizedTest
    @CsvSource({
            "acme, https://acme.zendesk.com",
            "  ACME , https://acme.zendesk.com",
            "acme.zendesk.com, https://acme.zendesk.com",
            "https://acme.zendesk.com/, https://acme.zendesk.com",
            "https://acme.zendesk.com/agent/tickets/5?x=1#top, https://acme.zendesk.com",
            "HTTPS://Support.Example.COM:8443/hc/en-us, https://support.example.com:8443",
            "http://127.0.0.1:41234/agent/dashboard, http://127.0.0.1:41234",
            "http://localhost:8080, http://localhost:8080"})
    void theInstanceUrlIsNormalised(String given, String expected) {
        assertThat(bind(Map.of("instanceUrl", given)).instanceUrl()).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://acme.zendesk.com", "ftp://acme.zendesk.com", "https://", "acme zendesk", "http://8.8.8.8"})
    void anInstanceUrlThatIsNoZendeskOverHttpsIsRefused(String given) {
        InvalidSettingsException e = catchThrowableOfType(InvalidSettingsException.class,
                () -> bind(Map.of("instanceUrl", given)));
        assertThat(e.fieldErrors()).containsKey("instanceUrl");
        assertThat(e.fieldErrors().get("instanceUrl")).contains("https://acme.zendesk.com");
    }

    @Test
    void requiredSettingsAreReportedTogether() {
        InvalidSettingsException e = catchThrowableOfType(InvalidSettingsException.class,
                () -> Integrations.bind(Map.of()));
        assertThat(e.fieldErrors()).containsOnlyKeys("instanceUrl", "email", "apiToken");
    }

    @Test
    void theSettingNamesAreTheContract() {
        List<SettingDescriptor> form = new ZendeskConnector().describe().settings();
        assertThat(form).extracting(SettingDescriptor::name).containsExactly("instanceUrl", "email", "apiToken",
                "defaultGroupId", "defaultAssigneeId", "webhookSigningSecret", "fieldMap", "solvedStatus",
                "publicChatMessages", "anonymousRequesterEmail");
        SettingDescriptor token = form.get(2);
        assertThat(token.secret()).isTrue();
        assertThat(token.boundTo()).containsExactly("instanceUrl", "email");
        SettingDescriptor signing = form.get(5);
        assertThat(signing.secret()).isTrue();
        assertThat(signing.generated()).as("Zendesk makes the signing secret, not the host").isFalse();
        assertThat(signing.boundTo()).containsExactly("instanceUrl");
        assertThat(form.get(3).type()).isEqualTo(SettingType.INTEGER);
        assertThat(form.get(6).type()).isEqualTo(SettingType.MAP);
        assertThat(form.get(7).options()).containsExactly("SOLVED", "PENDING");
    }

    @Test
    void defaultsAndSecretsStayOutOfText() {
        ZendeskSettings settings = bind(Map.of());
        assertThat(settings.solvedStatus()).isEqualTo(ZendeskSettings.SolvedStatus.SOLVED);
        assertThat(settings.publicChatMessages()).isFalse();
        assertThat(settings.anonymousRequesterEmail()).isEqualTo(ZendeskSettings.DEFAULT_ANONYMOUS_EMAIL);
        assertThat(settings.fieldMap()).isEmpty();
        assertThat(settings.toString()).doesNotContain("token-value-123456");
    }

    @Test
    void idsMustBePositiveNumbers() {
        InvalidSettingsException e = catchThrowableOfType(InvalidSettingsException.class,
                () -> bind(Map.of("defaultGroupId", "Support", "defaultAssigneeId", -4)));
        assertThat(e.fieldErrors()).containsOnlyKeys("defaultGroupId", "defaultAssigneeId");
    }

    private static ZendeskSettings bind(Map<String, Object> overrides) {
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("instanceUrl", "acme");
        raw.put("email", "bot@acme.example");
        raw.put("apiToken", "token-value-123456");
        raw.putAll(overrides);
        return Integrations.bind(raw);
    }
}
