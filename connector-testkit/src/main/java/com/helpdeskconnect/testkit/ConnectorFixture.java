package com.helpdeskconnect.testkit;

import com.helpdeskconnect.api.HelpdeskConnector;
import com.helpdeskconnect.api.cases.CaseRef;
import com.helpdeskconnect.api.cases.FieldValues;
import com.helpdeskconnect.api.settings.Settings;
import com.helpdeskconnect.api.webhook.WebhookRequest;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a plugin gives the contract suite: its connector, and a double of its helpdesk (a sandbox,
 * an in-memory fake) that the suite can inspect and drive. One fixture serves one test class; it
 * is closed after the class.
 */
public interface ConnectorFixture extends AutoCloseable {

    /** The connector under test, created as the host would (once). */
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

    /** How many cases in the double have this subject (the suite makes subjects unique). */
    int countCasesWithSubject(String subject);

    /** The case's activities as the helpdesk shows them, oldest first. */
    List<BackendActivity> activities(CaseRef caseRef);

    /** Whether the double holds the case as resolved (or closed). */
    boolean isResolved(CaseRef caseRef);

    /** A valid value for at least one fillable field. Only asked when the connector can fill fields. */
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

    /** An agent replies on the case in the helpdesk. Only asked when the connector takes webhooks. */
    default void agentReplies(CaseRef caseRef, String text) {
        throw new UnsupportedOperationException("agentReplies");
    }

    /** An agent closes (or resolves) the case in the helpdesk. */
    default void agentCloses(CaseRef caseRef) {
        throw new UnsupportedOperationException("agentCloses");
    }

    /**
     * The webhook calls the helpdesk made about the case since the last call of this method,
     * including those caused by the connector's own writes, after waiting for in-flight ones.
     */
    default List<WebhookRequest> takeWebhooks(CaseRef caseRef) {
        throw new UnsupportedOperationException("takeWebhooks");
    }

    /** Makes the double fail its next {@code count} requests; false if the double cannot. */
    default boolean injectFailure(InjectedFailure failure, int count) {
        return false;
    }

    /** Removes failures injected and not yet consumed. */
    default void clearFailures() {}

    /** Stops whatever the fixture started. */
    @Override
    default void close() {}
}
