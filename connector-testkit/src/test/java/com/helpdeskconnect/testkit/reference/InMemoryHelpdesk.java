package com.helpdeskconnect.testkit.reference;

import com.helpdeskconnect.api.cases.Direction;
import com.helpdeskconnect.api.cases.Visibility;
import com.helpdeskconnect.api.webhook.WebhookRequest;
import com.helpdeskconnect.testkit.BackendActivity;
import com.helpdeskconnect.testkit.InjectedFailure;
import com.helpdeskconnect.testkit.WriteOperation;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A toy helpdesk in memory: cases with activities (public or internal), fields, owner, group,
 * closure code and status history; signed webhooks on every change (echoes included); injectable
 * failures, including writes whose answer is lost. Instances are found by the path of the URL in the
 * settings, as a real connector finds its helpdesk by URL.
 */
final class InMemoryHelpdesk {
    static final Map<String, InMemoryHelpdesk> REGISTRY = new ConcurrentHashMap<>();
    static final String SIGNATURE_HEADER = "X-Signature";
    static final String TIMESTAMP_HEADER = "X-Signature-Timestamp";
    static final String CONNECTOR_USER = "integration";
    static final Set<String> AGENTS = Set.of("agent-1", "agent-2");
    static final Set<String> GROUPS = Set.of("group-1", "group-2");
    static final Set<String> CLOSURE_CODES = Set.of("Solved", "Workaround");

    /** A simulated network-level failure, raised where a real client would see one. */
    static final class Fault extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final InjectedFailure failure;

        Fault(InjectedFailure failure) {
            super(failure.name(), null, false, false);
            this.failure = failure;
        }
    }

    /** The helpdesk refuses changes to a closed case, as Zendesk does. */
    static final class ClosedCase extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ClosedCase() {
            super("closed", null, false, false);
        }
    }

    record StoredActivity(String id, String externalId, String text, Direction direction, Visibility visibility,
                          String createdBy) {}

    record StatusChange(int seq, String status, String changedBy) {}

    static final class StoredCase {
        final String id = UUID.randomUUID().toString();
        final String number;
        final String externalId;
        final String subject;
        final String customerEmail;
        final List<StoredActivity> activities = new ArrayList<>();
        final Map<String, String> fields = new LinkedHashMap<>();
        final List<StatusChange> statusChanges = new ArrayList<>();
        String status = "New";
        String ownerId;
        String groupId;
        String closureCode;
        String solution = "";

        StoredCase(String number, String externalId, String subject, String customerEmail) {
            this.number = number;
            this.externalId = externalId;
            this.subject = subject;
            this.customerEmail = customerEmail;
        }

        boolean closed() {
            return status.equals("Closed");
        }

        boolean resolved() {
            return status.equals("Resolved") || closed();
        }
    }

    final String apiKey;
    final String webhookSecret;
    private final Map<String, StoredCase> cases = new LinkedHashMap<>();
    private final Map<String, List<WebhookRequest>> webhooks = new LinkedHashMap<>();
    private final AtomicInteger numbers = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final Set<WriteOperation> loseAnswers = EnumSet.noneOf(WriteOperation.class);
    private InjectedFailure failure;
    private int failuresLeft;

    InMemoryHelpdesk(String apiKey, String webhookSecret) {
        this.apiKey = apiKey;
        this.webhookSecret = webhookSecret;
    }

    synchronized void inject(InjectedFailure failure, int count) {
        this.failure = failure;
        this.failuresLeft = count;
        if (failure == null) {
            loseAnswers.clear();
        }
    }

    synchronized void loseNextAnswer(WriteOperation operation) {
        loseAnswers.add(operation);
    }

    /** Every request of the connector passes here first, like a request over the network. */
    synchronized void request(String presentedKey) {
        requests.incrementAndGet();
        if (failuresLeft > 0) {
            failuresLeft--;
            throw new Fault(failure);
        }
        if (!apiKey.equals(presentedKey)) {
            throw new SecurityException("unauthorised");
        }
    }

    /** How many requests reached the helpdesk. */
    int requests() {
        return requests.get();
    }

    /** Carries out a write; when its answer was armed to be lost, the change stays and the caller sees a reset. */
    synchronized <T> T write(WriteOperation operation, Supplier<T> change) {
        T result = change.get();
        if (loseAnswers.remove(operation)) {
            throw new Fault(InjectedFailure.LOSE_ANSWER);
        }
        return result;
    }

    /** Opens a case unless one with the external id exists (the helpdesk keeps external ids unique). */
    synchronized StoredCase createCaseIfAbsent(String externalId, String subject, String customerEmail) {
        StoredCase existing = caseByExternalId(externalId);
        return existing != null ? existing : createCase(externalId, subject, customerEmail);
    }

    synchronized StoredCase caseByExternalId(String externalId) {
        return cases.values().stream().filter(c -> c.externalId.equals(externalId)).findFirst().orElse(null);
    }

    synchronized StoredCase createCase(String externalId, String subject, String customerEmail) {
        StoredCase c = new StoredCase(String.format("CS%05d", numbers.incrementAndGet()), externalId, subject, customerEmail);
        cases.put(c.id, c);
        return c;
    }

    synchronized StoredCase find(String caseId) {
        return cases.get(caseId);
    }

    synchronized StoredActivity addActivity(String caseId, String externalId, String text, Direction direction,
                                            Visibility visibility, String createdBy) {
        StoredCase c = cases.get(caseId);
        if (c.closed()) {
            throw new ClosedCase();
        }
        StoredActivity a = new StoredActivity(UUID.randomUUID().toString(), externalId, text, direction, visibility, createdBy);
        c.activities.add(a);
        emit(caseId, "{\"event\":\"activity\",\"caseId\":\"" + caseId + "\",\"recordId\":\"" + a.id + "\"}");
        return a;
    }

    synchronized void setStatus(String caseId, String status, String changedBy) {
        StoredCase c = cases.get(caseId);
        if (c.closed()) {
            throw new ClosedCase();
        }
        c.status = status;
        int seq = numbers.incrementAndGet();
        c.statusChanges.add(new StatusChange(seq, status, changedBy));
        emit(caseId, "{\"event\":\"status\",\"caseId\":\"" + caseId + "\",\"status\":\"" + status + "\",\"seq\":" + seq + "}");
    }

    synchronized StoredActivity activity(String caseId, String activityId) {
        return cases.get(caseId).activities.stream().filter(a -> a.id.equals(activityId)).findFirst().orElse(null);
    }

    synchronized StatusChange statusChange(String caseId, int seq) {
        return cases.get(caseId).statusChanges.stream().filter(s -> s.seq == seq).findFirst().orElse(null);
    }

    synchronized int countWithSubject(String subject) {
        return (int) cases.values().stream().filter(c -> c.subject.equals(subject)).count();
    }

    synchronized List<BackendActivity> activities(String caseId) {
        return cases.get(caseId).activities.stream().map(a -> new BackendActivity(a.text, a.direction, a.visibility)).toList();
    }

    synchronized List<WebhookRequest> takeWebhooks(String caseId) {
        List<WebhookRequest> taken = webhooks.getOrDefault(caseId, List.of());
        webhooks.remove(caseId);
        return List.copyOf(taken);
    }

    /** The call as the helpdesk sends it at {@code at}: HMAC-SHA256 over the epoch second, a dot and the body. */
    WebhookRequest signed(byte[] body, Instant at) {
        String timestamp = Long.toString(at.getEpochSecond());
        Map<String, List<String>> headers = Map.of("Content-Type", List.of("application/json"),
                TIMESTAMP_HEADER, List.of(timestamp), SIGNATURE_HEADER, List.of(signature(webhookSecret, timestamp, body)));
        return new WebhookRequest(headers, Map.of(), body, at);
    }

    static String signature(String secret, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private void emit(String caseId, String body) {
        webhooks.computeIfAbsent(caseId, k -> new ArrayList<>())
                .add(signed(body.getBytes(StandardCharsets.UTF_8), Instant.now()));
    }
}
