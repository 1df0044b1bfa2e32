package com.helpdeskconnect.zendesk.cases;

import com.fasterxml.jackson.databind.JsonNode;
import com.helpdeskconnect.api.cases.Activity;
import com.helpdeskconnect.zendesk.http.ZendeskClient;
import com.helpdeskconnect.zendesk.state.Ledger;
import java.util.List;
import java.util.Map;
import java.util.HashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finding our own write after its answer was lost. Zendesk takes no idempotency key on ticket
 * updates, but it keeps the writer's {@code User-Agent} as each comment's
 * {@code metadata.system.client} (recorded real answers in the reference, §3). Every update we
 * send carries a marker there, derived from what it writes; a retry looks for it among the
 * ticket's newest comments before writing again.
 */
final class Markers {
    private static final String PREFIX = "hc-op ";
    private static final Pattern IN_CLIENT = Pattern.compile("\\((hc-op [0-9a-f]{16}(?:-[0-9]+)?)\\)");

    private Markers() {}

    /** The marker of one comment holding {@code batch} (the first message's id and the count). */
    static String activities(String conversationId, List<Activity> batch) {
        return PREFIX + Ledger.sha256(conversationId + "\n" + batch.get(0).externalId()).substring(0, 16)
                + "-" + batch.size();
    }

    /** The marker of one operation (a handoff, a resolve), from its idempotency key. */
    static String operation(String idempotencyKey) {
        return PREFIX + Ledger.sha256(idempotencyKey).substring(0, 16);
    }

    /** Markers of the ticket's newest comments (up to 100), each with its comment id. */
    static Map<String, Long> recent(ZendeskClient client, long ticketId) {
        JsonNode page = client.get("tickets/" + ticketId + "/comments",
                Map.of("sort_order", "desc", "page[size]", "100"));
        Map<String, Long> found = new HashMap<>();
        for (JsonNode comment : page.path("comments")) {
            Matcher m = IN_CLIENT.matcher(comment.path("metadata").path("system").path("client").asText(""));
            if (m.find()) {
                found.putIfAbsent(m.group(1), comment.path("id").asLong());
            }
        }
        return found;
    }
}
