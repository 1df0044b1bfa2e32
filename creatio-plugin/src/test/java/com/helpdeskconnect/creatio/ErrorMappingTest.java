package com.helpdeskconnect.creatio;

import static com.helpdeskconnect.creatio.Integrations.op;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.helpdeskconnect.api.HelpdeskConnection;
import com.helpdeskconnect.api.cases.Activity;
import com.helpdeskconnect.api.cases.CaseDraft;
import com.helpdeskconnect.api.cases.CaseRef;
import com.helpdeskconnect.api.cases.Customer;
import com.helpdeskconnect.api.cases.Direction;
import com.helpdeskconnect.api.cases.Resolution;
import com.helpdeskconnect.api.errors.ConnectorException;
import com.helpdeskconnect.api.errors.NotFoundException;
import com.helpdeskconnect.api.errors.PermanentException;
import com.helpdeskconnect.api.errors.PermissionDeniedException;
import com.helpdeskconnect.api.errors.RateLimitedException;
import com.helpdeskconnect.api.errors.TransientException;
import com.helpdeskconnect.creatio.odata.ODataClient;
import com.helpdeskconnect.sandbox.CreatioSandbox;
import com.helpdeskconnect.sandbox.CreatioSandboxExtension;
import com.helpdeskconnect.sandbox.faults.FaultRule;
import com.helpdeskconnect.sandbox.identity.Operation;
import com.helpdeskconnect.sandbox.identity.RegisteredClient;
import com.helpdeskconnect.testkit.ContractIntegrationContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every way Creatio can fail reaches the host as the SPI error kind it acts on. */
class ErrorMappingTest {
    @RegisterExtension
    CreatioSandboxExtension creatio = new CreatioSandboxExtension();

    private static CaseDraft draft(String subject) {
        return CaseDraft.of("conv-" + UUID.randomUUID(), subject, "", Customer.anonymous());
    }

    private static Activity message(String id) {
        return new Activity(id, Direction.CUSTOMER, "Ada", "Hello", Instant.now());
    }

    @Test
    void serverErrorsAndResetsAreTransient(CreatioSandbox sandbox) {
        CreatioConnector connector = new CreatioConnector();
        CreatioConnection connection = Integrations.open(connector, sandbox);
        connection.verify();
        sandbox.faults().add(FaultRule.on("POST", "/0/odata/Case").status(502).times(10));
        assertThatThrownBy(() -> connection.createCase(op(), draft("5xx"), List.of()))
                .isInstanceOf(TransientException.class).hasMessageContaining("502");
        sandbox.faults().clear();
        sandbox.faults().add(FaultRule.on("POST", "/0/odata/Case").resetConnection().times(10));
        assertThatThrownBy(() -> connection.createCase(op(), draft("reset"), List.of()))
                .isInstanceOf(TransientException.class);
        connector.close();
    }

    @Test
    void tooManyRequestsCarriesRetryAfter(CreatioSandbox sandbox) {
        CreatioConnector connector = new CreatioConnector();
        CreatioConnection connection = Integrations.open(connector, sandbox);
        sandbox.faults().add(FaultRule.on("*", "/0/odata").tooManyRequests(Duration.ofSeconds(7)).times(10));
        assertThatThrownBy(() -> connection.createCase(op(), draft("429"), List.of()))
                .isInstanceOfSatisfying(RateLimitedException.class,
                        e -> assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(7)));
        connector.close();
    }

    @Test
    void forbiddenIsPermissionDenied(CreatioSandbox sandbox) {
        RegisteredClient limited = RegisteredClient.generate().deny("Activity", Operation.CREATE);
        sandbox.registerClient(limited);
        Map<String, Object> raw = Integrations.settingsFor(sandbox);
        raw.put("clientId", limited.clientId());
        raw.put("clientSecret", limited.clientSecret());
        CreatioConnector connector = new CreatioConnector();
        CreatioConnection connection = Integrations.open(connector, raw);
        CaseRef ref = connection.createCase(op(), draft("403"), List.of());
        assertThatThrownBy(() -> connection.appendActivity(op(), ref, message("m-403")))
                .isInstanceOf(PermissionDeniedException.class).hasMessageContaining("permission");
        connector.close();
    }

    @Test
    void missingRecordIsNotFound(CreatioSandbox sandbox) {
        CreatioConnector connector = new CreatioConnector();
        CreatioConnection connection = Integrations.open(connector, sandbox);
        CaseRef missing = new CaseRef(UUID.randomUUID().toString(), "SR404", null);
        assertThatThrownBy(() -> connection.resolve(op(), missing, Resolution.of("x")))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> connection.resolve(op(), new CaseRef("../Contact", "", null), Resolution.of("x")))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("not a Creatio record id");
        connector.close();
    }

    @Test
    void badRequestIsPermanentWithCreatioText(CreatioSandbox sandbox) {
        CreatioConnector connector = new CreatioConnector();
        ODataClient odata = Integrations.open(connector, sandbox).odata();
        assertThatThrownBy(() -> odata.post("Case", new ObjectMapper().createObjectNode().put("NoSuchColumn", 1)))
                .isInstanceOf(PermanentException.class).hasMessageContaining("NoSuchColumn");
        connector.close();
    }

    @Test
    void timedOutCreateFindsTheCaseItCreatedInsteadOfOpeningAnother(CreatioSandbox sandbox) {
        CreatioConnector connector = new CreatioConnector(Clock.systemUTC(), Duration.ofMillis(500));
        CreatioConnection connection = Integrations.open(connector, sandbox);
        connection.verify();
        String subject = "Unknown outcome " + UUID.randomUUID();
        CaseDraft draft = draft(subject);
        // Creatio stores the case, but its answer never arrives in time.
        sandbox.faults().add(FaultRule.on("POST", "/0/odata/Case").slowBody(8, Duration.ofMillis(400)).times(1));
        CaseRef first = connection.createCase(op(draft.conversationId()), draft, List.of()); // recovered by reading the case back
        CaseRef retried = connection.createCase(op(draft.conversationId()).retry(), draft, List.of());
        assertThat(retried).isEqualTo(first);
        assertThat(sandbox.inspect().cases().stream().filter(c -> subject.equals(c.subject()))).hasSize(1);
        assertThat(retried.number()).startsWith("SR");
        assertThat(sandbox.inspect().requestCount("GET", "/0/odata/Case({id})")).as("read back after the timeout").isPositive();
        connector.close();
    }

    @Test
    void aRestartedConnectorFindsTheSameCaseAndActivity(CreatioSandbox sandbox) {
        ContractIntegrationContext integration = Integrations.context(Integrations.settingsFor(sandbox));
        CaseDraft draft = draft("Restart " + UUID.randomUUID());
        CreatioConnector first = new CreatioConnector();
        HelpdeskConnection before = first.open(integration);
        CaseRef ref = before.createCase(op(draft.conversationId()), draft, List.of());
        before.appendActivity(op(), ref, message("m-restart"));
        before.close();
        first.close();
        CreatioConnector second = new CreatioConnector();
        HelpdeskConnection after = second.open(integration);
        assertThat(after.createCase(op(draft.conversationId()), draft, List.of())).isEqualTo(ref);
        after.appendActivity(op(), ref, message("m-restart"));
        assertThat(sandbox.inspect().findCase(ref.id()).orElseThrow().activities()).hasSize(1);
        after.close();
        second.close();
    }

    @Test
    void appendingToADeletedCaseIsNotFoundNotAnOutage(CreatioSandbox sandbox) {
        CreatioConnector connector = new CreatioConnector();
        CreatioConnection connection = Integrations.open(connector, sandbox);
        CaseRef gone = new CaseRef(UUID.randomUUID().toString(), "SR404", null);
        assertThatThrownBy(() -> connection.appendActivity(op(), gone, message("m-gone")))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("no longer exists");
        assertThatThrownBy(() -> connection.appendActivity(op(), gone,
                new Activity("m-gone-ai", Direction.AI, "", "Hello", Instant.now())))
                .isInstanceOf(NotFoundException.class);
        connector.close();
    }

    @Test
    void noRawExceptionEscapes(CreatioSandbox sandbox) {
        CreatioConnector connector = new CreatioConnector();
        CreatioConnection connection = Integrations.open(connector, sandbox);
        sandbox.faults().add(FaultRule.on("*", "/0/odata").slowBody(1, Duration.ofMillis(1)).times(3));
        try {
            connection.createCase(op(), draft("slow"), List.of());
        } catch (RuntimeException e) {
            assertThat(e).isInstanceOf(ConnectorException.class);
        }
        connector.close();
    }
}
