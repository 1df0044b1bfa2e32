package com.helpdeskconnect.testkit;

import com.helpdeskconnect.api.HelpdeskConnector;
import com.helpdeskconnect.api.cases.CaseRef;
import com.helpdeskconnect.api.cases.FieldValues;
import com.helpdeskconnect.api.net.OutboundPolicy;
import com.helpdeskconnect.api.settings.Settings;
import com.helpdeskconnect.api.webhook.WebhookRequest;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a plugin gives the contract suite: its connector, and a double of its helpdesk (a sandbox,
 * an in-memory fake) that the suite can inspect and drive. One fixture serves one test class; it
 * is closed after the class. The suite may call it from several threads at once (the concurrency
 * check), so its read-back methods must be thread-safe.
 *
 * <p>Only the abstract methods are required. A default that throws {@link UnsupportedOperationException}
 * (or returns "cannot") makes the checks that need it skip with a reason naming the method; checks of
 * a capability the connector does not declare never ask for it.
 */
public interface ConnectorFixture extends AutoCloseable {

    // ---- the connector and its settings ----

    /** The connector under test, created as the host would (once per class). */
    HelpdeskConnector connector();

    /** Raw settings that work against the double. */
    Settings validSettings();

    /** {@link #validSettings()} with a wrong client secret (or whatever the helpdesk's credential is). */
    Settings wrongCredentialSettings();

    /**
     * Secret values beyond the secret settings that must never be logged: tokens the double issued,
     * for example. Asked for after the other tests ran.
     */
    default Set<String> otherSecrets() {
        return Set.of();
    }

    /**
     * Where connections opened by the suite may connect. The default permits loopback addresses
     * only (sandboxes on random local ports); override it if the double lives elsewhere.
     */
    default OutboundPolicy outboundPolicy() {
        return ContractOutboundPolicies.loopbackOnly();
    }

    /**
     * The webhook URL the suite gives the connection of {@code integrationId}
     * ({@code IntegrationContext.webhookUrl()}). Override it when the connector registers its webhook
     * in the helpdesk and the double must deliver to a receiver of the fixture.
     */
    default URI webhookUrl(String integrationId) {
        return URI.create("http://127.0.0.1:9/api/v1/webhooks/" + integrationId);
    }

    // ---- reading the helpdesk back ----

    /** How many cases in the double have this subject (the suite makes subjects unique). */
    int countCasesWithSubject(String subject);

    /** The case's activities as the helpdesk shows them, oldest first. */
    List<BackendActivity> activities(CaseRef caseRef);

    /** Whether the double holds the case as resolved (or closed). */
    boolean isResolved(CaseRef caseRef);

    // ---- fields (asked only when the connector declares FILL_FIELDS) ----

    /** A valid value for at least one fillable field. */
    default FieldValues validFieldValues() {
        throw new UnsupportedOperationException("validFieldValues");
    }

    /** Values for real fields that the helpdesk would not accept (a lookup value that does not exist). */
    default FieldValues invalidFieldValues() {
        throw new UnsupportedOperationException("invalidFieldValues");
    }

    /** The value the double holds for a field written by fillFields, as display text. */
    default Optional<String> fieldValue(CaseRef caseRef, String field) {
        throw new UnsupportedOperationException("fieldValue");
    }

    // ---- assignment (asked only when the connector declares ASSIGN) ----

    /**
     * At least two different assignments that exist in the double (an agent and a group the agent
     * belongs to, where the helpdesk requires that). The suite puts the first on a case draft and
     * hands the case over to the second.
     */
    default List<Assignment> validAssignments() {
        throw new UnsupportedOperationException("validAssignments");
    }

    /** The owner and group the double holds for the case. */
    default Assignment assignment(CaseRef caseRef) {
        throw new UnsupportedOperationException("assignment");
    }

    // ---- closure codes (asked only when the connector declares RESOLVE) ----

    /** A closure code the helpdesk knows (as {@code Resolution.closureCode} takes it); empty if it has none. */
    default Optional<String> validClosureCode() {
        return Optional.empty();
    }

    /** The closure code the double holds for the case, in the form {@link #validClosureCode()} gave it. */
    default Optional<String> closureCode(CaseRef caseRef) {
        throw new UnsupportedOperationException("closureCode");
    }

    // ---- agents and webhooks (asked only when the connector declares WEBHOOKS) ----

    /** An agent replies publicly on the case in the helpdesk. */
    default void agentReplies(CaseRef caseRef, String text) {
        throw new UnsupportedOperationException("agentReplies");
    }

    /** An agent adds an internal (agents-only) note to the case in the helpdesk. */
    default void agentAddsInternalNote(CaseRef caseRef, String text) {
        throw new UnsupportedOperationException("agentAddsInternalNote");
    }

    /** An agent closes (or resolves) the case in the helpdesk. */
    default void agentCloses(CaseRef caseRef) {
        throw new UnsupportedOperationException("agentCloses");
    }

    /**
     * The webhook calls the helpdesk made about the case since the last call of this method,
     * including those caused by the connector's own writes, after waiting for in-flight ones. Each
     * carries the exact bytes and headers the helpdesk sent, and its arrival time as {@code receivedAt}.
     */
    default List<WebhookRequest> takeWebhooks(CaseRef caseRef) {
        throw new UnsupportedOperationException("takeWebhooks");
    }

    /**
     * The same call as the helpdesk would have sent it at {@code sentAt}: the same body, headers
     * signed for that time, and {@code receivedAt = sentAt}. The default only moves
     * {@code receivedAt}, which is right for helpdesks whose signature carries no time (a shared
     * secret header); a helpdesk that signs a timestamp must re-sign here.
     */
    default WebhookRequest resignedAt(WebhookRequest genuine, Instant sentAt) {
        return new WebhookRequest(genuine.headers(), genuine.query(), genuine.body(), sentAt);
    }

    /**
     * Whether the helpdesk signs the body (an HMAC over it), so a call whose body was altered must
     * fail authentication. False for a shared secret in a header; the altered-body check then skips.
     */
    default boolean webhookSignsBody() {
        return false;
    }

    // ---- failures ----

    /** The failures the double can produce; checks needing another one are skipped. */
    default Set<InjectedFailure> injectableFailures() {
        return Set.of();
    }

    /**
     * Makes the double fail its next {@code count} requests with {@code failure} (never
     * {@link InjectedFailure#LOSE_ANSWER}). Only called for a failure in {@link #injectableFailures()}.
     */
    default void injectFailure(InjectedFailure failure, int count) {
        throw new UnsupportedOperationException("injectFailure");
    }

    /**
     * Makes the double carry out the next request that makes {@code write}'s change and then drop
     * the connection (or otherwise lose the answer), so the connector sees an I/O failure after the
     * change landed. Only called when {@link #injectableFailures()} holds {@link InjectedFailure#LOSE_ANSWER}.
     */
    default void loseNextAnswer(WriteOperation write) {
        throw new UnsupportedOperationException("loseNextAnswer");
    }

    /** Removes failures injected and not yet consumed. */
    default void clearFailures() {}

    /** Stops whatever the fixture started. */
    @Override
    default void close() {}
}
