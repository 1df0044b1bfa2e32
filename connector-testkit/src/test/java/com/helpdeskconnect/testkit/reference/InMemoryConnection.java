package com.helpdeskconnect.testkit.reference;

import com.helpdeskconnect.api.Capability;
import com.helpdeskconnect.api.HelpdeskConnection;
import com.helpdeskconnect.api.IntegrationContext;
import com.helpdeskconnect.api.OperationContext;
import com.helpdeskconnect.api.VerificationResult;
import com.helpdeskconnect.api.cases.Activity;
import com.helpdeskconnect.api.cases.CaseDraft;
import com.helpdeskconnect.api.cases.CaseRef;
import com.helpdeskconnect.api.cases.Direction;
import com.helpdeskconnect.api.cases.FieldDescriptor;
import com.helpdeskconnect.api.cases.FieldType;
import com.helpdeskconnect.api.cases.FieldValues;
import com.helpdeskconnect.api.cases.FillResult;
import com.helpdeskconnect.api.cases.Handoff;
import com.helpdeskconnect.api.cases.HandoffResult;
import com.helpdeskconnect.api.cases.Resolution;
import com.helpdeskconnect.api.cases.Visibility;
import com.helpdeskconnect.api.errors.ConflictException;
import com.helpdeskconnect.api.errors.ErrorKind;
import com.helpdeskconnect.api.errors.InvalidCredentialsException;
import com.helpdeskconnect.api.errors.InvalidSettingsException;
import com.helpdeskconnect.api.errors.NotFoundException;
import com.helpdeskconnect.api.errors.PermanentException;
import com.helpdeskconnect.api.errors.RateLimitedException;
import com.helpdeskconnect.api.errors.TransientException;
import com.helpdeskconnect.api.errors.WebhookAuthenticationException;
import com.helpdeskconnect.api.net.OutboundDeniedException;
import com.helpdeskconnect.api.webhook.AgentReplied;
import com.helpdeskconnect.api.webhook.CaseClosed;
import com.helpdeskconnect.api.webhook.CaseReopened;
import com.helpdeskconnect.api.webhook.CaseResolved;
import com.helpdeskconnect.api.webhook.HelpdeskEvent;
import com.helpdeskconnect.api.webhook.WebhookRequest;
import com.helpdeskconnect.testkit.WriteOperation;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One integration's connection to an {@link InMemoryHelpdesk}: the reference behaviour for every rule of the SPI. */
class InMemoryConnection implements HelpdeskConnection {
    private static final Logger LOG = LoggerFactory.getLogger(InMemoryConnection.class);
    static final List<String> PRIORITIES = List.of("Low", "Medium", "High");
    static final Duration REPLAY_WINDOW = Duration.ofMinutes(5);

    protected final IntegrationContext context;
    protected final InMemorySettings settings;
    private final Set<Capability> capabilities;

    InMemoryConnection(IntegrationContext context, Set<Capability> capabilities) {
        this.context = context;
        this.settings = context.settings(InMemorySettings.class);
        this.capabilities = capabilities;
        try {
            context.outbound().checkUrl(settings.url());
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingsException(Map.of("url", e.getMessage()));
        }
    }

    @Override
    public VerificationResult verify() {
        try {
            helpdesk();
            LOG.info("Verified integration {}", context.integrationId());
            return VerificationResult.success();
        } catch (InvalidCredentialsException e) {
            return VerificationResult.failure(ErrorKind.INVALID_CREDENTIALS, "Invalid credentials: check the API key", "apiKey");
        } catch (InvalidSettingsException | NotFoundException e) {
            return VerificationResult.failure(e.kind(), e.getMessage(), "url");
        }
    }

    @Override
    public CaseRef createCase(OperationContext operation, CaseDraft draft, List<Activity> firstActivities) {
        InMemoryHelpdesk helpdesk = helpdesk();
        boolean assign = capabilities.contains(Capability.ASSIGN);
        if (assign) {
            checkAssignment(draft.ownerId(), draft.groupId());
        }
        InMemoryHelpdesk.StoredCase c = guarded(() -> helpdesk.write(WriteOperation.CREATE_CASE, () -> {
            InMemoryHelpdesk.StoredCase created = openCase(helpdesk, draft);
            if (assign && created.ownerId == null && created.groupId == null) {
                assignAtCreation(created, draft.ownerId(), draft.groupId());
            }
            return created;
        }));
        if (!firstActivities.isEmpty()) {
            guarded(() -> helpdesk.write(WriteOperation.APPEND_ACTIVITY, () -> addMissing(helpdesk, c, firstActivities)));
        }
        return ref(c);
    }

    /** Opens the conversation's case, or finds it: the helpdesk keeps the conversation id as a unique external id. */
    protected InMemoryHelpdesk.StoredCase openCase(InMemoryHelpdesk helpdesk, CaseDraft draft) {
        return helpdesk.createCaseIfAbsent(draft.conversationId(), draft.subject(), draft.customer().email());
    }

    @Override
    public CaseRef appendActivity(OperationContext operation, CaseRef caseRef, Activity activity) {
        return appendActivities(operation, caseRef, List.of(activity));
    }

    /** Writes the messages in one request, reopening a resolved case or opening a follow-up to a closed one. */
    @Override
    public CaseRef appendActivities(OperationContext operation, CaseRef caseRef, List<Activity> activities) {
        require(Capability.APPEND_ACTIVITY, "appendActivities");
        InMemoryHelpdesk helpdesk = helpdesk();
        return guarded(() -> helpdesk.write(WriteOperation.APPEND_ACTIVITY, () -> {
            InMemoryHelpdesk.StoredCase target = existing(helpdesk, caseRef);
            while (target.closed()) {
                target = followUp(helpdesk, target);
            }
            boolean customerSpeaks = activities.stream().anyMatch(a -> a.direction() == Direction.CUSTOMER);
            if (target.resolved() && customerSpeaks) {
                reopen(helpdesk, target);
            }
            addMissing(helpdesk, target, activities);
            return ref(target);
        }));
    }

    /** The helpdesk takes nothing on a closed case: a follow-up case, found again by its external id on a retry. */
    protected InMemoryHelpdesk.StoredCase followUp(InMemoryHelpdesk helpdesk, InMemoryHelpdesk.StoredCase closed) {
        return helpdesk.createCaseIfAbsent("followup:" + closed.id, "Follow-up to " + closed.number + ": " + closed.subject,
                closed.customerEmail);
    }

    /** A customer wrote on a resolved case: agents must see it again. */
    protected void reopen(InMemoryHelpdesk helpdesk, InMemoryHelpdesk.StoredCase c) {
        helpdesk.setStatus(c.id, "Reopened", InMemoryHelpdesk.CONNECTOR_USER);
    }

    @Override
    public FillResult handOff(OperationContext operation, CaseRef caseRef, Handoff handoff) {
        require(Capability.HANDOFF, "handOff");
        InMemoryHelpdesk helpdesk = helpdesk();
        boolean assign = capabilities.contains(Capability.ASSIGN);
        if (assign) {
            checkAssignment(handoff.ownerId(), handoff.groupId());
        }
        guarded(() -> helpdesk.write(WriteOperation.HAND_OFF, () -> {
            InMemoryHelpdesk.StoredCase c = existing(helpdesk, caseRef);
            addMissing(helpdesk, c, List.of(handoff.summary()));
            if (assign) {
                assignAtHandoff(c, handoff.ownerId(), handoff.groupId());
            }
            return null;
        }));
        if (handoff.fields().isEmpty() || !capabilities.contains(Capability.FILL_FIELDS)) {
            return HelpdeskConnection.nothingFilled();
        }
        return fillFields(operation, caseRef, handoff.fields());
    }

    /** The messages, the summary and the assignment in one request (as a batch endpoint would), then the fields. */
    @Override
    public HandoffResult appendAndHandOff(OperationContext operation, CaseRef caseRef, List<Activity> activities,
                                          Handoff handoff) {
        require(Capability.HANDOFF, "appendAndHandOff");
        if (!activities.isEmpty()) {
            require(Capability.APPEND_ACTIVITY, "appendAndHandOff");
        }
        InMemoryHelpdesk helpdesk = helpdesk();
        boolean assign = capabilities.contains(Capability.ASSIGN);
        if (assign) {
            checkAssignment(handoff.ownerId(), handoff.groupId());
        }
        InMemoryHelpdesk.StoredCase landed = guarded(() -> helpdesk.write(WriteOperation.HAND_OFF, () -> {
            InMemoryHelpdesk.StoredCase target = existing(helpdesk, caseRef);
            if (!activities.isEmpty()) {
                while (target.closed()) {
                    target = followUp(helpdesk, target);
                }
                if (target.resolved() && activities.stream().anyMatch(a -> a.direction() == Direction.CUSTOMER)) {
                    reopen(helpdesk, target);
                }
            }
            addMissing(helpdesk, target, handoffActivities(activities, handoff.summary()));
            if (assign) {
                assignAtHandoff(target, handoff.ownerId(), handoff.groupId());
            }
            return target;
        }));
        CaseRef ref = ref(landed);
        if (handoff.fields().isEmpty() || !capabilities.contains(Capability.FILL_FIELDS)) {
            return new HandoffResult(ref, HelpdeskConnection.nothingFilled());
        }
        return new HandoffResult(ref, fillFields(operation, ref, handoff.fields()));
    }

    /** What a handoff writes, in order: the messages due with it, then the summary. */
    protected List<Activity> handoffActivities(List<Activity> activities, Activity summary) {
        List<Activity> all = new ArrayList<>(activities);
        all.add(summary);
        return all;
    }

    protected void assignAtCreation(InMemoryHelpdesk.StoredCase c, String ownerId, String groupId) {
        assign(c, ownerId, groupId);
    }

    protected void assignAtHandoff(InMemoryHelpdesk.StoredCase c, String ownerId, String groupId) {
        assign(c, ownerId, groupId);
    }

    /** Sets what is given and keeps the rest. */
    private static void assign(InMemoryHelpdesk.StoredCase c, String ownerId, String groupId) {
        if (ownerId != null) {
            c.ownerId = ownerId;
        }
        if (groupId != null) {
            c.groupId = groupId;
        }
    }

    @Override
    public void resolve(OperationContext operation, CaseRef caseRef, Resolution resolution) {
        require(Capability.RESOLVE, "resolve");
        if (resolution.closureCode() != null && !InMemoryHelpdesk.CLOSURE_CODES.contains(resolution.closureCode())) {
            throw new PermanentException("The helpdesk has no closure code '" + resolution.closureCode() + "'");
        }
        InMemoryHelpdesk helpdesk = helpdesk();
        guarded(() -> helpdesk.write(WriteOperation.RESOLVE, () -> {
            writeResolution(helpdesk, existing(helpdesk, caseRef), resolution);
            return null;
        }));
    }

    /** Resolving a resolved case changes nothing. */
    protected void writeResolution(InMemoryHelpdesk helpdesk, InMemoryHelpdesk.StoredCase c, Resolution resolution) {
        if (!c.resolved()) {
            c.solution = resolution.solution();
            c.closureCode = resolution.closureCode();
            helpdesk.setStatus(c.id, "Resolved", InMemoryHelpdesk.CONNECTOR_USER);
        }
    }

    @Override
    public List<FieldDescriptor> describeFields() {
        require(Capability.FILL_FIELDS, "describeFields");
        return List.of(new FieldDescriptor("priority", "Priority", FieldType.LOOKUP, PRIORITIES, "How urgent the case is"),
                new FieldDescriptor("topic", "Topic", FieldType.TEXT, List.of(), "What the case is about"));
    }

    @Override
    public FillResult fillFields(OperationContext operation, CaseRef caseRef, FieldValues values) {
        require(Capability.FILL_FIELDS, "fillFields");
        InMemoryHelpdesk helpdesk = helpdesk();
        Map<String, String> rejected = new LinkedHashMap<>();
        Map<String, String> accepted = new LinkedHashMap<>();
        values.values().forEach((field, value) -> {
            switch (field) {
                case "priority" -> {
                    if (PRIORITIES.contains(String.valueOf(value))) {
                        accepted.put(field, String.valueOf(value));
                    } else {
                        rejected.put(field, "'" + value + "' is not one of " + PRIORITIES);
                    }
                }
                case "topic" -> accepted.put(field, String.valueOf(value));
                default -> rejected.put(field, "unknown field");
            }
        });
        guarded(() -> helpdesk.write(WriteOperation.FILL_FIELDS, () -> {
            writeFields(helpdesk, existing(helpdesk, caseRef), accepted);
            return null;
        }));
        return new FillResult(new LinkedHashSet<>(accepted.keySet()), rejected);
    }

    protected void writeFields(InMemoryHelpdesk helpdesk, InMemoryHelpdesk.StoredCase c, Map<String, String> values) {
        c.fields.putAll(values);
    }

    /** HMAC-SHA256 over the timestamp, a dot and the exact body; the timestamp within a window of the arrival time. */
    @Override
    public void authenticateWebhook(WebhookRequest request) {
        require(Capability.WEBHOOKS, "authenticateWebhook");
        checkSignature(request, request.receivedAt());
    }

    protected void checkSignature(WebhookRequest request, Instant now) {
        String timestamp = request.header(InMemoryHelpdesk.TIMESTAMP_HEADER)
                .orElseThrow(() -> new WebhookAuthenticationException("The webhook call carries no signature timestamp"));
        String signature = request.header(InMemoryHelpdesk.SIGNATURE_HEADER)
                .orElseThrow(() -> new WebhookAuthenticationException("The webhook call carries no signature"));
        String expected = InMemoryHelpdesk.signature(settings.webhookSecret().reveal(), timestamp, signedBytes(request));
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), signature.getBytes(StandardCharsets.UTF_8))) {
            throw new WebhookAuthenticationException("The webhook signature does not match: check the webhook signing secret");
        }
        Instant sentAt;
        try {
            sentAt = Instant.ofEpochSecond(Long.parseLong(timestamp));
        } catch (NumberFormatException e) {
            throw new WebhookAuthenticationException("The webhook signature timestamp is not a number");
        }
        if (Duration.between(sentAt, now).abs().compareTo(REPLAY_WINDOW) > 0) {
            throw new WebhookAuthenticationException("The webhook call is outside the replay window");
        }
    }

    /** The exact bytes received: the signature covers them, not a re-serialised body. */
    protected byte[] signedBytes(WebhookRequest request) {
        return request.body();
    }

    /** Never re-authenticates: the host authenticated the call on arrival. Reads the change from the helpdesk. */
    @Override
    public List<HelpdeskEvent> onWebhook(OperationContext operation, WebhookRequest request) {
        require(Capability.WEBHOOKS, "onWebhook");
        InMemoryHelpdesk helpdesk = helpdesk();
        String body = request.bodyText();
        String caseId = field(body, "caseId");
        return guarded(() -> {
            synchronized (helpdesk) {
                InMemoryHelpdesk.StoredCase c = caseId == null ? null : helpdesk.find(caseId);
                if (c == null) {
                    return List.of();
                }
                CaseRef ref = ref(c);
                if ("activity".equals(field(body, "event"))) {
                    InMemoryHelpdesk.StoredActivity a = helpdesk.activity(caseId, field(body, "recordId"));
                    if (a == null || InMemoryHelpdesk.CONNECTOR_USER.equals(a.createdBy())) {
                        return List.of();
                    }
                    return List.of(new AgentReplied(a.id(), ref, a.createdBy(), a.text(), request.receivedAt(), replyVisibility(a)));
                }
                InMemoryHelpdesk.StatusChange change = helpdesk.statusChange(caseId, Integer.parseInt(field(body, "seq")));
                if (change == null || InMemoryHelpdesk.CONNECTOR_USER.equals(change.changedBy())) {
                    return List.of();
                }
                String eventId = caseId + ":" + change.seq();
                return switch (change.status()) {
                    case "Resolved" -> List.of(new CaseResolved(eventId, ref, c.solution));
                    case "Closed" -> List.of(new CaseClosed(eventId, ref, "Closed"));
                    case "Reopened" -> List.of(new CaseReopened(eventId, ref, "Reopened"));
                    default -> List.of();
                };
            }
        });
    }

    /** The helpdesk the settings point at, reached through the outbound policy and after presenting the API key. */
    protected InMemoryHelpdesk helpdesk() {
        URI url = settings.url();
        try {
            context.outbound().lookup(url.getHost());
        } catch (OutboundDeniedException e) {
            throw new InvalidSettingsException(Map.of("url", "The host does not allow connections to " + url.getHost()));
        } catch (UnknownHostException e) {
            throw new TransientException("Cannot resolve " + url.getHost());
        }
        InMemoryHelpdesk helpdesk = InMemoryHelpdesk.REGISTRY.get(url.getPath().replaceFirst("^/", ""));
        if (helpdesk == null) {
            throw new NotFoundException("No helpdesk at " + url);
        }
        guarded(() -> {
            helpdesk.request(settings.apiKey().reveal());
            return null;
        });
        return helpdesk;
    }

    /** Maps the helpdesk's failures to SPI errors, as a real connector maps HTTP statuses. */
    protected <T> T guarded(Supplier<T> call) {
        try {
            return call.get();
        } catch (InMemoryHelpdesk.Fault fault) {
            throw switch (fault.failure) {
                case RATE_LIMITED -> new RateLimitedException("The helpdesk asked us to slow down", Duration.ofSeconds(2));
                case SERVER_ERROR -> new TransientException("The helpdesk answered with an error");
                case CONNECTION_RESET -> new TransientException("The connection to the helpdesk was reset");
                case LOSE_ANSWER -> new TransientException("The connection to the helpdesk was reset before it answered");
            };
        } catch (InMemoryHelpdesk.ClosedCase e) {
            throw new ConflictException("The case is closed");
        } catch (SecurityException e) {
            throw new InvalidCredentialsException("Invalid credentials: check the API key");
        }
    }

    /** Adds the activities the case does not hold yet (by external id), in order. */
    protected Void addMissing(InMemoryHelpdesk helpdesk, InMemoryHelpdesk.StoredCase c, List<Activity> activities) {
        for (Activity activity : activities) {
            boolean present = c.activities.stream().anyMatch(a -> activity.externalId().equals(a.externalId()));
            if (!present) {
                helpdesk.addActivity(c.id, activity.externalId(), activity.text(), activity.direction(),
                        visibility(activity), InMemoryHelpdesk.CONNECTOR_USER);
            }
        }
        return null;
    }

    /** The visibility to store: the activity's own. */
    protected Visibility visibility(Activity activity) {
        return activity.visibility();
    }

    /** An agent's comment is a public reply or an internal note, as the helpdesk holds it. */
    protected Visibility replyVisibility(InMemoryHelpdesk.StoredActivity agentComment) {
        return agentComment.visibility();
    }

    protected void require(Capability capability, String operation) {
        if (!capabilities.contains(capability)) {
            throw new UnsupportedOperationException(operation);
        }
    }

    static void checkAssignment(String ownerId, String groupId) {
        if (ownerId != null && !InMemoryHelpdesk.AGENTS.contains(ownerId)) {
            throw new NotFoundException("No agent with id " + ownerId);
        }
        if (groupId != null && !InMemoryHelpdesk.GROUPS.contains(groupId)) {
            throw new NotFoundException("No group with id " + groupId);
        }
    }

    static InMemoryHelpdesk.StoredCase existing(InMemoryHelpdesk helpdesk, CaseRef caseRef) {
        InMemoryHelpdesk.StoredCase c = helpdesk.find(caseRef.id());
        if (c == null) {
            throw new NotFoundException("Case " + caseRef.id() + " does not exist");
        }
        return c;
    }

    static CaseRef ref(InMemoryHelpdesk.StoredCase c) {
        return new CaseRef(c.id, c.number, URI.create("https://helpdesk.example/cases/" + c.number));
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\":\"?([^\",}]*)").matcher(json);
        return m.find() ? m.group(1) : null;
    }
}
