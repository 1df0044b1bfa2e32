package com.helpdeskconnect.creatio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.helpdeskconnect.api.HelpdeskConnection;
import com.helpdeskconnect.api.VerificationResult;
import com.helpdeskconnect.api.errors.ConnectorException;
import com.helpdeskconnect.api.errors.ErrorKind;
import com.helpdeskconnect.api.errors.RateLimitedException;
import com.helpdeskconnect.api.errors.TransientException;
import com.helpdeskconnect.sandbox.CreatioSandbox;
import com.helpdeskconnect.sandbox.CreatioSandboxExtension;
import com.helpdeskconnect.sandbox.faults.FaultRule;
import com.helpdeskconnect.sandbox.identity.Operation;
import com.helpdeskconnect.sandbox.identity.RegisteredClient;
import com.helpdeskconnect.sandbox.model.StandardRows;
import com.helpdeskconnect.testkit.ContractOutboundPolicies;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * verify() answers what an admin must fix, in words, naming the setting, without secrets and
 * without writing; an outage is thrown as retryable ("try again"), never read as a verdict.
 */
class VerifyTest {
    @RegisterExtension
    CreatioSandboxExtension creatio = new CreatioSandboxExtension();
    private final CreatioConnector connector = new CreatioConnector();

    @AfterEach
    void close() {
        connector.close();
    }

    private VerificationResult verify(Map<String, Object> raw) {
        try (HelpdeskConnection connection = connector.open(Integrations.context(raw))) {
            return connection.verify();
        }
    }

    @Test
    void validSettingsPassAndWriteNothing(CreatioSandbox sandbox) {
        Map<String, Object> raw = Integrations.settingsFor(sandbox);
        raw.put("defaultCaseOwnerId", StandardRows.CONTACT_SUPERVISOR);
        raw.put("resolvedStatusId", StandardRows.STATUS_RESOLVED);
        raw.put("reopenStatusId", StandardRows.STATUS_IN_PROGRESS);
        assertThat(verify(raw).ok()).isTrue();
        assertThat(sandbox.inspect().cases()).isEmpty();
    }

    @Test
    void wrongSecretIsInvalidCredentials(CreatioSandbox sandbox) {
        Map<String, Object> raw = Integrations.settingsFor(sandbox);
        raw.put("clientSecret", "WRONG" + sandbox.clientSecret());
        VerificationResult result = verify(raw);
        assertThat(result.kind()).isEqualTo(ErrorKind.INVALID_CREDENTIALS);
        assertThat(result.message()).isEqualTo("Invalid credentials: check the Client ID and Client secret")
                .doesNotContain(sandbox.clientSecret());
        assertThat(result.field()).isEqualTo("clientSecret");
    }

    @Test
    void identityUrlPointingAtTheSiteIsNamedFromTheAnswersContentType(CreatioSandbox sandbox) {
        Map<String, Object> raw = Integrations.settingsFor(sandbox);
        raw.put("identityServerUrl", sandbox.baseUrl()); // the site answers the token request with its login page
        VerificationResult result = verify(raw);
        assertThat(result.kind()).isEqualTo(ErrorKind.INVALID_SETTINGS);
        assertThat(result.message()).startsWith("Identity service URL does not point at Creatio's identity service")
                .contains("a web page").contains("check the Identity service URL");
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
    void netCoreRootOnAFrameworkSiteNamesTheODataPath(CreatioSandbox sandbox) {
        Map<String, Object> raw = Integrations.settingsFor(sandbox);
        raw.put("odataPath", "/odata");
        VerificationResult result = verify(raw);
        assertThat(result.kind()).isEqualTo(ErrorKind.INVALID_SETTINGS);
        assertThat(result.field()).isEqualTo("odataPath");
        assertThat(result.message()).contains("has no OData service at /odata");
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
    void unknownOwnerGroupAndStatusesAreNamed(CreatioSandbox sandbox) {
        String missing = UUID.randomUUID().toString();
        for (String field : new String[] {"defaultCaseOwnerId", "defaultCaseGroupId", "resolvedStatusId", "reopenStatusId"}) {
            Map<String, Object> raw = Integrations.settingsFor(sandbox);
            raw.put(field, missing);
            VerificationResult result = verify(raw);
            assertThat(result.kind()).as(field).isEqualTo(ErrorKind.NOT_FOUND);
            assertThat(result.field()).isEqualTo(field);
            assertThat(result.message()).contains(missing).contains("was not found");
        }
    }

    @Test
    void aReopenStatusThatIsResolvedOrFinalIsRefused(CreatioSandbox sandbox) {
        for (String status : new String[] {StandardRows.STATUS_RESOLVED, StandardRows.STATUS_CLOSED}) {
            Map<String, Object> raw = Integrations.settingsFor(sandbox);
            raw.put("reopenStatusId", status);
            VerificationResult result = verify(raw);
            assertThat(result.kind()).isEqualTo(ErrorKind.INVALID_SETTINGS);
            assertThat(result.field()).isEqualTo("reopenStatusId");
            assertThat(result.message()).contains("neither resolved nor final");
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

    // ---- outages: "try again", never a verdict ---------------------------------------------------

    @Test
    void unavailableIdentityServiceIsThrownAsRetryable(CreatioSandbox sandbox) {
        sandbox.faults().add(FaultRule.on("POST", "/connect/token").status(503).times(10));
        assertThatThrownBy(() -> verify(Integrations.settingsFor(sandbox)))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.retryable()).isTrue());
    }

    @Test
    void refusedConnectionIsThrownAsRetryable(CreatioSandbox sandbox) throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Map<String, Object> raw = Integrations.settingsFor(sandbox);
        raw.put("identityServerUrl", "http://127.0.0.1:" + closedPort);
        assertThatThrownBy(() -> verify(raw)).isInstanceOf(TransientException.class)
                .hasMessageContaining("127.0.0.1:" + closedPort).hasMessageContaining("refused");
    }

    @Test
    void rateLimitedSiteIsThrownWithItsRetryAfter(CreatioSandbox sandbox) {
        sandbox.faults().add(FaultRule.on("GET", "/0/odata/CaseStatus").tooManyRequests(Duration.ofSeconds(30)).times(10));
        assertThatThrownBy(() -> verify(Integrations.settingsFor(sandbox)))
                .isInstanceOfSatisfying(RateLimitedException.class,
                        e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(30)));
    }

    @Test
    void createRightProbeThatMeetsAnOutageIsNotSuccess(CreatioSandbox sandbox) {
        sandbox.faults().add(FaultRule.on("POST", "/0/odata/Case").status(503).times(1));
        assertThatThrownBy(() -> verify(Integrations.settingsFor(sandbox)))
                .isInstanceOfSatisfying(ConnectorException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT));
    }

    @Test
    void siteThatStopsAnsweringIsThrownAsRetryable(CreatioSandbox sandbox) {
        sandbox.faults().add(FaultRule.on("GET", "/0/odata/CaseStatus")
                .latency(CreatioConnection.VERIFY_CALL_TIMEOUT.plusSeconds(1), Duration.ZERO).times(1));
        assertThatThrownBy(() -> verify(Integrations.settingsFor(sandbox)))
                .isInstanceOf(TransientException.class).hasMessageContaining("did not answer in time");
    }

    @Test
    void oneDroppedReadIsRetriedWithinTheBudget(CreatioSandbox sandbox) {
        sandbox.faults().add(FaultRule.on("POST", "/connect/token").status(502).times(1));
        sandbox.faults().add(FaultRule.on("GET", "/0/odata/CaseStatus").resetConnection().times(1));
        sandbox.faults().add(FaultRule.on("GET", "/0/odata/$metadata").status(503).times(2));
        assertThat(verify(Integrations.settingsFor(sandbox)).ok()).isTrue();
        assertThat(sandbox.inspect().requestCount("GET", "/0/odata/$metadata")).isEqualTo(3);
    }

    // ---- addresses the host may not reach, names that do not resolve ---------------------------

    @Test
    void urlTheOutboundPolicyRefusesIsAnInvalidSetting(CreatioSandbox sandbox) {
        Map<String, Object> raw = Integrations.settingsFor(sandbox);
        try (HelpdeskConnection connection = connector.open(Integrations.context(raw, ContractOutboundPolicies.denyAll()))) {
            VerificationResult result = connection.verify();
            assertThat(result.kind()).isEqualTo(ErrorKind.INVALID_SETTINGS);
            assertThat(result.field()).isIn("instanceUrl", "identityServerUrl");
            assertThat(result.message()).contains("outbound policy");
        }
        assertThat(sandbox.inspect().requests()).as("nothing reached Creatio").isEmpty();
    }

    @Test
    void hostNameThatDoesNotResolveIsNamed(CreatioSandbox sandbox) {
        Map<String, Object> raw = Integrations.settingsFor(sandbox);
        raw.put("identityServerUrl", "https://no-such-host.invalid");
        VerificationResult result = verify(raw);
        assertThat(result.kind()).isEqualTo(ErrorKind.INVALID_SETTINGS);
        assertThat(result.field()).isEqualTo("identityServerUrl");
        assertThat(result.message()).contains("does not resolve");
    }
}
