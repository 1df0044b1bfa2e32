package com.helpdeskconnect.testkit.reference;

import com.helpdeskconnect.api.HelpdeskConnector;
import com.helpdeskconnect.api.cases.CaseRef;
import com.helpdeskconnect.api.cases.Direction;
import com.helpdeskconnect.api.cases.FieldValues;
import com.helpdeskconnect.api.cases.Visibility;
import com.helpdeskconnect.api.settings.Settings;
import com.helpdeskconnect.api.webhook.WebhookRequest;
import com.helpdeskconnect.testkit.Assignment;
import com.helpdeskconnect.testkit.BackendActivity;
import com.helpdeskconnect.testkit.ConnectorFixture;
import com.helpdeskconnect.testkit.InjectedFailure;
import com.helpdeskconnect.testkit.WriteOperation;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Runs a connector against its own fresh {@link InMemoryHelpdesk}. */
class InMemoryFixture implements ConnectorFixture {
    private final String name = "helpdesk-" + UUID.randomUUID();
    private final String apiKey = "key-" + UUID.randomUUID();
    final InMemoryHelpdesk helpdesk = new InMemoryHelpdesk(apiKey, "hook-" + UUID.randomUUID());
    private final HelpdeskConnector connector;

    InMemoryFixture(HelpdeskConnector connector) {
        this.connector = connector;
        InMemoryHelpdesk.REGISTRY.put(name, helpdesk);
    }

    @Override
    public HelpdeskConnector connector() {
        return connector;
    }

    @Override
    public Settings validSettings() {
        return Settings.of(Map.of("url", "http://localhost:1/" + name, "apiKey", apiKey, "webhookSecret", helpdesk.webhookSecret));
    }

    @Override
    public Settings wrongCredentialSettings() {
        return validSettings().with("apiKey", "wrong-" + apiKey);
    }

    @Override
    public int countCasesWithSubject(String subject) {
        return helpdesk.countWithSubject(subject);
    }

    @Override
    public List<BackendActivity> activities(CaseRef caseRef) {
        return helpdesk.activities(caseRef.id());
    }

    @Override
    public boolean isResolved(CaseRef caseRef) {
        return helpdesk.find(caseRef.id()).resolved();
    }

    @Override
    public FieldValues validFieldValues() {
        return FieldValues.of(Map.of("priority", "High", "topic", "Shipping"));
    }

    @Override
    public FieldValues invalidFieldValues() {
        return FieldValues.of(Map.of("priority", "Urgentest"));
    }

    @Override
    public Optional<String> fieldValue(CaseRef caseRef, String field) {
        synchronized (helpdesk) {
            return Optional.ofNullable(helpdesk.find(caseRef.id()).fields.get(field));
        }
    }

    @Override
    public List<Assignment> validAssignments() {
        return List.of(new Assignment("agent-1", "group-1"), new Assignment("agent-2", "group-2"));
    }

    @Override
    public Assignment assignment(CaseRef caseRef) {
        synchronized (helpdesk) {
            InMemoryHelpdesk.StoredCase c = helpdesk.find(caseRef.id());
            return new Assignment(c.ownerId, c.groupId);
        }
    }

    @Override
    public Optional<String> validClosureCode() {
        return Optional.of("Workaround");
    }

    @Override
    public Optional<String> closureCode(CaseRef caseRef) {
        synchronized (helpdesk) {
            return Optional.ofNullable(helpdesk.find(caseRef.id()).closureCode);
        }
    }

    @Override
    public void agentReplies(CaseRef caseRef, String text) {
        helpdesk.addActivity(caseRef.id(), null, text, Direction.AGENT, Visibility.PUBLIC, "Agent Smith");
    }

    @Override
    public void agentAddsInternalNote(CaseRef caseRef, String text) {
        helpdesk.addActivity(caseRef.id(), null, text, Direction.AGENT, Visibility.INTERNAL, "Agent Smith");
    }

    @Override
    public void agentCloses(CaseRef caseRef) {
        helpdesk.setStatus(caseRef.id(), "Closed", "Agent Smith");
    }

    @Override
    public List<WebhookRequest> takeWebhooks(CaseRef caseRef) {
        return helpdesk.takeWebhooks(caseRef.id());
    }

    @Override
    public WebhookRequest resignedAt(WebhookRequest genuine, Instant sentAt) {
        return helpdesk.signed(genuine.body(), sentAt);
    }

    @Override
    public boolean webhookSignsBody() {
        return true;
    }

    @Override
    public Set<InjectedFailure> injectableFailures() {
        return EnumSet.allOf(InjectedFailure.class);
    }

    @Override
    public void injectFailure(InjectedFailure failure, int count) {
        helpdesk.inject(failure, count);
    }

    @Override
    public void loseNextAnswer(WriteOperation write) {
        helpdesk.loseNextAnswer(write);
    }

    @Override
    public void clearFailures() {
        helpdesk.inject(null, 0);
    }

    @Override
    public void close() {
        InMemoryHelpdesk.REGISTRY.remove(name);
    }
}
