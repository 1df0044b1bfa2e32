package com.helpdeskconnect.testkit.reference;

import com.helpdeskconnect.api.cases.Direction;
import com.helpdeskconnect.api.webhook.WebhookRequest;
import com.helpdeskconnect.testkit.BackendActivity;
import com.helpdeskconnect.testkit.InjectedFailure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A toy helpdesk in memory: cases with activities and fields, webhooks on every change (echoes
 * included), injectable failures. Instances are found by name, as a real connector finds its
 * helpdesk by URL.
 */
final class InMemoryHelpdesk {
    static final Map<String, InMemoryHelpdesk> REGISTRY = new ConcurrentHashMap<>();
    static final String WEBHOOK_HEADER = "X-Webhook-Secret";
    static final String CONNECTOR_USER = "integration";

    /** A simulated network-level failure, raised where a real client would see one. */
    static final class Fault extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final InjectedFailure failure;

        Fault(InjectedFailure failure) {
            super(failure.name(), null, false, false);
            this.failure = failure;
        }
    }

    record StoredActivity(String id, String externalId, String text, Direction direction, String createdBy) {}

    static final class StoredCase {
        final String id = UUID.randomUUID().toString();
        final String number;
        final String subject;
        final String conversationId;
        final List<StoredActivity> activities = new ArrayList<>();
        final Map<String, String> fields = new LinkedHashMap<>();
        String status = "New";
        String statusChangedBy = "";

        StoredCase(String number, String subject, String conversationId) {
            this.number = number;
            this.subject = subject;
            this.conversationId = conversationId;
        }
    }

    final String apiKey;
    final String webhookSecret;
    private final Map<String, StoredCase> cases = new LinkedHashMap<>();
    private final Map<String, List<WebhookRequest>> webhooks = new LinkedHashMap<>();
    private final AtomicInteger numbers = new AtomicInteger();
    private InjectedFailure failure;
    private int failuresLeft;

    InMemoryHelpdesk(String apiKey, String webhookSecret) {
        this.apiKey = apiKey;
        this.webhookSecret = webhookSecret;
    }

    synchronized void inject(InjectedFailure failure, int count) {
        this.failure = failure;
        this.failuresLeft = count;
    }

    /** Every request of the connector passes here first, like a request over the network. */
    synchronized void request(String presentedKey) {
        if (failuresLeft > 0) {
            failuresLeft--;
            throw new Fault(failure);
        }
        if (!apiKey.equals(presentedKey)) {
            throw new SecurityException("unauthorised");
        }
    }

    synchronized StoredCase caseByConversation(String conversationId) {
        return cases.values().stream().filter(c -> c.conversationId.equals(conversationId)).findFirst().orElse(null);
    }

    synchronized StoredCase createCase(String subject, String conversationId) {
        StoredCase c = new StoredCase(String.format("CS%05d", numbers.incrementAndGet()), subject, conversationId);
        cases.put(c.id, c);
        return c;
    }

    synchronized StoredCase find(String caseId) {
        return cases.get(caseId);
    }

    synchronized StoredActivity addActivity(String caseId, String externalId, String text, Direction direction, String createdBy) {
        StoredCase c = cases.get(caseId);
        StoredActivity a = new StoredActivity(UUID.randomUUID().toString(), externalId, text, direction, createdBy);
        c.activities.add(a);
        emit(caseId, "{\"event\":\"activity\",\"caseId\":\"" + caseId + "\",\"recordId\":\"" + a.id + "\"}");
        return a;
    }

    synchronized void setStatus(String caseId, String status, String changedBy) {
        StoredCase c = cases.get(caseId);
        c.status = status;
        c.statusChangedBy = changedBy;
        emit(caseId, "{\"event\":\"status\",\"caseId\":\"" + caseId + "\",\"status\":\"" + status + "\",\"seq\":"
                + numbers.incrementAndGet() + "}");
    }

    synchronized StoredActivity activity(String caseId, String activityId) {
        return cases.get(caseId).activities.stream().filter(a -> a.id.equals(activityId)).findFirst().orElse(null);
    }

    synchronized int countWithSubject(String subject) {
        return (int) cases.values().stream().filter(c -> c.subject.equals(subject)).count();
    }

    synchronized List<BackendActivity> activities(String caseId) {
        return cases.get(caseId).activities.stream().map(a -> new BackendActivity(a.text, a.direction)).toList();
    }

    synchronized List<WebhookRequest> takeWebhooks(String caseId) {
        List<WebhookRequest> taken = webhooks.getOrDefault(caseId, List.of());
        webhooks.remove(caseId);
        return List.copyOf(taken);
    }

    private void emit(String caseId, String body) {
        webhooks.computeIfAbsent(caseId, k -> new ArrayList<>())
                .add(WebhookRequest.json(Map.of(WEBHOOK_HEADER, webhookSecret), body));
    }
}
