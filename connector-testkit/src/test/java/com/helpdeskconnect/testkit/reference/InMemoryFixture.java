package com.helpdeskconnect.testkit.reference;

import com.helpdeskconnect.api.HelpdeskConnector;
import com.helpdeskconnect.api.cases.CaseRef;
import com.helpdeskconnect.api.cases.Direction;
import com.helpdeskconnect.api.cases.FieldValues;
import com.helpdeskconnect.api.settings.Settings;
import com.helpdeskconnect.api.webhook.WebhookRequest;
import com.helpdeskconnect.testkit.BackendActivity;
import com.helpdeskconnect.testkit.ConnectorFixture;
import com.helpdeskconnect.testkit.InjectedFailure;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Runs a connector against its own fresh {@link InMemoryHelpdesk}. */
final class InMemoryFixture implements ConnectorFixture {
    private final String name = "helpdesk-" + UUID.randomUUID();
    private final String apiKey = "key-" + UUID.randomUUID();
    private final InMemoryHelpdesk helpdesk = new InMemoryHelpdesk(apiKey, "hook-" + UUID.randomUUID());
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
        return Settings.of(Map.of("helpdesk", name, "apiKey", apiKey, "webhookSecret", helpdesk.webhookSecret));
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
        return helpdesk.find(caseRef.id()).status.equals("Resolved");
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
        return Optional.ofNullable(helpdesk.find(caseRef.id()).fields.get(field));
    }

    @Override
    public void agentReplies(CaseRef caseRef, String text) {
        helpdesk.addActivity(caseRef.id(), null, text, Direction.AGENT, "Agent Smith");
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
    public boolean injectFailure(InjectedFailure failure, int count) {
        helpdesk.inject(failure, count);
        return true;
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
