package com.helpdeskconnect.host.sync;

import com.helpdeskconnect.api.Capability;
import com.helpdeskconnect.api.OperationContext;
import com.helpdeskconnect.api.cases.Visibility;
import com.helpdeskconnect.api.errors.ConnectorException;
import com.helpdeskconnect.api.errors.WebhookAuthenticationException;
import com.helpdeskconnect.api.webhook.AgentReplied;
import com.helpdeskconnect.api.webhook.CaseClosed;
import com.helpdeskconnect.api.webhook.CaseReopened;
import com.helpdeskconnect.api.webhook.CaseResolved;
import com.helpdeskconnect.api.webhook.HelpdeskEvent;
import com.helpdeskconnect.host.integrations.ActiveIntegration;
import com.helpdeskconnect.host.integrations.IntegrationService;
import com.helpdeskconnect.host.storage.ConversationStore;
import com.helpdeskconnect.host.storage.HelpdeskChanges.Applied;
import com.helpdeskconnect.host.storage.HelpdeskChanges.HelpdeskChange;
import com.helpdeskconnect.host.storage.HelpdeskChanges;
import com.helpdeskconnect.host.storage.WebhookInbox;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads stored webhook calls with their connector ({@code onWebhook} with the call as it arrived,
 * its arrival time included; it was authenticated on arrival and is never authenticated again) and
 * applies the events to the conversations: public agent replies join the transcript and go to the
 * customer channel; internal notes join the transcript as {@code agent_note} and go nowhere else;
 * resolved/closed resolve the conversation; reopened opens it again. Drained by a {@link QueueWorker}:
 * an integration's calls one at a time, oldest first, so a reply is never overtaken by the closing;
 * integrations in parallel. Failures go through the {@link RetryPolicy}; a rate limit pauses the
 * integration (as the sync worker does) without counting as an attempt.
 */
public final class WebhookProcessor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebhookProcessor.class);

    private final WebhookInbox inbox;
    private final ConversationStore conversations;
    private final HelpdeskChanges changes;
    private final IntegrationService integrations;
    private final RetryPolicy retry;
    private final Consumer<String> conversationChanged;
    private final Runnable callbacksQueued;
    private final QueueWorker<WebhookInbox.Entry> worker;

    /**
     * @param conversationChanged told the conversation id after a change is committed (live streams)
     * @param callbacksQueued     told after callback rows were committed
     */
    public WebhookProcessor(WebhookInbox inbox, ConversationStore conversations, HelpdeskChanges changes,
                            IntegrationService integrations, RetryPolicy retry, int threads,
                            Consumer<String> conversationChanged, Runnable callbacksQueued) {
        this.inbox = inbox;
        this.conversations = conversations;
        this.changes = changes;
        this.integrations = integrations;
        this.retry = retry;
        this.conversationChanged = conversationChanged;
        this.callbacksQueued = callbacksQueued;
        this.worker = new QueueWorker<>("webhooks", threads, inbox.queue(), inbox::due, WebhookInbox.Entry::claim, this::process);
    }

    public void start() {
        worker.start();
    }

    /** Called after a call is stored, so it is read at once. */
    public void wake() {
        worker.wake();
    }

    void process(WebhookInbox.Entry entry) {
        try {
            Optional<ActiveIntegration> integration = integrations.acquire(entry.integrationId());
            if (integration.isEmpty()) {
                park(entry, "Integration '" + entry.integrationId() + "' does not exist (deleted?)");
                return;
            }
            List<HelpdeskEvent> events;
            try (ActiveIntegration target = integration.get()) {
                if (!target.supports(Capability.WEBHOOKS)) {
                    park(entry, "Connector '" + target.connector().id() + "' does not declare WEBHOOKS");
                    return;
                }
                OperationContext op = OperationContext.forWebhook(entry.integrationId(), Long.toString(entry.id()),
                        entry.claim().call(), entry.claim().firstAttemptAt());
                events = target.call(c -> c.onWebhook(op, entry.request()));
            }
            boolean callback = integrations.find(entry.integrationId()).map(s -> s.callbackUrl() != null).orElse(false);
            List<String> notes = new ArrayList<>();
            List<String> unlinked = new ArrayList<>();
            for (HelpdeskEvent event : events) {
                Outcome outcome = apply(entry.integrationId(), event, callback);
                notes.add(outcome.note());
                if (outcome.applied() == Applied.NO_CONVERSATION) {
                    unlinked.add(event.caseRef().id());
                }
            }
            if (!unlinked.isEmpty()) {
                // Most such calls are about cases no chat opened (the admin's process fires for every
                // case), so they must not hold the queue. Nothing was recorded for them, so if the case
                // was ours and only not linked yet, the helpdesk's next delivery of the change applies.
                inbox.queue().done(entry.claim(), "No conversation is linked to case " + String.join(", ", unlinked)
                        + "; " + String.join("; ", notes));
                return;
            }
            inbox.queue().done(entry.claim(), events.isEmpty() ? "no event (echo of our own write, or nothing for the customer)"
                    : String.join("; ", notes));
        } catch (WebhookAuthenticationException e) {
            // onWebhook must not authenticate again; a connector that does is told so here
            park(entry, "Not authenticated when read (webhooks are authenticated once, on arrival): " + e.getMessage());
        } catch (UnsupportedOperationException e) {
            park(entry, "The connector takes no webhooks");
        } catch (RuntimeException e) {
            if (!(e instanceof ConnectorException)) {
                log.warn("Webhook call {} of integration {} failed unexpectedly: {}", entry.id(), entry.integrationId(), e.toString());
            }
            settle(entry, RetryPolicy.classify(e));
        }
    }

    private void park(WebhookInbox.Entry entry, String reason) {
        inbox.queue().park(entry.claim(), reason);
    }

    /** Records the policy's decision for a failed read. */
    private void settle(WebhookInbox.Entry entry, RetryPolicy.Failure failure) {
        RetryPolicy.Decision decision = retry.settle(inbox.queue(), entry.claim(), failure,
                until -> " (integration paused until " + until + ")");
        if (decision instanceof RetryPolicy.Wait wait) {
            // the helpdesk's quota is the integration's, as in the sync worker (its later calls wait behind this one anyway)
            integrations.pauseUntil(entry.integrationId(), wait.until());
        }
    }

    private record Outcome(Applied applied, String note) {}

    private Outcome apply(String integrationId, HelpdeskEvent event, boolean callback) {
        String number = event.caseRef().number().isEmpty() ? event.caseRef().id() : event.caseRef().number();
        HelpdeskChange change;
        String author = null;
        String text;
        Instant at = Instant.now();
        if (event instanceof AgentReplied r) {
            // an agents-only note is recorded, never forwarded to the customer
            change = r.visibility() == Visibility.INTERNAL ? HelpdeskChange.AGENT_NOTE : HelpdeskChange.AGENT_REPLY;
            author = r.author() == null || r.author().isBlank() ? "Agent" : r.author();
            text = r.text();
            at = r.occurredAt() == null ? at : r.occurredAt();
        } else if (event instanceof CaseResolved r) {
            change = HelpdeskChange.CASE_RESOLVED;
            text = "Case " + number + " was resolved" + (r.solution() == null || r.solution().isBlank() ? "" : ": " + r.solution());
        } else if (event instanceof CaseClosed r) {
            change = HelpdeskChange.CASE_CLOSED;
            text = "Case " + number + " was closed (" + r.status() + ")";
        } else if (event instanceof CaseReopened r) {
            change = HelpdeskChange.CASE_REOPENED;
            text = "Case " + number + " was reopened (" + r.status() + ")";
        } else {
            return new Outcome(null, event.getClass().getSimpleName() + " ignored");
        }
        Applied applied = changes.applyHelpdeskChange(integrationId, event.eventId(), event.caseRef().id(), change,
                author, text, at, callback);
        if (applied == Applied.APPLIED) {
            conversations.conversationByCase(integrationId, event.caseRef().id())
                    .ifPresent(c -> conversationChanged.accept(c.conversationId()));
            if (callback && change.callbackEvent() != null) {
                callbacksQueued.run();
            }
        }
        return new Outcome(applied, change.transcriptType() + " " + applied.name().toLowerCase(java.util.Locale.ROOT));
    }

    @Override
    public void close() {
        worker.close();
    }
}
