package com.helpdeskconnect.creatio;

import com.helpdeskconnect.api.HelpdeskConnector;
import com.helpdeskconnect.api.cases.CaseRef;
import com.helpdeskconnect.api.cases.Direction;
import com.helpdeskconnect.api.cases.FieldValues;
import com.helpdeskconnect.api.cases.Visibility;
import com.helpdeskconnect.api.settings.Settings;
import com.helpdeskconnect.api.webhook.WebhookRequest;
import com.helpdeskconnect.sandbox.CreatioSandbox;
import com.helpdeskconnect.sandbox.faults.FaultRule;
import com.helpdeskconnect.sandbox.model.Guids;
import com.helpdeskconnect.sandbox.model.StandardRows;
import com.helpdeskconnect.testkit.Assignment;
import com.helpdeskconnect.testkit.BackendActivity;
import com.helpdeskconnect.testkit.ConnectorFixture;
import com.helpdeskconnect.testkit.InjectedFailure;
import com.helpdeskconnect.testkit.WriteOperation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** The Creatio connector against a sandbox on random ports, with a webhook receiver. */
class SandboxFixture implements ConnectorFixture {
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
        // the admin widened process 1 to Tasks, so agents' internal notes are passed on too
        sandbox.webhooks().retries(1, Duration.ofMillis(10)).taskActivities(true);
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
    public int countCasesWithSubject(String subject) {
        return (int) sandbox.inspect().cases().stream().filter(c -> subject.equals(c.subject())).count();
    }

    /** Email activities are the case's correspondence (public); Task activities agents' notes (internal). */
    @Override
    public List<BackendActivity> activities(CaseRef caseRef) {
        return sandbox.inspect().findCase(caseRef.id()).orElseThrow().activities().stream()
                .sorted(Comparator.comparing(a -> String.valueOf(a.get("StartDate"))))
                .map(SandboxFixture::backendActivity)
                .toList();
    }

    private static BackendActivity backendActivity(Map<String, Object> row) {
        String text = String.valueOf(row.get("Body"));
        boolean task = StandardRows.ACTIVITY_TYPE_TASK.equalsIgnoreCase(String.valueOf(row.get("TypeId")));
        Direction direction;
        if (StandardRows.CONTACT_AGENT.equalsIgnoreCase(String.valueOf(row.get("CreatedById")))) {
            direction = Direction.AGENT;
        } else if (task) {
            direction = Direction.SYSTEM;
        } else if (StandardRows.MESSAGE_TYPE_INCOMING.equalsIgnoreCase(String.valueOf(row.get("MessageTypeId")))) {
            direction = Direction.CUSTOMER;
        } else {
            direction = Direction.AI;
        }
        return new BackendActivity(text, direction, task ? Visibility.INTERNAL : Visibility.PUBLIC);
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

    /** Owners are contacts, groups SysAdminUnit rows (a functional role, a user's unit). */
    @Override
    public List<Assignment> validAssignments() {
        return List.of(new Assignment(StandardRows.CONTACT_AGENT, StandardRows.SYS_ADMIN_UNIT_SUPPORT_GROUP),
                new Assignment(StandardRows.CONTACT_SUPERVISOR, StandardRows.SYS_ADMIN_UNIT_AGENT_USER));
    }

    @Override
    public Assignment assignment(CaseRef caseRef) {
        Map<String, Object> row = sandbox.inspect().findCase(caseRef.id()).orElseThrow().fields();
        return new Assignment(idOrNull(row.get("OwnerId")), idOrNull(row.get("GroupId")));
    }

    private static String idOrNull(Object id) {
        return id == null || Guids.isEmpty(id) ? null : String.valueOf(id);
    }

    @Override
    public Optional<String> validClosureCode() {
        return Optional.of("Resolved with workaround");
    }

    @Override
    public Optional<String> closureCode(CaseRef caseRef) {
        Object id = sandbox.inspect().findCase(caseRef.id()).orElseThrow().fields().get("ClosureCodeId");
        if (id == null || Guids.isEmpty(id)) {
            return Optional.empty();
        }
        return sandbox.inspect().find("ClosureCode", String.valueOf(id)).map(r -> String.valueOf(r.get("Name")));
    }

    @Override
    public void agentReplies(CaseRef caseRef, String text) {
        sandbox.agent().reply(caseRef.id(), text);
    }

    @Override
    public void agentAddsInternalNote(CaseRef caseRef, String text) {
        sandbox.agent().note(caseRef.id(), text);
    }

    @Override
    public void agentCloses(CaseRef caseRef) {
        sandbox.agent().changeStatus(caseRef.id(), StandardRows.STATUS_CLOSED);
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
    public Set<InjectedFailure> injectableFailures() {
        return Set.of(InjectedFailure.SERVER_ERROR, InjectedFailure.RATE_LIMITED, InjectedFailure.CONNECTION_RESET,
                InjectedFailure.LOSE_ANSWER);
    }

    @Override
    public void injectFailure(InjectedFailure failure, int count) {
        FaultRule.Target odata = FaultRule.on("*", "/0/odata");
        sandbox.faults().add(switch (failure) {
            case SERVER_ERROR -> odata.status(500).times(count);
            case RATE_LIMITED -> odata.tooManyRequests(Duration.ofSeconds(2)).times(count);
            case CONNECTION_RESET -> odata.resetConnection().times(count);
            case LOSE_ANSWER -> throw new IllegalArgumentException("LOSE_ANSWER is armed with loseNextAnswer");
        });
    }

    /**
     * Creates and appends are POSTs (a single insert or the $batch carrying it), as is the handoff's
     * $batch; resolve and fillFields are PATCHes of the case. Reads (a contact search) pass untouched.
     */
    @Override
    public void loseNextAnswer(WriteOperation write) {
        String method = switch (write) {
            case CREATE_CASE, APPEND_ACTIVITY, HAND_OFF -> "POST";
            case RESOLVE, FILL_FIELDS -> "PATCH";
        };
        sandbox.faults().add(FaultRule.on(method, "/0/odata").loseAnswer().times(1));
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
