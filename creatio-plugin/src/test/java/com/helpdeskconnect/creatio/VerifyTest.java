package com.helpdeskconnect.creatio;

import static org.assertj.core.api.Assertions.assertThat;

import com.helpdeskconnect.api.VerificationResult;
import com.helpdeskconnect.api.errors.ErrorKind;
import com.helpdeskconnect.sandbox.CreatioSandbox;
import com.helpdeskconnect.sandbox.CreatioSandboxExtension;
import com.helpdeskconnect.sandbox.identity.Operation;
import com.helpdeskconnect.sandbox.identity.RegisteredClient;
import java.net.ServerSocket;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** verify() answers what an admin must fix, in words, without secrets and without writing. */
class VerifyTest {
    @RegisterExtension
    CreatioSandboxExtension creatio = new CreatioSandboxExtension();
    private final CreatioConnector connector = new CreatioConnector();

    @AfterEach
    void close() {
        connector.close();
    }

    private VerificationResult verify(Map<String, Object> raw) {
        return connector.verify(Integrations.of(raw));
    }

    @Test
    void validSettingsPassAndWriteNothing(CreatioSandbox sandbox) {
        Map<String, Object> raw = Integrations.settingsFor(sandbox);
        raw.put("defaultCaseOwnerId", "410006e1-ca4e-4502-a9ec-e54d922d2c00");
        raw.put("resolvedStatusId", "ae7f411e-f46b-1410-009b-0050ba5d6c38");
        assertThat(verify(raw).ok()).isTrue();
        assertThat(sandbox.inspect().cases()).isEmpty();
    }

    @Test
    void wrongSecretIsInvalidCredentials(CreatioSandbox sandbox) {
        Map<String, Object> raw = Integrations.settingsFor(sandbox);
        raw.put("clientSecret", "WRONG" + sandbox.clientSecret());
        VerificationResult result = verify(raw);
        assertThat(result.kind()).isEqualTo(ErrorKind.INVALID_CREDENTIALS);
        assertThat(result.message()).startsWith("Invalid credentials").doesNotContain(sandbox.clientSecret());
        assertThat(result.field()).isEqualTo("clientSecret");
    }

    @Test
    void identityUrlPointingAtTheSiteIsNamed(CreatioSandbox sandbox) {
        Map<String, Object> raw = Integrations.settingsFor(sandbox);
        raw.put("identityServerUrl", sandbox.baseUrl());
        VerificationResult result = verify(raw);
        assertThat(result.kind()).isEqualTo(ErrorKind.INVALID_CREDENTIALS);
        assertThat(result.message()).contains("Identity service URL");
        assertThat(result.field()).isEqualTo("identityServerUrl");
    }

    @Test
    void unreachableIdentityServiceIsTransientAndNamed(CreatioSandbox sandbox) throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Map<String, Object> raw = Integrations.settingsFor(sandbox);
        raw.put("identityServerUrl", "http://127.0.0.1:" + closedPort);
        VerificationResult result = verify(raw);
        assertThat(result.kind()).isEqualTo(ErrorKind.TRANSIENT);
        assertThat(result.field()).isEqualTo("identityServerUrl");
    }

    @Test
    void instanceUrlThatIsNotTheSiteIsNamed(CreatioSandbox sandbox) {
        Map<String, Object> raw = Integrations.settingsFor(sandbox);
        raw.put("instanceUrl", sandbox.identityUrl());
        VerificationResult result = verify(raw);
        assertThat(result.ok()).isFalse();
        assertThat(result.message()).contains("Instance URL should point at your Creatio site");
        assertThat(result.field()).isEqualTo("instanceUrl");
    }

    @Test
    void missingRightToCreateCasesIsNamed(CreatioSandbox sandbox) {
        RegisteredClient limited = RegisteredClient.generate().deny("Case", Operation.CREATE);
        sandbox.registerClient(limited);
        Map<String, Object> raw = Integrations.settingsFor(sandbox);
        raw.put("clientId", limited.clientId());
        raw.put("clientSecret", limited.clientSecret());
        VerificationResult result = verify(raw);
        assertThat(result.kind()).isEqualTo(ErrorKind.PERMISSION_DENIED);
        assertThat(result.message()).contains("missing permission to create Case records");
    }

    @Test
    void unknownOwnerGroupAndStatusAreNamed(CreatioSandbox sandbox) {
        String missing = UUID.randomUUID().toString();
        for (String field : new String[] {"defaultCaseOwnerId", "defaultCaseGroupId", "resolvedStatusId"}) {
            Map<String, Object> raw = Integrations.settingsFor(sandbox);
            raw.put(field, missing);
            VerificationResult result = verify(raw);
            assertThat(result.kind()).as(field).isEqualTo(ErrorKind.NOT_FOUND);
            assertThat(result.field()).isEqualTo(field);
            assertThat(result.message()).contains(missing).contains("was not found");
        }
    }

    @Test
    void fieldMapToMissingColumnIsNamed(CreatioSandbox sandbox) {
        Map<String, Object> raw = Integrations.settingsFor(sandbox);
        raw.put("fieldMap", Map.of("sentiment", "UsrNoSuchColumn"));
        VerificationResult result = verify(raw);
        assertThat(result.kind()).isEqualTo(ErrorKind.INVALID_SETTINGS);
        assertThat(result.field()).isEqualTo("fieldMap");
        assertThat(result.message()).contains("UsrNoSuchColumn");
    }
}
