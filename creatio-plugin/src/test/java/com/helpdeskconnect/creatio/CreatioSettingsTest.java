package com.helpdeskconnect.creatio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.helpdeskconnect.api.errors.InvalidSettingsException;
import com.helpdeskconnect.api.settings.SettingDescriptor;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
    void odataPathDefaultsToTheFrameworkRootAndTakesTheNetCoreOne() {
        CreatioSettings cloud = Integrations.bind(cloud("https://acme.creatio.com"));
        assertThat(cloud.odataPath()).isEqualTo("/0/odata");
        assertThat(cloud.odataRoot()).isEqualTo(URI.create("https://acme.creatio.com/0/odata"));
        assertThat(cloud.appPrefix()).isEqualTo("/0");

        Map<String, Object> core = cloud("https://acme.creatio.com");
        core.put("odataPath", "odata/");
        CreatioSettings netCore = Integrations.bind(core);
        assertThat(netCore.odataRoot()).isEqualTo(URI.create("https://acme.creatio.com/odata"));
        assertThat(netCore.appPrefix()).isEmpty();

        core.put("odataPath", "/../odata?x=1");
        assertThatThrownBy(() -> Integrations.bind(core)).isInstanceOfSatisfying(InvalidSettingsException.class,
                e -> assertThat(e.fieldErrors()).containsEntry("odataPath", "must be a path such as /0/odata or /odata"));
    }

    @Test
    void reopenStatusDefaultsToCreatiosReopened() {
        assertThat(Integrations.bind(cloud("https://acme.creatio.com")).reopenStatusId())
                .isEqualTo(UUID.fromString("f063ebbe-fdc6-4982-8431-d8cfa52fedcf"));
    }

    @Test
    void theFormDeclaresAGeneratedWebhookSecretAndBindsTheClientSecretToItsUrlsAndClient() {
        List<SettingDescriptor> form = new CreatioConnector().describe().settings();
        SettingDescriptor webhookSecret = form.stream().filter(s -> s.name().equals("webhookSecret")).findFirst().orElseThrow();
        SettingDescriptor clientSecret = form.stream().filter(s -> s.name().equals("clientSecret")).findFirst().orElseThrow();
        assertThat(webhookSecret.generated()).isTrue();
        assertThat(clientSecret.generated()).isFalse();
        assertThat(clientSecret.boundTo()).containsExactly("instanceUrl", "identityServerUrl", "clientId");
        assertThat(form).extracting(SettingDescriptor::name).doesNotContain("createCaseOnlyOnHandoff")
                .contains("odataPath", "reopenStatusId");
    }

    @Test
    void createCaseOnlyOnHandoffIsNoLongerAConnectorSetting() {
        Map<String, Object> raw = cloud("https://acme.creatio.com");
        raw.put("createCaseOnlyOnHandoff", true);
        assertThatThrownBy(() -> Integrations.bind(raw)).isInstanceOfSatisfying(InvalidSettingsException.class,
                e -> assertThat(e.fieldErrors()).containsKey("createCaseOnlyOnHandoff"));
    }

    @Test
    void secretsNeverPrint() {
        CreatioSettings settings = Integrations.bind(cloud("https://acme.creatio.com"));
        assertThat(settings.toString()).doesNotContain("S".repeat(64));
    }
}
