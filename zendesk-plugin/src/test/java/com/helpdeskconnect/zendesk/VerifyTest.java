package com.helpdeskconnect.zendesk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.helpdeskconnect.api.VerificationResult;
import com.helpdeskconnect.api.errors.ConnectorException;
import com.helpdeskconnect.api.errors.ErrorKind;
import com.helpdeskconnect.api.errors.RateLimitedException;
import com.helpdeskconnect.api.net.OutboundPolicy;
import com.helpdeskconnect.api.state.ConnectorState;
import com.helpdeskconnect.testkit.ContractOutboundPolicies;
import com.helpdeskconnect.zendesk.sandbox.ZendeskSandbox;
import com.helpdeskconnect.zendesk.sandbox.ZendeskSandboxExtension;
import com.helpdeskconnect.zendesk.sandbox.faults.FaultRule;
import com.helpdeskconnect.zendesk.sandbox.model.SeedData;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.net.SocketFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** verify names the setting to fix, writes nothing, and throws only when "try again" is the answer. */
class VerifyTest {
    @RegisterExtension
    static ZendeskSandboxExtension zendesk = new ZendeskSandboxExtension();

    private static final ZendeskConnector CONNECTOR = new ZendeskConnector();

    @BeforeEach
    void reset() {
        zendesk.reset();
    }

    @AfterAll
    static void close() {
        CONNECTOR.close();
    }

    @Test
    void validSettingsPassWithOneReadPerThingToCheck(ZendeskSandbox sandbox) {
        Map<String, Object> raw = Integrations.settingsFor(sandbox);
        assertThat(verify(raw).ok()).isTrue();
        assertThat(sandbox.inspect().requestCounts()).containsOnlyKeys("GET /api/v2/users/me");

        raw.put("defaultGroupId", SeedData.GROUP_SUPPORT);
        raw.put("defaultAssigneeId", SeedData.USER_ALICE);
        raw.put("fieldMap", Map.of("sentiment", "sentiment", "order", Long.toString(SeedData.FIELD_ORDER_NUMBER),
                "urgency", "Priority"));
        assertThat(verify(raw).ok()).isTrue();
        assertThat(sandbox.inspect().tickets()).isEmpty();
        assertThat(sandbox.inspect().requests()).allMatch(r -> r.method().equals("GET"));
    }

    @Test
    void aWrongTokenNamesTheToken(ZendeskSandbox sandbox) {
        Map<String, Object> raw = Integrations.settingsFor(sandbox);
        raw.put("apiToken", "not-the-token-" + UUID.randomUUID());
        VerificationResult result = verify(raw);
        assertThat(result.kind()).isEqualTo(ErrorKind.INVALID_CREDENTIALS);
        assertThat(result.field()).isEqualTo("apiToken");
        assertThat(result.message()).doesNotContain((String) raw.get("apiToken"));
    }

    @Test
    void anEndUsersTokenNamesTheEmail(ZendeskSandbox sandbox) {
        Map<String, Object> raw = Integrations.settingsFor(sandbox);
        raw.put("email", sandbox.restrictedEmail());
        raw.put("apiToken", sandbox.restrictedApiToken());
        VerificationResult result = verify(raw);
        assertThat(result.kind()).isEqualTo(ErrorKind.PERMISSION_DENIED);
        assertThat(result.field()).isEqualTo("email");
    }

    @Test
    void anUnknownGroupOrAssigneeNamesItsSetting(ZendeskSandbox sandbox) {
        Map<String, Object> raw = Integrations.settingsFor(sandbox);
        raw.put("defaultGroupId", 999);
        assertThat(verify(raw).field()).isEqualTo("defaultGroupId");

        raw.remove("defaultGroupId");
        raw.put("defaultAssigneeId", 999);
        assertThat(verify(raw).field()).isEqualTo("defaultAssigneeId");
        raw.put("defaultAssigneeId", SeedData.USER_CUSTOMER);
        VerificationResult endUser = verify(raw);
        assertThat(endUser.field()).isEqualTo("defaultAssigneeId");
        assertThat(endUser.kind()).isEqualTo(ErrorKind.NOT_FOUND);
    }

    @Test
    void aFieldMapEntryWithoutAnActiveFieldNamesTheFieldMap(ZendeskSandbox sandbox) {
        Map<String, Object> raw = Integrations.settingsFor(sandbox);
        raw.put("fieldMap", Map.of("mood", "Mood"));
        VerificationResult unknown = verify(raw);
        assertThat(unknown.field()).isEqualTo("fieldMap");
        assertThat(unknown.message()).contains("mood").contains("Mood");

        raw.put("fieldMap", Map.of("legacy", "Legacy code"));
        assertThat(verify(raw).message()).contains("inactive");
        raw.put("fieldMap", Map.of("status", "Status"));
        assertThat(verify(raw).message()).contains("cannot be filled");
    }

    @Test
    void aUrlThatIsNoZendeskNamesTheUrl() throws IOException {
        HttpServer site = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        site.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("Location", "https://www.zendesk.com/");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        site.start();
        try {
            Map<String, Object> raw = Integrations.settingsFor(zendesk.sandbox());
            raw.put("instanceUrl", "http://127.0.0.1:" + site.getAddress().getPort());
            VerificationResult result = verify(raw);
            assertThat(result.kind()).isEqualTo(ErrorKind.INVALID_SETTINGS);
            assertThat(result.field()).isEqualTo("instanceUrl");
            assertThat(result.message()).contains("subdomain");
        } finally {
            site.stop(0);
        }
    }

    @Test
    void aSubdomainThatDoesNotResolveNamesTheUrl(ZendeskSandbox sandbox) {
        OutboundPolicy noDns = new OutboundPolicy() {
            @Override
            public List<InetAddress> lookup(String hostname) throws UnknownHostException {
                throw new UnknownHostException(hostname);
            }

            @Override
            public SocketFactory socketFactory() {
                return SocketFactory.getDefault();
            }

            @Override
            public void checkUrl(URI url) {
                // permitted
            }

            @Override
            public boolean permits(InetAddress address) {
                return true;
            }
        };
        Map<String, Object> raw = Integrations.settingsFor(sandbox);
        raw.put("instanceUrl", "no-such-account");
        VerificationResult result = CONNECTOR.open(new Integrations.Context("it-dns", Integrations.bind(raw),
                ConnectorState.inMemory(), noDns)).verify();
        assertThat(result.field()).isEqualTo("instanceUrl");
        assertThat(result.message()).contains("https://no-such-account.zendesk.com").contains("does not resolve");
    }

    @Test
    void theOutboundPolicyKeepsTheConnectionFromADeniedAddress(ZendeskSandbox sandbox) {
        Map<String, Object> raw = Integrations.settingsFor(sandbox);
        VerificationResult result = CONNECTOR.open(new Integrations.Context("it-denied", Integrations.bind(raw),
                ConnectorState.inMemory(), ContractOutboundPolicies.denyAll())).verify();
        assertThat(result.kind()).isEqualTo(ErrorKind.INVALID_SETTINGS);
        assertThat(result.field()).isEqualTo("instanceUrl");
        assertThat(sandbox.inspect().totalRequests()).isZero();
    }

    @Test
    void anOutageOrARateLimitMeansTryAgain(ZendeskSandbox sandbox) {
        Map<String, Object> raw = Integrations.settingsFor(sandbox);
        sandbox.faults().add(FaultRule.on("GET", "/api/v2/users").status(503).times(1));
        ConnectorException down = catchThrowableOfType(ConnectorException.class, () -> verify(raw));
        assertThat(down.retryable()).isTrue();

        sandbox.faults().add(FaultRule.on("GET", "/api/v2/users").tooManyRequests(Duration.ofSeconds(30)).times(1));
        RateLimitedException limited = catchThrowableOfType(RateLimitedException.class, () -> verify(raw));
        assertThat(limited.retryAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(verify(raw).ok()).isTrue();
    }

    private static VerificationResult verify(Map<String, Object> raw) {
        return Integrations.open(CONNECTOR, Integrations.context(raw)).verify();
    }
}
