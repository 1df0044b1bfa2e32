package com.helpdeskconnect.api;

import com.helpdeskconnect.api.cases.Activity;
import com.helpdeskconnect.api.cases.ActivityRef;
import com.helpdeskconnect.api.cases.CaseDraft;
import com.helpdeskconnect.api.cases.CaseRef;
import com.helpdeskconnect.api.cases.FieldDescriptor;
import com.helpdeskconnect.api.cases.FieldValues;
import com.helpdeskconnect.api.cases.FillResult;
import com.helpdeskconnect.api.cases.Handoff;
import com.helpdeskconnect.api.cases.Resolution;
import com.helpdeskconnect.api.errors.ConnectorException;
import com.helpdeskconnect.api.webhook.HelpdeskEvent;
import com.helpdeskconnect.api.webhook.WebhookRequest;
import java.util.List;
import org.pf4j.ExtensionPoint;

/**
 * A helpdesk connector: the one type a helpdesk plugin implements (as a PF4J {@code @Extension}).
 *
 * <h2>Lifecycle</h2>
 * <ol>
 *   <li>The host creates one instance when the plugin starts, and keeps it until the plugin stops;
 *       one instance serves every integration of this connector type.</li>
 *   <li>{@link #describe()} may be called at any time and must be cheap and constant.</li>
 *   <li>{@link #verify} runs when an admin saves an integration, before it is stored.</li>
 *   <li>The operations ({@link #createCase}, {@link #createCaseWithActivities}, {@link #appendActivity}, {@link #handOff}, {@link #resolve},
 *       {@link #fillFields}, {@link #describeFields}, {@link #onWebhook}) run concurrently, from
 *       many threads, for many integrations. Implementations must be thread-safe.</li>
 *   <li>{@link #release(String)} runs when an integration is changed or deleted; {@link #close()}
 *       once, when the plugin stops. No call follows {@code close()}.</li>
 * </ol>
 *
 * <h2>Retries and idempotency</h2>
 * The host delivers every operation at least once: after a timeout, a crash or a
 * {@link com.helpdeskconnect.api.errors.ConnectorException#retryable() retryable} error it calls
 * again with the same input. Each operation names its idempotency key; a repeated call with the
 * same key must leave the helpdesk as one call would have, and return the same result, also when
 * the first call's outcome was never seen by the host.
 *
 * <h2>Errors</h2>
 * Every failure is a {@link ConnectorException} subclass; the host acts on its
 * {@link ConnectorException#kind() kind} (retry, back off, park, tell the admin). Raw HTTP or I/O
 * exceptions must never escape, and no message may contain a secret setting or token.
 *
 * <h2>Optional operations</h2>
 * Operations beyond {@code createCase} are optional: their defaults throw
 * {@link UnsupportedOperationException}; a connector overrides the ones it lists in
 * {@link ConnectorDescriptor#capabilities()}.
 */
public interface HelpdeskConnector extends ExtensionPoint {

    /** Who this connector is and which settings it takes. Cheap, constant, callable any time. */
    ConnectorDescriptor describe();

    /**
     * Checks that the integration will work: credentials, reachability, permissions, and that the
     * ids in the settings exist. Makes the cheapest calls that prove it and writes nothing.
     *
     * @return success, or a failure whose message tells the admin what to fix
     * @throws ConnectorException only for retryable trouble (the helpdesk is down), never for a
     *                            problem the admin can fix: that is a failed result
     */
    VerificationResult verify(Integration integration);

    /**
     * Opens a case for a conversation.
     *
     * <p><b>Idempotency key:</b> {@link CaseDraft#conversationId()} within the integration. A second
     * call for the same conversation returns the first call's case and creates nothing.
     *
     * @return the case, with its helpdesk id, human number and web link
     */
    CaseRef createCase(Integration integration, CaseDraft draft);

    /**
     * Opens a case together with its first messages: the message that started the conversation,
     * or everything said before a handoff. The default calls {@link #createCase} and then
     * {@link #appendActivity} for each message, in order; connectors override it to save round
     * trips (one batch, for example).
     *
     * <p><b>Idempotency keys:</b> as {@link #createCase} for the case and {@link #appendActivity}
     * for each message: a repeated call opens nothing twice and appends nothing twice.
     *
     * @param firstActivities messages to append in this order; may be empty
     */
    default CaseRef createCaseWithActivities(Integration integration, CaseDraft draft, List<Activity> firstActivities) {
        CaseRef ref = createCase(integration, draft);
        for (Activity activity : firstActivities) {
            appendActivity(integration, ref, activity);
        }
        return ref;
    }

    /**
     * Appends a message (customer, AI, or a system note such as the handoff summary) to a case.
     * Calls for one case arrive in the order the messages were said; the helpdesk must show them
     * in that order.
     *
     * <p><b>Idempotency key:</b> {@link Activity#externalId()} within the case.
     */
    default ActivityRef appendActivity(Integration integration, CaseRef caseRef, Activity activity) {
        throw new UnsupportedOperationException("appendActivity");
    }

    /**
     * Resolves a case with a solution text and optional closure code.
     *
     * <p><b>Idempotency key:</b> the case: resolving a resolved case changes nothing.
     */
    default void resolve(Integration integration, CaseRef caseRef, Resolution resolution) {
        throw new UnsupportedOperationException("resolve");
    }

    /**
     * The case fields an AI may fill at handoff, with their types and allowed values.
     * Usually cached by the connector; the host shows it to the AI platform.
     */
    @Experimental(since = "1.0.0")
    default List<FieldDescriptor> describeFields(Integration integration) {
        throw new UnsupportedOperationException("describeFields");
    }

    /**
     * Writes AI-extracted values into the case's fields. Values whose field is unknown or whose
     * value the helpdesk would not accept are rejected one by one; the valid ones are written.
     *
     * <p><b>Idempotency key:</b> the case and the values: writing the same values again is harmless.
     *
     * @return which fields were written and, per rejected field, why not
     */
    default FillResult fillFields(Integration integration, CaseRef caseRef, FieldValues values) {
        throw new UnsupportedOperationException("fillFields");
    }

    /**
     * The AI hands the conversation to a human: appends the summary, assigns the owner and group
     * when given, and fills the AI-extracted fields. Called once per handoff, after the case exists.
     *
     * <p>The default appends the summary and fills the fields with two calls and cannot assign;
     * connectors override it to assign and to save round trips (one batch, for example).
     *
     * <p><b>Idempotency key:</b> the summary's {@link Activity#externalId()}; fields as in
     * {@link #fillFields}.
     *
     * @return what happened to the fields
     */
    default FillResult handOff(Integration integration, CaseRef caseRef, Handoff handoff) {
        appendActivity(integration, caseRef, handoff.summary());
        if (handoff.fields().isEmpty() || !describe().supports(Capability.FILL_FIELDS)) {
            return new FillResult(java.util.Set.of(), java.util.Map.of());
        }
        return fillFields(integration, caseRef, handoff.fields());
    }

    /**
     * Handles one call from the helpdesk: authenticates it, reads what it points at, and answers
     * with the agent-side events it means. Echoes of this connector's own writes (our activities,
     * our status changes) yield no event.
     *
     * <p><b>Idempotency key:</b> {@link HelpdeskEvent#eventId()}: the same helpdesk change always
     * yields the same event id, so the host can drop duplicates.
     *
     * @return the events, possibly none
     * @throws com.helpdeskconnect.api.errors.WebhookAuthenticationException when the call is not
     *         authenticated; the host answers 401 and stores nothing
     */
    default List<HelpdeskEvent> onWebhook(Integration integration, WebhookRequest request) {
        throw new UnsupportedOperationException("onWebhook");
    }

    /** Drops what the connector holds for an integration (tokens, caches): it changed or is gone. */
    default void release(String integrationId) {}

    /** Releases everything; called once when the plugin stops. */
    default void close() {}
}
