package com.helpdeskconnect.creatio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.helpdeskconnect.api.Integration;
import com.helpdeskconnect.api.cases.Activity;
import com.helpdeskconnect.api.cases.CaseDraft;
import com.helpdeskconnect.api.cases.CaseRef;
import com.helpdeskconnect.api.cases.Customer;
import com.helpdeskconnect.api.cases.Direction;
import com.helpdeskconnect.api.cases.Resolution;
import com.helpdeskconnect.api.errors.PermanentException;
import com.helpdeskconnect.api.errors.WebhookAuthenticationException;
import com.helpdeskconnect.api.webhook.AgentReplied;
import com.helpdeskconnect.api.webhook.CaseReopened;
import com.helpdeskconnect.api.webhook.CaseResolved;
import com.helpdeskconnect.api.webhook.HelpdeskEvent;
import com.helpdeskconnect.api.webhook.WebhookRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Webhooks from the admin's business processes: authentication, echoes, and what agent changes mean. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookTest {
    private SandboxFixture fixture;
    private CreatioConnector connector;
    private Integration integration;

    @BeforeAll
    void start() {
        fixture = new SandboxFixture();
        connector = (CreatioConnector) fixture.connector();
        integration = new Integration("webhooks", Integrations.bind(fixture.validSettings().asMap()));
    }

    @AfterAll
    void stop() {
        fixture.close();
    }

    private CaseRef newCase() {
        return connector.createCase(integration, CaseDraft.of("conv-" + UUID.randomUUID(), "Webhook test", "",
                new Customer("Grace", "grace@example.com", null)));
    }

    private List<HelpdeskEvent> deliver(CaseRef ref) {
        List<HelpdeskEvent> events = new ArrayList<>();
        for (WebhookRequest request : fixture.takeWebhooks(ref)) {
            events.addAll(connector.onWebhook(integration, request));
        }
        return events;
    }

    private WebhookRequest call(String secret, String body) {
        return WebhookRequest.json(secret == null ? Map.of() : Map.of("X-Helpdesk-Connect-Secret", secret), body);
    }

    @Test
    void wrongOrMissingSecretIsRejectedBeforeAnyRead() {
        CaseRef ref = newCase();
        String body = "{\"event\":\"case_status_changed\",\"caseId\":\"" + ref.id() + "\",\"statusId\":\"x\"}";
        assertThatThrownBy(() -> connector.onWebhook(integration, call(null, body)))
                .isInstanceOf(WebhookAuthenticationException.class);
        assertThatThrownBy(() -> connector.onWebhook(integration, call("guess", body)))
                .isInstanceOf(WebhookAuthenticationException.class)
                .hasMessageNotContaining(fixture.webhookSecret);
    }

    @Test
    void integrationWithoutWebhookSecretRejectsEveryCall() {
        Integration noSecret = new Integration("no-secret",
                Integrations.bind(fixture.validSettings().with("webhookSecret", null).asMap()));
        assertThatThrownBy(() -> connector.onWebhook(noSecret, call("", "{}")))
                .isInstanceOf(WebhookAuthenticationException.class).hasMessageContaining("No webhook secret");
    }

    @Test
    void malformedPayloadsArePermanentErrors() {
        for (String body : List.of("not json", "[]", "{\"event\":\"activity_added\",\"caseId\":\"nope\"}",
                "{\"event\":\"something_else\",\"caseId\":\"" + UUID.randomUUID() + "\"}")) {
            assertThatThrownBy(() -> connector.onWebhook(integration, call(fixture.webhookSecret, body)))
                    .as(body).isInstanceOf(PermanentException.class);
        }
    }

    @Test
    void echoesOfOurMessagesAndResolveYieldNothing() {
        CaseRef ref = newCase();
        connector.appendActivity(integration, ref, new Activity("m1", Direction.CUSTOMER, "Grace", "Hi", Instant.now()));
        connector.appendActivity(integration, ref, new Activity("m2", Direction.AI, "", "Hello Grace", Instant.now()));
        connector.resolve(integration, ref, Resolution.of("Answered"));
        assertThat(deliver(ref)).isEmpty();
        assertThat(fixture.sandbox.webhooks().deliveries()).isNotEmpty();
    }

    @Test
    void agentReplyResolveAndReopenAreReported() {
        CaseRef ref = newCase();
        fixture.takeWebhooks(ref);
        fixture.sandbox.agent().reply(ref.id(), "We shipped it");
        List<HelpdeskEvent> reply = deliver(ref);
        assertThat(reply).singleElement().isInstanceOfSatisfying(AgentReplied.class, e -> {
            assertThat(e.text()).isEqualTo("We shipped it");
            assertThat(e.caseRef().number()).isNotEmpty();
        });
        fixture.sandbox.agent().resolve(ref.id(), "Shipped");
        assertThat(deliver(ref)).singleElement().isInstanceOfSatisfying(CaseResolved.class,
                e -> assertThat(e.solution()).isEqualTo("Shipped"));
        fixture.sandbox.agent().reopen(ref.id());
        assertThat(deliver(ref)).singleElement().isInstanceOf(CaseReopened.class);
    }

    @Test
    void customerPortalMessagesAreNotAgentReplies() {
        CaseRef ref = newCase();
        fixture.takeWebhooks(ref);
        fixture.sandbox.agent().portalMessage(ref.id(), "Any news?");
        assertThat(deliver(ref)).isEmpty();
    }
}
