package com.helpdeskconnect.host.sync;

import com.helpdeskconnect.api.Capability;
import com.helpdeskconnect.api.Integration;
import com.helpdeskconnect.api.cases.Activity;
import com.helpdeskconnect.api.cases.CaseDraft;
import com.helpdeskconnect.api.cases.CaseRef;
import com.helpdeskconnect.api.cases.Customer;
import com.helpdeskconnect.api.cases.Direction;
import com.helpdeskconnect.api.cases.FieldValues;
import com.helpdeskconnect.api.cases.FillResult;
import com.helpdeskconnect.api.cases.Handoff;
import com.helpdeskconnect.api.cases.Resolution;
import com.helpdeskconnect.host.integrations.ActiveIntegration;
import com.helpdeskconnect.host.plugins.LoadedConnector;
import com.helpdeskconnect.host.storage.ConversationStore;
import com.helpdeskconnect.host.storage.ConversationStore.ConversationRow;
import com.helpdeskconnect.host.storage.ConversationStore.OutboxRow;
import com.helpdeskconnect.host.storage.ConversationStore.TranscriptEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Turns one outbox row into connector calls. Every call carries a stable idempotency key
 * (the conversation id for createCase, the event id as the activity's external id), so running a
 * row again after a crash or a retry changes nothing the helpdesk already has.
 */
final class OperationRunner {
    private static final int SUBJECT_LENGTH = 80;

    private final ConversationStore store;

    OperationRunner(ConversationStore store) {
        this.store = store;
    }

    /**
     * What a finished operation leaves on the conversation.
     *
     * @param status the conversation status to record, or {@code null} to keep it
     * @param note   a problem the operator should see without the operation failing, or {@code null}
     */
    record Outcome(String status, String note) {
        static final Outcome KEEP = new Outcome(null, null);
    }

    /**
     * Runs the row's connector calls. Each transcript entry the helpdesk accepted goes into
     * {@code synced} (event id, when): the caller records them in the same transaction that
     * finishes, retries or parks the row.
     */
    Outcome run(ActiveIntegration target, OutboxRow row, Map<String, Instant> synced) {
        ConversationEvent event = row.event();
        ConversationRow conversation = store.conversation(row.integrationId(), row.conversationId()).orElseThrow();
        CaseRef caseRef = conversation.caseRef();
        LoadedConnector connector = target.connector();
        Integration integration = target.integration();
        switch (event.type()) {
            case CUSTOMER_MESSAGE, AI_REPLY -> {
                if (caseRef == null) {
                    if (target.createCaseOnlyOnHandoff()) {
                        return Outcome.KEEP; // written at handoff, with the rest of the transcript
                    }
                    openCase(target, event, event.text(), event, List.of(activity(event)), synced);
                    return Outcome.KEEP;
                }
                append(connector, integration, caseRef, activity(event), synced);
                return Outcome.KEEP;
            }
            case HANDOFF -> {
                // messages held back ("create case only on handoff") or never synced go first, in order
                List<Activity> earlier = new ArrayList<>();
                for (TranscriptEntry entry : store.transcript(row.integrationId(), row.conversationId())) {
                    if (entry.eventId().equals(event.eventId())) {
                        break;
                    }
                    if (entry.syncedAt() == null && isMessage(entry.type())) {
                        earlier.add(new Activity(entry.eventId(), direction(entry.type()), entry.author(), entry.text(),
                                entry.occurredAt()));
                    }
                }
                if (caseRef == null) {
                    ConversationEvent first = store.firstCustomerMessage(row.integrationId(), row.conversationId()).orElse(null);
                    caseRef = openCase(target, first, event.summary(), event, earlier, synced);
                } else {
                    for (Activity activity : earlier) {
                        append(connector, integration, caseRef, activity, synced);
                    }
                }
                CaseRef ref = caseRef;
                // summary, assignment and fields in one connector call (Creatio: one $batch)
                Handoff handoff = new Handoff(new Activity(event.eventId(), Direction.SYSTEM, "AI assistant",
                        "Handoff summary: " + event.summary(), event.occurredAt()), event.ownerId(), event.groupId(),
                        FieldValues.of(connector.descriptor().supports(Capability.FILL_FIELDS) ? event.fields() : java.util.Map.of()));
                FillResult result = connector.call(c -> c.handOff(integration, ref, handoff));
                synced.put(event.eventId(), Instant.now());
                return new Outcome("handed_off", result.allApplied() ? null
                        : "Some fields were not filled: " + new TreeMap<>(result.rejected()));
            }
            case RESOLVED -> {
                // resolved in the helpdesk already (webhook): resolving again would overwrite the agent's solution
                if (caseRef != null && !"resolved".equals(conversation.status())) {
                    CaseRef ref = caseRef;
                    connector.run(c -> c.resolve(integration, ref, new Resolution(event.resolution(), null, event.occurredAt())));
                }
                synced.put(event.eventId(), Instant.now());
                return new Outcome("resolved", null);
            }
            default -> throw new IllegalStateException(event.type().name());
        }
    }

    /** Opens the case with the messages already said, in one connector call (Creatio: one $batch). */
    private CaseRef openCase(ActiveIntegration target, ConversationEvent customerEvent, String description,
                             ConversationEvent trigger, List<Activity> firstActivities, Map<String, Instant> synced) {
        ConversationEvent.Contact contact = Optional.ofNullable(customerEvent).map(ConversationEvent::customer).orElse(null);
        Customer customer = contact == null ? Customer.anonymous() : new Customer(contact.name(), contact.email(), contact.phone());
        String subjectSource = customerEvent != null && customerEvent.text() != null ? customerEvent.text() : description;
        CaseDraft draft = new CaseDraft(trigger.conversationId(), subject(subjectSource), description, customer, "chat",
                trigger.ownerId(), trigger.groupId(), trigger.occurredAt());
        CaseRef ref = target.connector().call(c -> c.createCaseWithActivities(target.integration(), draft, firstActivities));
        store.linkCase(trigger.integrationId(), trigger.conversationId(), ref);
        Instant now = Instant.now();
        firstActivities.forEach(a -> synced.put(a.externalId(), now));
        return ref;
    }

    private static void append(LoadedConnector connector, Integration integration, CaseRef ref, Activity activity,
                               Map<String, Instant> synced) {
        connector.call(c -> c.appendActivity(integration, ref, activity));
        synced.put(activity.externalId(), Instant.now());
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
