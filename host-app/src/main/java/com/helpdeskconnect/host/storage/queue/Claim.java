package com.helpdeskconnect.host.storage.queue;

import java.time.Instant;

/**
 * What every claimed row has, whichever queue it is in.
 *
 * @param conversationId the row's conversation, or {@code null} in a queue ordered per integration
 * @param attempts       failed attempts so far that count towards parking it
 * @param call           the number of this call: 1 for the first, higher for every later one (after a failure,
 *                       a rate limit or a crash); what a connector sees as {@code OperationContext.attempt}
 * @param firstAttemptAt when the first call started
 */
public record Claim(long id, String integrationId, String conversationId, int attempts, int call, Instant firstAttemptAt) {

    /** The rows of one key run one at a time and in order; different keys run in parallel. */
    public String key() {
        return orderKey(integrationId, conversationId);
    }

    /** The order key of a conversation ({@code conversationId} null: of an integration). */
    public static String orderKey(String integrationId, String conversationId) {
        return conversationId == null ? integrationId : integrationId + '\u0000' + conversationId;
    }
}
