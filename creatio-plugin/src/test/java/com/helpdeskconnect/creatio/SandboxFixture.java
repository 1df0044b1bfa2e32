package com.helpdeskconnect.creatio;

import com.helpdeskconnect.api.HelpdeskConnector;
import com.helpdeskconnect.api.cases.CaseRef;
import com.helpdeskconnect.api.cases.Direction;
import com.helpdeskconnect.api.cases.FieldValues;
import com.helpdeskconnect.api.settings.Settings;
import com.helpdeskconnect.api.webhook.WebhookRequest;
import com.helpdeskconnect.sandbox.CreatioSandbox;
import com.helpdeskconnect.sandbox.faults.FaultRule;
import com.helpdeskconnect.testkit.BackendActivity;
import com.helpdeskconnect.testkit.ConnectorFixture;
import com.helpdeskconnect.testkit.InjectedFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** The Creatio connector against a sandbox on random ports, with a webhook receiver. */
class SandboxFixture implements ConnectorFixture {
    static final String STATUS_CLOSED = "3e7f420c-f46b-1410-fc9a-0050ba5d6c38";
    static final String MESSAGE_INCOMING = "7f9d1f86-f36b-1410-068c-20cf30b39373";

    final CreatioSandbox sandbox;
    final WebhookReceiver receiver;
    final String webhookSecret = "whs-" + UUID.randomUUID();
    private final CreatioConnector connector = new CreatioConnector();

    SandboxFixture() {
        try {
            receiver = new WebhookReceiver();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        sandbox = CreatioSandbox.builder().webhook(receiver.url(), webhookSecret).start();
        sandbox.webhooks().retries(1, Duration.ofMillis(10));
    }

    @Override
    public HelpdeskConnector connector() {
        return connector;
    }

    @Override
    public Settings validSettings() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("instanceUrl", sandbox.baseUrl() + "/0/Nui/ViewModule.aspx#SectionModuleV2/CaseSection");
        settings.put("identityServerUrl", sandbox.identityUrl());
        settings.put("clientId", sandbox.clientId());
        settings.put("clientSecret", sandbox.clientSecret());
        settings.put("webhookSecret", webhookSecret);
        return Settings.of(settings);
    }

    @Override
    public Settings wrongCredentialSettings() {
        return validSettings().with("clientSecret", "wrong-" + sandbox.clientSecret());
    }

    @Override
    public Set<String> otherSecrets() {
        return Set.of(webhookSecret);
    }

    @Override
    public int countCasesWithSubject(String subject) {
        return (int) sandbox.inspect().cases().stream().filter(c -> subject.equals(c.subject())).count();
    }

    @Override
    public List<BackendActivity> activities(CaseRef caseRef) {
        return sandbox.inspect().findCase(caseRef.id()).orElseThrow().activities().stream()
                .sorted(java.util.Comparator.comparing(a -> String.valueOf(a.get("StartDate"))))
                .map(a -> new BackendActivity(String.valueOf(a.get("Body")),
                        MESSAGE_INCOMING.equalsIgnoreCase(String.valueOf(a.get("MessageTypeId"))) ? Direction.CUSTOMER : Direction.AI))
                .toList();
    }

    @Override
    public boolean isResolved(CaseRef caseRef) {
        String status = sandbox.inspect().findCase(caseRef.id()).orElseThrow().statusId();
        return sandbox.inspect().find("CaseStatus", status)
                .map(s -> Boolean.TRUE.equals(s.get("IsResolved")) || Boolean.TRUE.equals(s.get("IsFinal"))).orElse(false);
    }

    @Override
    public FieldValues validFieldValues() {
        return FieldValues.of(Map.of("priority", "High", "category", "Service request"));
    }

    @Override
    public FieldValues invalidFieldValues() {
        return FieldValues.of(Map.of("priority", "Urgentest"));
    }

    @Override
    public Optional<String> fieldValue(CaseRef caseRef, String field) {
        Map<String, Object> row = sandbox.inspect().findCase(caseRef.id()).orElseThrow().fields();
        String lookup = switch (field) {
            case "priority" -> "CasePriority";
            case "category" -> "CaseCategory";
            default -> null;
        };
        if (lookup == null) {
            return Optional.ofNullable(row.get(field)).map(String::valueOf);
        }
        String id = String.valueOf(row.get(lookup.substring(4) + "Id"));
        return sandbox.inspect().find(lookup, id).map(r -> String.valueOf(r.get("Name")));
    }

    @Override
    public void agentReplies(CaseRef caseRef, String text) {
        sandbox.agent().reply(caseRef.id(), text);
    }

    @Override
    public void agentCloses(CaseRef caseRef) {
        sandbox.agent().changeStatus(caseRef.id(), STATUS_CLOSED);
    }

    @Override
    public List<WebhookRequest> takeWebhooks(CaseRef caseRef) {
        try {
            sandbox.webhooks().awaitIdle(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return receiver.take(caseRef.id());
    }

    @Override
    public boolean injectFailure(InjectedFailure failure, int count) {
        FaultRule.Target odata = FaultRule.on("*", "/0/odata");
        sandbox.faults().add(switch (failure) {
            case SERVER_ERROR -> odata.status(500).times(count);
            case RATE_LIMITED -> odata.tooManyRequests(Duration.ofSeconds(2)).times(count);
            case CONNECTION_RESET -> odata.resetConnection().times(count);
        });
        return true;
    }

    @Override
    public void clearFailures() {
        sandbox.faults().clear();
    }

    @Override
    public void close() {
        connector.close();
        sandbox.close();
        receiver.close();
    }
}
