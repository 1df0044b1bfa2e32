package com.helpdeskconnect.zendesk;

import static com.helpdeskconnect.zendesk.Integrations.op;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.helpdeskconnect.api.cases.Activity;
import com.helpdeskconnect.api.cases.CaseDraft;
import com.helpdeskconnect.api.cases.CaseRef;
import com.helpdeskconnect.api.cases.Customer;
import com.helpdeskconnect.api.cases.Direction;
import com.helpdeskconnect.api.errors.ConnectorException;
import com.helpdeskconnect.api.errors.ErrorKind;
import com.helpdeskconnect.api.errors.RateLimitedException;
import com.helpdeskconnect.zendesk.sandbox.ZendeskSandbox;
import com.helpdeskconnect.zendesk.sandbox.ZendeskSandboxExtension;
import com.helpdeskconnect.zendesk.sandbox.faults.FaultRule;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Zendesk's answers as SPI errors, with Zendesk's own words and never a secret. */
class ErrorMappingTest {
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
    void aRevokedTokenIsInvalidCredentials(ZendeskSandbox sandbox) {
        Map<String, Object> raw = Integrations.settingsFor(sandbox);
        raw.put("apiToken", "revoked-token-" + UUID.randomUUID());
        ConnectorException e = fail(() -> create(Integrations.open(CONNECTOR, Integrations.context(raw))));
        assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_CREDENTIALS);
        assertThat(e.getMessage()).contains("Couldn't authenticate you").contains("API token")
                .doesNotContain((String) raw.get("apiToken"));
    }

    @Test
    void anEndUsersTokenIsPermissionDeniedWithZendesksWords(ZendeskSandbox sandbox) {
        Map<String, Object> raw = Integrations.settingsFor(sandbox);
        raw.put("email", sandbox.restrictedEmail());
        raw.put("apiToken", sandbox.restrictedApiToken());
        ConnectorException e = fail(() -> create(Integrations.open(CONNECTOR, Integrations.context(raw))));
        assertThat(e.kind()).isEqualTo(ErrorKind.PERMISSION_DENIED);
        assertThat(e.getMessage()).contains("You do not have access to this page");
    }

    @Test
    void anUnknownTicketIsNotFound(ZendeskSandbox sandbox) {
        ZendeskConnection connection = Integrations.open(CONNECTOR, sandbox);
        ConnectorException e = fail(() -> connection.appendActivity(op(connection, "conv-x", "m1"),
                new CaseRef("424242", "424242", null), message()));
        assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(e.getMessage()).contains("PUT /api/v2/tickets/424242").contains("RecordNotFound");
        ConnectorException notAnId = fail(() -> connection.appendActivity(op(connection, "conv-x", "m1"),
                new CaseRef("SR00042", "", null), message()));
        assertThat(notAnId.kind()).isEqualTo(ErrorKind.NOT_FOUND);
    }

    @Test
    void aRefusedValueIsPermanentWithZendesksText(ZendeskSandbox sandbox) {
        ZendeskConnection connection = Integrations.open(CONNECTOR, sandbox);
        String conversation = "conv-" + UUID.randomUUID();
        ConnectorException e = fail(() -> connection.createCase(op(connection, conversation, "m1"),
                new CaseDraft(conversation, "Help", "", Customer.anonymous(), "chat", null, "999", null), List.of()));
        assertThat(e.kind()).isEqualTo(ErrorKind.PERMANENT);
        assertThat(e.getMessage()).contains("422").contains("Group: is invalid");
    }

    @Test
    void rateLimitsCarryZendesksDelayAndOutagesAreTransient(ZendeskSandbox sandbox) {
        ZendeskConnection connection = Integrations.open(CONNECTOR, sandbox);
        CaseRef ref = create(connection);
        sandbox.limits().accountPerMinute(0);
        try {
            RateLimitedException limited = catchThrowableOfType(RateLimitedException.class,
                    () -> connection.appendActivity(op(connection, "c", "m2"), ref, message()));
            assertThat(limited.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(1));
            assertThat(limited.getMessage()).contains("Number of allowed API requests per minute exceeded");
        } finally {
            sandbox.limits().accountPerMinute(700);
        }
        sandbox.faults().add(FaultRule.on("*", "/api/v2").status(500).times(1));
        assertThat(fail(() -> connection.appendActivity(op(connection, "c", "m3"), ref, message())).kind())
                .isEqualTo(ErrorKind.TRANSIENT);
        sandbox.faults().add(FaultRule.on("*", "/api/v2").status(503).times(1));
        assertThat(fail(() -> connection.appendActivity(op(connection, "c", "m4"), ref, message())).kind())
                .isEqualTo(ErrorKind.TRANSIENT);
        sandbox.faults().add(FaultRule.on("*", "/api/v2").resetConnection().times(1));
        assertThat(fail(() -> connection.appendActivity(op(connection, "c", "m5"), ref, message())).kind())
                .isEqualTo(ErrorKind.TRANSIENT);
    }

    @Test
    void aSilentZendeskIsATimeout(ZendeskSandbox sandbox) {
        ZendeskConnector impatient = new ZendeskConnector(Clock.systemUTC(), Duration.ofMillis(300), 30);
        try {
            ZendeskConnection connection = Integrations.open(impatient, sandbox);
            sandbox.faults().add(FaultRule.on("*", "/api/v2").latency(Duration.ofSeconds(2), Duration.ZERO).times(1));
            ConnectorException e = fail(() -> create(connection));
            assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);
            assertThat(e.getMessage()).contains("did not answer in time");
        } finally {
            impatient.close();
        }
    }

    private static ConnectorException fail(Supplier<?> call) {
        ConnectorException e = catchThrowableOfType(ConnectorException.class, call::get);
        assertThat(e).as("a ConnectorException").isNotNull();
        return e;
    }

    private static CaseRef create(ZendeskConnection connection) {
        String conversation = "conv-" + UUID.randomUUID();
        return connection.createCase(op(connection, conversation, "m1"),
                CaseDraft.of(conversation, "Help", "", Customer.anonymous()), List.of(message()));
    }

    private static Activity message() {
        return new Activity("m-" + UUID.randomUUID(), Direction.CUSTOMER, "", "Hello", Instant.now());
    }
}
