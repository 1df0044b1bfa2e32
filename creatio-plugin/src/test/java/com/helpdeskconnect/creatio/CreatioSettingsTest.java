package com.helpdeskconnect.creatio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.helpdeskconnect.api.errors.InvalidSettingsException;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CreatioSettingsTest {
    private static Map<String, Object> cloud(String instanceUrl) {
        Map<String, Object> raw = new HashMap<>();
        raw.put("instanceUrl", instanceUrl);
        raw.put("clientId", "0123456789ABCDEF0123456789ABCDEF");
        raw.put("clientSecret", "S".repeat(64));
        return raw;
    }

    @Test
    void pastedPagePathAndTrailingSlashAreNormalisedAway() {
        assertThat(Integrations.bind(cloud("https://Acme.creatio.com/0/Nui/ViewModule.aspx#SectionModuleV2/CaseSection"))
                .instanceUrl()).isEqualTo(URI.create("https://acme.creatio.com"));
        assertThat(Integrations.bind(cloud("https://acme.creatio.com/")).instanceUrl())
                .isEqualTo(URI.create("https://acme.creatio.com"));
        assertThat(Integrations.bind(cloud("https://acme.creatio.com/0/Shell/")).instanceUrl())
                .isEqualTo(URI.create("https://acme.creatio.com"));
    }

    @Test
    void identityServiceIsDerivedOnCreatioCloud() {
        assertThat(Integrations.bind(cloud("https://acme.creatio.com")).effectiveIdentityServerUrl())
                .isEqualTo(URI.create("https://acme-is.creatio.com"));
    }

    @Test
    void onSiteInstallsMustNameTheirIdentityService() {
        assertThatThrownBy(() -> Integrations.bind(cloud("https://crm.example.com")))
                .isInstanceOfSatisfying(InvalidSettingsException.class,
                        e -> assertThat(e.fieldErrors()).containsKey("identityServerUrl"));
        Map<String, Object> raw = cloud("https://crm.example.com");
        raw.put("identityServerUrl", "https://crm-is.example.com/connect/token");
        assertThat(Integrations.bind(raw).effectiveIdentityServerUrl()).isEqualTo(URI.create("https://crm-is.example.com"));
    }

    @Test
    void plainHttpIsOnlyForLoopback() {
        assertThatThrownBy(() -> Integrations.bind(cloud("http://acme.creatio.com")))
                .isInstanceOfSatisfying(InvalidSettingsException.class,
                        e -> assertThat(e.fieldErrors()).containsKey("instanceUrl"));
        Map<String, Object> local = cloud("http://127.0.0.1:8080/");
        local.put("identityServerUrl", "http://localhost:8081");
        assertThat(Integrations.bind(local).instanceUrl()).isEqualTo(URI.create("http://127.0.0.1:8080"));
    }

    @Test
    void requiredSettingsAndGuidFormatAreCheckedPerField() {
        Map<String, Object> raw = new HashMap<>();
        raw.put("defaultCaseOwnerId", "not-a-guid");
        raw.put("messageChannel", "pigeon");
        assertThatThrownBy(() -> Integrations.bind(raw))
                .isInstanceOfSatisfying(InvalidSettingsException.class, e -> assertThat(e.fieldErrors())
                        .containsKeys("instanceUrl", "clientId", "clientSecret", "defaultCaseOwnerId", "messageChannel")
                        .containsEntry("defaultCaseOwnerId", "must be a GUID like 00000000-0000-0000-0000-000000000000"));
    }

    @Test
    void secretsNeverPrint() {
        CreatioSettings settings = Integrations.bind(cloud("https://acme.creatio.com"));
        assertThat(settings.toString()).doesNotContain("S".repeat(64));
    }
}
