package com.helpdeskconnect.testkit.reference;

import com.helpdeskconnect.api.Capability;
import com.helpdeskconnect.api.HelpdeskConnection;
import com.helpdeskconnect.api.IntegrationContext;
import com.helpdeskconnect.api.OperationContext;
import com.helpdeskconnect.api.cases.Activity;
import com.helpdeskconnect.api.cases.CaseDraft;
import com.helpdeskconnect.api.cases.CaseRef;
import com.helpdeskconnect.api.cases.Direction;
import com.helpdeskconnect.api.cases.FieldValues;
import com.helpdeskconnect.api.cases.FillResult;
import com.helpdeskconnect.api.cases.Handoff;
import com.helpdeskconnect.api.cases.HandoffResult;
import com.helpdeskconnect.api.cases.Resolution;
import com.helpdeskconnect.api.cases.Visibility;
import com.helpdeskconnect.api.errors.PermanentException;
import com.helpdeskconnect.api.net.OutboundPolicy;
import com.helpdeskconnect.api.state.ConnectorState;
import com.helpdeskconnect.api.webhook.HelpdeskEvent;
import com.helpdeskconnect.api.webhook.WebhookRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** The reference connector with exactly one {@link Mistake}. */
final class MistakenConnector extends InMemoryConnector {
    private final Mistake mistake;
    /** Lets the first two racing calls meet inside their critical step, so a race is lost every time, not by luck. */
    private final CountDownLatch firstTwo = new CountDownLatch(2);

    MistakenConnector(Mistake mistake) {
        super(mistake == Mistake.UNDECLARED_OPERATIONS_WORK ? EnumSet.of(Capability.CREATE_CASE) : EnumSet.allOf(Capability.class));
        this.mistake = mistake;
    }

    @Override
    public HelpdeskConnection open(IntegrationContext context) {
        IntegrationContext used = mistake == Mistake.IGNORES_OUTBOUND_POLICY ? unrestricted(context) : context;
        return new Mistaken(used, describe().capabilities());
    }

    /** The first two callers wait for each other (a bounded wait: a lone caller goes on). */
    void meetSecondCaller() {
        firstTwo.countDown();
        try {
            if (!firstTwo.await(10, TimeUnit.SECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Mistaken extends InMemoryConnection {
        private final Map<String, String> caseByConversation = new ConcurrentHashMap<>();
        private final Set<String> written = ConcurrentHashMap.newKeySet();
        private final Set<String> resolved = ConcurrentHashMap.newKeySet();
        private final Set<String> filled = ConcurrentHashMap.newKeySet();
        private final List<Activity> buffer = new ArrayList<>();

        Mistaken(IntegrationContext context, Set<Capability> capabilities) {
            super(context, capabilities);
        }

        @Override
        public CaseRef createCase(OperationContext operation, CaseDraft draft, List<Activity> firstActivities) {
            if (mistake == Mistake.NEEDS_CUSTOMER_EMAIL && draft.customer().email() == null) {
                throw new PermanentException("A case needs the customer's email address");
            }
            if (mistake == Mistake.RACY_CREATE) {
                InMemoryHelpdesk helpdesk = helpdesk();
                InMemoryHelpdesk.StoredCase existing = helpdesk.caseByExternalId(draft.conversationId());
                if (existing != null) {
                    return ref(existing);
                }
                meetSecondCaller();
                return ref(helpdesk.createCase(draft.conversationId(), draft.subject(), draft.customer().email()));
            }
            CaseRef ref = super.createCase(operation, draft, firstActivities);
            caseByConversation.put(draft.conversationId(), ref.id());
            firstActivities.forEach(a -> written.add(a.externalId()));
            return ref;
        }

        @Override
        protected InMemoryHelpdesk.StoredCase openCase(InMemoryHelpdesk helpdesk, CaseDraft draft) {
            if (mistake == Mistake.CASE_REMEMBERED_IN_MEMORY) {
                String known = caseByConversation.get(draft.conversationId());
                return known != null ? helpdesk.find(known)
                        : helpdesk.createCase(draft.conversationId(), draft.subject(), draft.customer().email());
            }
            return super.openCase(helpdesk, draft);
        }

        @Override
        public CaseRef appendActivities(OperationContext operation, CaseRef caseRef, List<Activity> activities) {
            if (mistake != Mistake.SHARED_BUFFER) {
                CaseRef landed = super.appendActivities(operation, caseRef, activities);
                activities.forEach(a -> written.add(a.externalId()));
                return landed;
            }
            List<Activity> pending;
            synchronized (buffer) {
                buffer.clear();
                buffer.addAll(activities);
            }
            meetSecondCaller();
            synchronized (buffer) {
                pending = List.copyOf(buffer);
            }
            return super.appendActivities(operation, caseRef, pending);
        }

        @Override
        protected Void addMissing(InMemoryHelpdesk helpdesk, InMemoryHelpdesk.StoredCase c, List<Activity> activities) {
            if (mistake != Mistake.MESSAGES_REMEMBERED_IN_MEMORY) {
                return super.addMissing(helpdesk, c, activities);
            }
            for (Activity a : activities) {
                if (!written.contains(a.externalId())) {
                    helpdesk.addActivity(c.id, a.externalId(), a.text(), a.direction(), a.visibility(),
                            InMemoryHelpdesk.CONNECTOR_USER);
                }
            }
            return null;
        }

        @Override
        public FillResult handOff(OperationContext operation, CaseRef caseRef, Handoff handoff) {
            FillResult result = super.handOff(operation, caseRef, handoff);
            written.add(handoff.summary().externalId());
            return result;
        }

        @Override
        public HandoffResult appendAndHandOff(OperationContext operation, CaseRef caseRef, List<Activity> activities,
                                              Handoff handoff) {
            HandoffResult result = super.appendAndHandOff(operation, caseRef, activities, handoff);
            activities.forEach(a -> written.add(a.externalId()));
            written.add(handoff.summary().externalId());
            return result;
        }

        @Override
        protected List<Activity> handoffActivities(List<Activity> activities, Activity summary) {
            if (mistake != Mistake.SUMMARY_BEFORE_MESSAGES) {
                return super.handoffActivities(activities, summary);
            }
            List<Activity> all = new ArrayList<>();
            all.add(summary);
            all.addAll(activities);
            return all;
        }

        @Override
        protected InMemoryHelpdesk.StoredCase followUp(InMemoryHelpdesk helpdesk, InMemoryHelpdesk.StoredCase closed) {
            if (mistake == Mistake.NO_FOLLOW_UP) {
                throw new InMemoryHelpdesk.ClosedCase();
            }
            return super.followUp(helpdesk, closed);
        }

        @Override
        protected void reopen(InMemoryHelpdesk helpdesk, InMemoryHelpdesk.StoredCase c) {
            if (mistake != Mistake.NO_REOPEN) {
                super.reopen(helpdesk, c);
            }
        }

        @Override
        protected void assignAtCreation(InMemoryHelpdesk.StoredCase c, String ownerId, String groupId) {
            if (mistake != Mistake.DROPS_DRAFT_ASSIGNMENT) {
                super.assignAtCreation(c, ownerId, groupId);
            }
        }

        @Override
        protected void assignAtHandoff(InMemoryHelpdesk.StoredCase c, String ownerId, String groupId) {
            if (mistake != Mistake.DROPS_HANDOFF_ASSIGNMENT) {
                super.assignAtHandoff(c, ownerId, groupId);
            }
        }

        @Override
        public void resolve(OperationContext operation, CaseRef caseRef, Resolution resolution) {
            if (mistake == Mistake.DROPS_CLOSURE_CODE) {
                resolution = new Resolution(resolution.solution(), null, resolution.resolvedAt());
            }
            super.resolve(operation, caseRef, resolution);
            resolved.add(caseRef.id());
        }

        @Override
        protected void writeResolution(InMemoryHelpdesk helpdesk, InMemoryHelpdesk.StoredCase c, Resolution resolution) {
            if (mistake == Mistake.RESOLUTION_NOTE_REPEATED && !resolved.contains(c.id)) {
                helpdesk.addActivity(c.id, null, "Solution: " + resolution.solution(), Direction.SYSTEM, Visibility.INTERNAL,
                        InMemoryHelpdesk.CONNECTOR_USER);
            }
            super.writeResolution(helpdesk, c, resolution);
        }

        @Override
        public FillResult fillFields(OperationContext operation, CaseRef caseRef, FieldValues values) {
            FillResult result = super.fillFields(operation, caseRef, values);
            filled.add(caseRef.id());
            return result;
        }

        @Override
        protected void writeFields(InMemoryHelpdesk helpdesk, InMemoryHelpdesk.StoredCase c, Map<String, String> values) {
            if (mistake == Mistake.FIELDS_NOTE_REPEATED && !filled.contains(c.id)) {
                helpdesk.addActivity(c.id, null, "AI filled " + values.keySet(), Direction.SYSTEM, Visibility.INTERNAL,
                        InMemoryHelpdesk.CONNECTOR_USER);
            }
            super.writeFields(helpdesk, c, values);
        }

        @Override
        public void authenticateWebhook(WebhookRequest request) {
            require(Capability.WEBHOOKS, "authenticateWebhook");
            checkSignature(request, mistake == Mistake.REPLAY_WINDOW_ON_CLOCK ? Instant.now() : request.receivedAt());
        }

        @Override
        protected byte[] signedBytes(WebhookRequest request) {
            return mistake == Mistake.SIGNS_TRIMMED_BODY
                    ? request.bodyText().strip().getBytes(StandardCharsets.UTF_8) : super.signedBytes(request);
        }

        @Override
        public List<HelpdeskEvent> onWebhook(OperationContext operation, WebhookRequest request) {
            if (mistake == Mistake.REAUTHENTICATES_LATER) {
                checkSignature(request, Instant.now());
            }
            return super.onWebhook(operation, request);
        }

        @Override
        protected Visibility visibility(Activity activity) {
            return mistake == Mistake.EVERYTHING_PUBLIC ? Visibility.PUBLIC : super.visibility(activity);
        }

        @Override
        protected Visibility replyVisibility(InMemoryHelpdesk.StoredActivity agentComment) {
            return mistake == Mistake.NOTES_AS_PUBLIC ? Visibility.PUBLIC : super.replyVisibility(agentComment);
        }

        @Override
        protected void require(Capability capability, String operation) {
            if (mistake != Mistake.UNDECLARED_OPERATIONS_WORK) {
                super.require(capability, operation);
            }
        }

        @Override
        protected <T> T guarded(Supplier<T> call) {
            try {
                return super.guarded(call);
            } catch (com.helpdeskconnect.api.errors.TransientException e) {
                if (mistake == Mistake.LOST_ANSWER_IS_PERMANENT && e.getMessage().contains("before it answered")) {
                    throw new PermanentException("The helpdesk did not answer");
                }
                throw e;
            }
        }
    }

    private static IntegrationContext unrestricted(IntegrationContext context) {
        return new IntegrationContext() {
            @Override
            public String integrationId() {
                return context.integrationId();
            }

            @Override
            public <S extends Record> S settings(Class<S> type) {
                return context.settings(type);
            }

            @Override
            public ConnectorState state() {
                return context.state();
            }

            @Override
            public OutboundPolicy outbound() {
                return OutboundPolicy.unrestricted();
            }

            @Override
            public URI webhookUrl() {
                return context.webhookUrl();
            }
        };
    }
}
