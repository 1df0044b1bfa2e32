package com.helpdeskconnect.host.sync;

import com.helpdeskconnect.api.Capability;
import com.helpdeskconnect.api.OperationContext;
import com.helpdeskconnect.api.cases.Activity;
import com.helpdeskconnect.api.cases.CaseDraft;
import com.helpdeskconnect.api.cases.CaseRef;
import com.helpdeskconnect.api.cases.Customer;
import com.helpdeskconnect.api.cases.Direction;
import com.helpdeskconnect.api.cases.FieldValues;
import com.helpdeskconnect.api.cases.FillResult;
import com.helpdeskconnect.api.cases.Handoff;
import com.helpdeskconnect.api.cases.HandoffResult;
import com.helpdeskconnect.api.cases.Resolution;
import com.helpdeskconnect.api.cases.Visibility;
import com.helpdeskconnect.host.events.ConversationEvent;
import com.helpdeskconnect.host.events.EventType;
import com.helpdeskconnect.host.integrations.ActiveIntegration;
import com.helpdeskconnect.host.storage.ConversationStore.ConversationRow;
import com.helpdeskconnect.host.storage.ConversationStore.TranscriptEntry;
import com.helpdeskconnect.host.storage.ConversationStore;
import com.helpdeskconnect.host.storage.OutboxStore.Completion;
import com.helpdeskconnect.host.storage.OutboxStore.OutboxRow;
import com.helpdeskconnect.host.storage.OutboxStore.Progress;
import com.helpdeskconnect.host.storage.OutboxStore.SkippedStep;
import com.helpdeskconnect.host.storage.OutboxStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Turns one outbox row into connector calls, each with an {@link OperationContext} (key
 * {@code integration:conversation:event}, the row's call number as attempt, its first call's time),
 * so running a row again after a crash or a retry changes nothing the helpdesk already has.
 *
 * <p>Capabilities are kept: an operation the connector does not declare is never called. The step is
 * skipped and recorded (shown under {@code skipped} on the conversation); nothing parks or stalls
 * for it:
 * <ul>
 *   <li>no {@code APPEND_ACTIVITY}: messages after the case opened stay on the conversation only;</li>
 *   <li>no {@code HANDOFF}: no summary, assignment or fields at handoff; in "create case only on
 *       handoff" mode the case still opens, with the summary as its description;</li>
 *   <li>no {@code ASSIGN}: owner and group are not passed, at case creation or handoff;</li>
 *   <li>no {@code FILL_FIELDS}: fields given at handoff are not passed;</li>
 *   <li>no {@code RESOLVE}: resolving changes only the conversation.</li>
 * </ul>
 *
 * <p>A customer message after the conversation was resolved opens it again and goes to the connector,
 * which reopens the case or opens a follow-up case; a case returned by {@code appendActivities} or
 * {@code appendAndHandOff} that differs from the linked one relinks the conversation.
 *
 * <p>Messages due together with the handoff (queued right before it, or never synced) go in the
 * handoff's one call, {@code appendAndHandOff}, keyed by the handoff event: an AI reply and the
 * handoff behind it cost one helpdesk round trip where the connector batches them (SPI 2.1).
 */
final class OperationRunner {
    private static final int SUBJECT_LENGTH = 80;
    /** At most this many messages go to the helpdesk in one call. */
    static final int MAX_BATCH = 50;

    private final ConversationStore conversations;
    private final OutboxStore outbox;

    OperationRunner(ConversationStore conversations, OutboxStore outbox) {
        this.conversations = conversations;
        this.outbox = outbox;
    }

    /**
     * What one run of a row did: recorded with whatever ends it. Synced entries are kept also when the
     * run fails later (they reached the helpdesk); skipped steps, status and the rows sent with this
     * one only when it completes.
     */
    static final class Work {
        final Map<String, Instant> synced = new LinkedHashMap<>();
        /** The case created or followed up in this run: linked with the run's outcome, in its transaction. */
        private CaseRef linked;
        private final List<SkippedStep> skipped = new ArrayList<>();
        private final List<Long> alsoDone = new ArrayList<>();
        private String status;
        private String note;

        void skip(OutboxRow row, String operation, String reason) {
            boolean known = skipped.stream().anyMatch(s -> s.operationId() == row.id() && s.operation().equals(operation));
            if (!known) {
                skipped.add(new SkippedStep(row.id(), row.eventId(), operation, reason, null));
            }
        }

        Completion completion() {
            return new Completion(status, note, progress(), skipped, alsoDone);
        }

        /** What reached the helpdesk so far: recorded whether the run completes or fails later. */
        Progress progress() {
            return new Progress(synced, linked);
        }
    }

    /** Runs the row's connector calls, recording what happened in {@code work}. */
    void run(ActiveIntegration target, OutboxRow row, Work work) {
        ConversationRow conversation = conversations.conversation(row.integrationId(), row.conversationId()).orElseThrow();
        OperationContext op = OperationContext.forEvent(row.integrationId(), row.conversationId(), row.eventId(),
                row.call(), row.firstAttemptAt() == null ? Instant.now() : row.firstAttemptAt());
        switch (row.event().type()) {
            case CUSTOMER_MESSAGE, AI_REPLY -> messages(target, row, conversation, op, work);
            case HANDOFF -> handoff(target, row, conversation, op, work);
            case RESOLVED -> resolve(target, row, conversation, op, work);
            default -> throw new IllegalStateException(row.event().type().name());
        }
    }

    /**
     * The row's message and the messages right behind it, in one call; when the conversation's handoff
     * is right behind them too, they go in the handoff's call ({@code appendAndHandOff}) and its row is
     * done with them.
     */
    private void messages(ActiveIntegration target, OutboxRow head, ConversationRow conversation, OperationContext op,
                          Work work) {
        List<OutboxRow> rows = new ArrayList<>();
        rows.add(head);
        rows.addAll(outbox.followingMessages(head, MAX_BATCH - 1, true));
        OutboxRow handoff = rows.get(rows.size() - 1).event().type() == EventType.HANDOFF ? rows.remove(rows.size() - 1) : null;
        rows.subList(1, rows.size()).forEach(r -> work.alsoDone.add(r.id()));
        List<Activity> activities = rows.stream().map(r -> activity(r.event())).toList();
        if ("resolved".equals(conversation.status()) && rows.stream().anyMatch(r -> r.event().type() == EventType.CUSTOMER_MESSAGE)) {
            // the customer wrote again: the conversation is open, and the connector reopens or follows up the case
            work.status = "open";
        }
        // in each branch without the handoff, its row stays pending and runs next on its own
        CaseRef caseRef = conversation.caseRef();
        if (caseRef == null) {
            if (target.options().createCaseOnlyOnHandoff()) {
                return; // written at handoff, with the rest of the transcript
            }
            ConversationEvent first = head.event();
            openCase(target, op, head, first.type() == EventType.CUSTOMER_MESSAGE ? first : null, first.text(), first,
                    activities, work);
            return;
        }
        if (!target.supports(Capability.APPEND_ACTIVITY)) {
            rows.forEach(r -> work.skip(r, "appendActivity", missing(target, Capability.APPEND_ACTIVITY)
                    + ": the message is kept on the conversation only"));
            return;
        }
        if (handoff != null && target.supports(Capability.HANDOFF)) {
            work.alsoDone.add(handoff.id());
            // the handoff's own key, whichever row carries it: a retry, or the handoff row run on its
            // own, repeats the same handoff
            OperationContext handoffOp = OperationContext.forEvent(handoff.integrationId(), handoff.conversationId(),
                    handoff.eventId(), op.attempt(), op.firstAttemptAt());
            handOff(target, handoff, conversation, caseRef, activities, handoffOp, work);
            return;
        }
        append(target, op, conversation, caseRef, activities, work);
    }

    private void handoff(ActiveIntegration target, OutboxRow row, ConversationRow conversation, OperationContext op,
                         Work work) {
        ConversationEvent event = row.event();
        work.status = "handed_off";
        // messages held back ("create case only on handoff") or never synced go first, in order
        List<Activity> earlier = new ArrayList<>();
        for (TranscriptEntry entry : conversations.transcript(row.integrationId(), row.conversationId())) {
            if (entry.eventId().equals(event.eventId())) {
                break;
            }
            if (entry.syncedAt() == null && isMessage(entry.type())) {
                earlier.add(new Activity(entry.eventId(), direction(entry.type()), entry.author(), entry.text(),
                        entry.occurredAt()));
            }
        }
        CaseRef caseRef = conversation.caseRef();
        if (caseRef == null) {
            ConversationEvent first = outbox.firstCustomerMessage(row.integrationId(), row.conversationId()).orElse(null);
            caseRef = openCase(target, op, row, first, event.summary(), event, earlier, work);
            handOff(target, row, conversation, caseRef, List.of(), op, work);
        } else {
            // without APPEND_ACTIVITY each of them was skipped (and listed) at its own row already
            handOff(target, row, conversation, caseRef,
                    target.supports(Capability.APPEND_ACTIVITY) ? earlier : List.of(), op, work);
        }
    }

    /**
     * The messages due with the handoff, then the summary (agents only), assignment and fields: one
     * connector call (Creatio: one $batch). A different case coming back (a follow-up of a closed one)
     * is linked from now on.
     */
    private void handOff(ActiveIntegration target, OutboxRow row, ConversationRow conversation, CaseRef caseRef,
                         List<Activity> messages, OperationContext op, Work work) {
        ConversationEvent event = row.event();
        work.status = "handed_off";
        if (!target.supports(Capability.HANDOFF)) {
            if (!messages.isEmpty()) {
                append(target, op, conversation, caseRef, messages, work);
            }
            work.skip(row, "handOff", missing(target, Capability.HANDOFF)
                    + ": no handoff summary, assignment or fields were written to the case");
            return;
        }
        boolean assign = target.supports(Capability.ASSIGN);
        if (!assign && (event.ownerId() != null || event.groupId() != null)) {
            work.skip(row, "assign", missing(target, Capability.ASSIGN) + ": the owner and group were not assigned");
        }
        boolean fill = target.supports(Capability.FILL_FIELDS);
        if (!fill && !event.fields().isEmpty()) {
            work.skip(row, "fillFields", missing(target, Capability.FILL_FIELDS) + ": the fields were not filled");
        }
        Handoff handoff = new Handoff(new Activity(event.eventId(), Direction.SYSTEM, "AI assistant",
                "Handoff summary: " + event.summary(), event.occurredAt(), Visibility.INTERNAL),
                assign ? event.ownerId() : null, assign ? event.groupId() : null,
                FieldValues.of(fill ? event.fields() : Map.of()));
        HandoffResult result = target.call(c -> c.appendAndHandOff(op, caseRef, messages, handoff));
        Instant now = Instant.now();
        messages.forEach(a -> work.synced.put(a.externalId(), now));
        work.synced.put(event.eventId(), now);
        if (!result.caseRef().id().equals(caseRef.id())) {
            work.linked = result.caseRef();
        }
        FillResult fields = result.fields();
        work.note = fields.allApplied() ? null : "Some fields were not filled: " + new TreeMap<>(fields.rejected());
    }

    private void resolve(ActiveIntegration target, OutboxRow row, ConversationRow conversation, OperationContext op,
                         Work work) {
        ConversationEvent event = row.event();
        work.status = "resolved";
        CaseRef caseRef = conversation.caseRef();
        // resolved in the helpdesk already (webhook): resolving again would overwrite the agent's solution
        if (caseRef != null && !"resolved".equals(conversation.status())) {
            if (!target.supports(Capability.RESOLVE)) {
                work.skip(row, "resolve", missing(target, Capability.RESOLVE) + ": only the conversation was resolved");
                return;
            }
            target.run(c -> c.resolve(op, caseRef, new Resolution(event.resolution(), event.closureCode(), event.occurredAt())));
        }
        work.synced.put(event.eventId(), Instant.now());
    }

    /** Opens the case with the messages already said, in one connector call (Creatio: one $batch). */
    private CaseRef openCase(ActiveIntegration target, OperationContext op, OutboxRow row, ConversationEvent customerEvent,
                             String description, ConversationEvent trigger, List<Activity> firstActivities, Work work) {
        ConversationEvent.Contact contact = Optional.ofNullable(customerEvent).map(ConversationEvent::customer).orElse(null);
        Customer customer = contact == null ? Customer.anonymous() : new Customer(contact.name(), contact.email(), contact.phone());
        String subjectSource = customerEvent != null && customerEvent.text() != null ? customerEvent.text() : description;
        boolean assign = target.supports(Capability.ASSIGN);
        if (!assign && (trigger.ownerId() != null || trigger.groupId() != null)) {
            work.skip(row, "assign", missing(target, Capability.ASSIGN) + ": the owner and group were not assigned");
        }
        CaseDraft draft = new CaseDraft(trigger.conversationId(), subject(subjectSource), description, customer, "chat",
                assign ? trigger.ownerId() : null, assign ? trigger.groupId() : null, trigger.occurredAt());
        CaseRef ref = target.call(c -> c.createCase(op, draft, firstActivities));
        work.linked = ref;
        Instant now = Instant.now();
        firstActivities.forEach(a -> work.synced.put(a.externalId(), now));
        return ref;
    }

    /** Appends in one call; a different case coming back (a follow-up of a closed one) is linked from now on. */
    private CaseRef append(ActiveIntegration target, OperationContext op, ConversationRow conversation, CaseRef caseRef,
                           List<Activity> activities, Work work) {
        CaseRef landed = target.call(c -> c.appendActivities(op, caseRef, activities));
        Instant now = Instant.now();
        activities.forEach(a -> work.synced.put(a.externalId(), now));
        if (landed != null && !landed.id().equals(caseRef.id())) {
            work.linked = landed;
            return landed;
        }
        return caseRef;
    }

    private static String missing(ActiveIntegration target, Capability capability) {
        return "Connector '" + target.connector().id() + "' does not declare " + capability;
    }

    private static Activity activity(ConversationEvent event) {
        String author = event.type() == EventType.AI_REPLY ? "AI assistant"
                : event.customer() == null ? null : event.customer().name();
        return new Activity(event.eventId(), direction(event.type().wire()), author, event.text(), event.occurredAt());
    }

    private static boolean isMessage(String type) {
        return type.equals(EventType.CUSTOMER_MESSAGE.wire()) || type.equals(EventType.AI_REPLY.wire());
    }

    private static Direction direction(String type) {
        return type.equals(EventType.AI_REPLY.wire()) ? Direction.AI : Direction.CUSTOMER;
    }

    private static String subject(String text) {
        String line = text == null || text.isBlank() ? "Chat conversation" : text.strip().lines().findFirst().orElse("");
        return line.length() <= SUBJECT_LENGTH ? line : line.substring(0, SUBJECT_LENGTH - 1) + "…";
    }
}
