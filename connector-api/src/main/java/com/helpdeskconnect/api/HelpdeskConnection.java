package com.helpdeskconnect.api;

import com.helpdeskconnect.api.cases.Activity;
import com.helpdeskconnect.api.cases.CaseDraft;
import com.helpdeskconnect.api.cases.CaseRef;
import com.helpdeskconnect.api.cases.FieldDescriptor;
import com.helpdeskconnect.api.cases.FieldValues;
import com.helpdeskconnect.api.cases.FillResult;
import com.helpdeskconnect.api.cases.Handoff;
import com.helpdeskconnect.api.cases.HandoffResult;
import com.helpdeskconnect.api.cases.Resolution;
import com.helpdeskconnect.api.errors.ConnectorException;
import com.helpdeskconnect.api.errors.WebhookAuthenticationException;
import com.helpdeskconnect.api.webhook.HelpdeskEvent;
import com.helpdeskconnect.api.webhook.WebhookRequest;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One integration's connection to its helpdesk, opened by {@link HelpdeskConnector#open}.
 *
 * <h2>Threads</h2>
 * The host calls a connection from many threads at once, for different conversations; calls for one
 * conversation never overlap and arrive in the order things were said. Implementations are thread-safe.
 *
 * <h2>Retries and idempotency</h2>
 * The host delivers every operation at least once: after a timeout, a crash or a
 * {@link ConnectorException#retryable() retryable} error it calls again with the same input and the
 * same {@link OperationContext#idempotencyKey()}, and a higher {@link OperationContext#attempt()}.
 * A repeated call must leave the helpdesk as one call would have, also when the first call's write
 * landed and its answer was lost. A helpdesk that chooses its own record ids cannot be asked "did
 * this already happen?" by our id: the connection records what it wrote in
 * {@link IntegrationContext#state()} (keyed by the idempotency key) as soon as the helpdesk answers,
 * and looks for its own marker in the helpdesk (a tag, an external id) when the answer was lost.
 *
 * <h2>Capabilities</h2>
 * Only {@link #createCase} and {@link #verify} are required. The host calls an optional operation
 * only when {@link ConnectorDescriptor#capabilities()} declares it; without it the host skips the
 * step and shows what it skipped on the conversation. The defaults throw
 * {@link UnsupportedOperationException}.
 *
 * <h2>Errors</h2>
 * Every failure is a {@link ConnectorException}; the host acts on its kind (retry, wait for a rate
 * limit, park, tell the admin). Raw HTTP or I/O exceptions must not escape, and no message may hold a
 * secret setting or token.
 *
 * @since 2.0.0
 */
public interface HelpdeskConnection extends AutoCloseable {

    /**
     * Checks that the integration will work: credentials, reachability, permissions, and that the ids
     * in the settings exist. Makes the cheapest calls that prove it and writes nothing.
     *
     * @return success, or a failure whose message tells the admin what to fix (naming the setting)
     * @throws ConnectorException only for retryable trouble (the helpdesk is down or rate-limits):
     *                            the host then says "try again", not "wrong settings"
     */
    VerificationResult verify();

    /**
     * Opens a case for a conversation with its first messages (the message that started it, or all
     * that was said before a handoff), in order.
     *
     * <p><b>Idempotency key:</b> the conversation ({@link OperationContext#conversationId()}): a
     * conversation has at most one case, so a repeated call returns the first call's case, creates
     * nothing and appends nothing twice (each activity keyed as in {@link #appendActivity}).
     *
     * @param firstActivities messages to put on the case in this order; may be empty
     * @return the case, with its helpdesk id, human number and web link
     */
    CaseRef createCase(OperationContext operation, CaseDraft draft, List<Activity> firstActivities);

    /**
     * Appends one message to a case. Capability {@link Capability#APPEND_ACTIVITY}.
     *
     * <p>A customer message on a resolved case must not go unseen: the connection reopens the case
     * (a status agents work on) or, where the helpdesk refuses changes to it (a closed ticket), opens a
     * follow-up case and returns it.
     *
     * <p><b>Idempotency key:</b> {@link Activity#externalId()} within the conversation.
     *
     * @return the case the message landed on: {@code caseRef}, or a follow-up case when the helpdesk
     *         no longer accepts messages on a closed one (the host then links the conversation to it)
     */
    default CaseRef appendActivity(OperationContext operation, CaseRef caseRef, Activity activity) {
        throw new UnsupportedOperationException("appendActivity");
    }

    /**
     * Appends messages that are due together, in order. Capability {@link Capability#APPEND_ACTIVITY}.
     * The default calls {@link #appendActivity} for each; override it to write them in one request.
     *
     * <p><b>Idempotency key:</b> each activity's {@link Activity#externalId()}.
     *
     * @return the case the last message landed on
     */
    default CaseRef appendActivities(OperationContext operation, CaseRef caseRef, List<Activity> activities) {
        CaseRef current = caseRef;
        for (Activity activity : activities) {
            current = appendActivity(operation, current, activity);
        }
        return current;
    }

    /**
     * The AI hands the conversation to a human: puts the summary on the case (usually
     * {@link com.helpdeskconnect.api.cases.Visibility#INTERNAL}), assigns the owner and group when
     * given and the connector declares {@link Capability#ASSIGN}, and fills the fields when it declares
     * {@link Capability#FILL_FIELDS}. Capability {@link Capability#HANDOFF}.
     *
     * <p><b>Idempotency key:</b> {@link OperationContext#idempotencyKey()} (the summary's external id
     * is the handoff event's id); fields as in {@link #fillFields}.
     *
     * @return what happened to the fields (empty when none were given)
     */
    default FillResult handOff(OperationContext operation, CaseRef caseRef, Handoff handoff) {
        throw new UnsupportedOperationException("handOff");
    }

    /**
     * Appends the messages that are due together with a handoff, then hands off, as one step: what
     * {@link #appendActivities} and then {@link #handOff} do, in that order. Capability
     * {@link Capability#HANDOFF}, and {@link Capability#APPEND_ACTIVITY} when {@code activities} is not
     * empty (the host passes an empty list otherwise).
     *
     * <p>The default does exactly that, in two calls, on the case the messages landed on. Override it
     * when the helpdesk can take the messages, the summary and the case update in one request (Creatio:
     * one {@code $batch}): the host sends an AI reply and the handoff right behind it this way, which
     * saves a round trip per handed-off conversation.
     *
     * <p><b>Order:</b> the messages in the given order, then the summary.
     *
     * <p><b>Idempotency key:</b> each activity's {@link Activity#externalId()}, and
     * {@link OperationContext#idempotencyKey()} (the handoff event's, whichever outbox row carries
     * the call) for the summary, assignment and fields, as in {@link #handOff}. A retry after a lost
     * answer may carry the same messages with a higher attempt, or messages an earlier call under
     * another key already wrote: each lands once.
     *
     * @param activities messages to append before the summary, in order; may be empty
     * @return the case everything landed on and what happened to the fields
     * @since 2.1.0
     */
    default HandoffResult appendAndHandOff(OperationContext operation, CaseRef caseRef, List<Activity> activities,
                                           Handoff handoff) {
        CaseRef landed = activities.isEmpty() ? caseRef : appendActivities(operation, caseRef, activities);
        CaseRef target = landed == null ? caseRef : landed;
        return new HandoffResult(target, handOff(operation, target, handoff));
    }

    /**
     * Resolves a case with a solution text and an optional closure code. Capability {@link Capability#RESOLVE}.
     *
     * <p><b>Idempotency key:</b> the case: resolving a resolved case changes nothing.
     */
    default void resolve(OperationContext operation, CaseRef caseRef, Resolution resolution) {
        throw new UnsupportedOperationException("resolve");
    }

    /**
     * The case fields an AI may fill, with their types and allowed values. Capability
     * {@link Capability#FILL_FIELDS}. Usually cached by the connection.
     */
    default List<FieldDescriptor> describeFields() {
        throw new UnsupportedOperationException("describeFields");
    }

    /**
     * Writes AI-extracted values into the case's fields. Capability {@link Capability#FILL_FIELDS}.
     * A value whose field is unknown or that the helpdesk would not accept is rejected on its own;
     * the valid ones are written.
     *
     * <p><b>Idempotency key:</b> the case and the values: writing the same values again is harmless.
     */
    default FillResult fillFields(OperationContext operation, CaseRef caseRef, FieldValues values) {
        throw new UnsupportedOperationException("fillFields");
    }

    /**
     * Authenticates a call to the integration's webhook URL, on arrival, over the exact bytes and all
     * headers, before anything is stored. Capability {@link Capability#WEBHOOKS}. Must not call the
     * helpdesk (it runs on the request thread) and must use {@link WebhookRequest#receivedAt()}, not
     * the clock, for replay windows.
     *
     * @throws WebhookAuthenticationException when the call is not the helpdesk's: the host answers 401
     *         and stores nothing
     */
    default void authenticateWebhook(WebhookRequest request) {
        throw new UnsupportedOperationException("authenticateWebhook");
    }

    /**
     * Reads an authenticated webhook call, possibly long after it arrived (it is never authenticated
     * again), and answers with the agent-side events it means. Echoes of this connection's own writes
     * yield no event. Capability {@link Capability#WEBHOOKS}.
     *
     * <p><b>Idempotency key:</b> {@link HelpdeskEvent#eventId()}: the same helpdesk change always yields
     * the same event id, so the host drops duplicates.
     *
     * @return the events, possibly none
     */
    default List<HelpdeskEvent> onWebhook(OperationContext operation, WebhookRequest request) {
        throw new UnsupportedOperationException("onWebhook");
    }

    /** Releases this integration's clients, tokens and caches. No call follows. */
    @Override
    default void close() {}

    /** A fill result for "nothing to fill". */
    static FillResult nothingFilled() {
        return new FillResult(Set.of(), Map.of());
    }
}
