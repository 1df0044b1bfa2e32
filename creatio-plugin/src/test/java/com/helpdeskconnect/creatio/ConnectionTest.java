package com.helpdeskconnect.creatio;

import static com.helpdeskconnect.creatio.Integrations.op;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.helpdeskconnect.api.HelpdeskConnection;
import com.helpdeskconnect.api.VerificationResult;
import com.helpdeskconnect.api.cases.Activity;
import com.helpdeskconnect.api.cases.CaseDraft;
import com.helpdeskconnect.api.cases.CaseRef;
import com.helpdeskconnect.api.cases.Customer;
import com.helpdeskconnect.api.cases.Direction;
import com.helpdeskconnect.api.cases.Visibility;
import com.helpdeskconnect.api.errors.ErrorKind;
import com.helpdeskconnect.api.errors.InvalidSettingsException;
import com.helpdeskconnect.api.net.OutboundPolicy;
import com.helpdeskconnect.sandbox.CreatioSandbox;
import com.helpdeskconnect.sandbox.model.StandardRows;
import com.helpdeskconnect.testkit.ContractOutboundPolicies;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.SocketFactory;
import org.junit.jupiter.api.Test;

/** A connection keeps to the host's outbound policy, and to the OData root its settings name. */
class ConnectionTest {

    private static CaseDraft draft() {
        return CaseDraft.of("conv-" + UUID.randomUUID(), "Connection test", "", Customer.anonymous());
    }

    @Test
    void everyNameIsResolvedThroughThePolicy() {
        try (CreatioSandbox sandbox = CreatioSandbox.builder().start()) {
            Map<String, Object> raw = Integrations.settingsFor(sandbox);
            raw.put("instanceUrl", "http://localhost:" + sandbox.port());
            raw.put("identityServerUrl", "http://localhost:" + sandbox.identityPort());
            Set<String> looked = ConcurrentHashMap.newKeySet();
            OutboundPolicy loopback = ContractOutboundPolicies.loopbackOnly();
            OutboundPolicy recording = new OutboundPolicy() {
                @Override
                public List<InetAddress> lookup(String hostname) throws UnknownHostException {
                    looked.add(hostname);
                    return loopback.lookup(hostname);
                }

                @Override
                public SocketFactory socketFactory() {
                    return loopback.socketFactory();
                }

                @Override
                public void checkUrl(URI url) {
                    loopback.checkUrl(url);
                }

                @Override
                public boolean permits(InetAddress address) {
                    return loopback.permits(address);
                }
            };
            CreatioConnector connector = new CreatioConnector();
            try (HelpdeskConnection connection = connector.open(Integrations.context(raw, recording))) {
                assertThat(connection.verify().ok()).isTrue();
                connection.createCase(op(), draft(), List.of());
            }
            assertThat(looked).containsExactly("localhost");
            connector.close();
        }
    }

    @Test
    void aRefusedAddressFailsEveryOperationAsAnInvalidSettingWithoutAnyRequest() {
        try (CreatioSandbox sandbox = CreatioSandbox.builder().start()) {
            CreatioConnector connector = new CreatioConnector();
            HelpdeskConnection connection = connector.open(Integrations.context(Integrations.settingsFor(sandbox),
                    ContractOutboundPolicies.denyAll()));
            assertThatThrownBy(() -> connection.createCase(op(), draft(), List.of()))
                    .isInstanceOfSatisfying(InvalidSettingsException.class,
                            e -> assertThat(e.fieldErrors()).containsKeys("instanceUrl", "identityServerUrl"));
            assertThat(sandbox.inspect().requests()).isEmpty();
            connector.close();
        }
    }

    @Test
    void aNameThatResolvesToARefusedAddressIsAnInvalidSetting() {
        try (CreatioSandbox sandbox = CreatioSandbox.builder().start()) {
            Map<String, Object> raw = Integrations.settingsFor(sandbox);
            // names pass checkUrl (it judges literal addresses only); the policy's DNS refuses them
            raw.put("instanceUrl", "http://localhost:" + sandbox.port());
            raw.put("identityServerUrl", "http://localhost:" + sandbox.identityPort());
            CreatioConnector connector = new CreatioConnector();
            HelpdeskConnection connection = connector.open(Integrations.context(raw, ContractOutboundPolicies.denyAll()));
            assertThatThrownBy(() -> connection.createCase(op(), draft(), List.of()))
                    .isInstanceOfSatisfying(InvalidSettingsException.class, e -> assertThat(e.fieldErrors())
                            .containsOnlyKeys("identityServerUrl")
                            .hasEntrySatisfying("identityServerUrl", m -> assertThat(m).contains("outbound policy")));
            VerificationResult verdict = connection.verify();
            assertThat(verdict.kind()).isEqualTo(ErrorKind.INVALID_SETTINGS);
            assertThat(verdict.field()).isEqualTo("identityServerUrl");
            assertThat(sandbox.inspect().requests()).isEmpty();
            connector.close();
        }
    }

    @Test
    void netCoreSitesAreReachedAtTheirODataPath() {
        try (CreatioSandbox sandbox = CreatioSandbox.builder().odataRoot("/odata").start()) {
            Map<String, Object> raw = Integrations.settingsFor(sandbox);
            raw.put("odataPath", "/odata");
            CreatioConnector connector = new CreatioConnector();
            try (HelpdeskConnection connection = connector.open(Integrations.context(raw))) {
                assertThat(connection.verify().ok()).isTrue();
                CaseRef ref = connection.createCase(op(), draft(), List.of(
                        new Activity("m1", Direction.CUSTOMER, "Ada", "Hello from .NET 8", Instant.now())));
                assertThat(ref.link().toString()).startsWith(sandbox.baseUrl() + "/Nui/ViewModule.aspx#CardModuleV2/CasePage/edit/");
                assertThat(sandbox.inspect().findCase(ref.id()).orElseThrow().activities()).hasSize(1);
            }
            assertThat(sandbox.inspect().requestCount("POST", "/odata/$batch")).isEqualTo(1);
            connector.close();
        }
    }

    @Test
    void frameworkSitesGetLinksUnderSlashZero() {
        try (CreatioSandbox sandbox = CreatioSandbox.builder().start()) {
            CreatioConnector connector = new CreatioConnector();
            CaseRef ref = Integrations.open(connector, sandbox).createCase(op(), draft(), List.of());
            assertThat(ref.link()).isEqualTo(URI.create(sandbox.baseUrl()
                    + "/0/Nui/ViewModule.aspx#CardModuleV2/CasePage/edit/" + ref.id()));
            connector.close();
        }
    }

    @Test
    void internalActivitiesAreTasksAndPublicOnesEmailsInOneBatch() {
        try (CreatioSandbox sandbox = CreatioSandbox.builder().start()) {
            CreatioConnector connector = new CreatioConnector();
            CreatioConnection connection = Integrations.open(connector, sandbox);
            CaseRef ref = connection.createCase(op(), draft(), List.of());
            int batches = sandbox.inspect().requestCount("POST", "/0/odata/$batch");
            connection.appendActivities(op(), ref, List.of(
                    new Activity("p1", Direction.AI, "", "Public answer", Instant.now()),
                    new Activity("i1", Direction.AI, "", "Internal remark", Instant.now(), Visibility.INTERNAL)));
            assertThat(sandbox.inspect().requestCount("POST", "/0/odata/$batch")).isEqualTo(batches + 1);
            Map<Object, Object> types = new java.util.HashMap<>();
            sandbox.inspect().findCase(ref.id()).orElseThrow().activities()
                    .forEach(a -> types.put(a.get("Body"), a.get("TypeId")));
            assertThat(types).containsEntry("Public answer", StandardRows.ACTIVITY_TYPE_EMAIL)
                    .containsEntry("Internal remark", StandardRows.ACTIVITY_TYPE_TASK);
            connector.close();
        }
    }
}
