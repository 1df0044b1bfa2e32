package com.helpdeskconnect.zendesk.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.helpdeskconnect.api.state.ConnectorState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the connection remembers in the host's durable {@link ConnectorState}, with one method per
 * fact so the key layout lives in one place:
 *
 * <table>
 *   <tr><th>key</th><th>value</th><th>why</th></tr>
 *   <tr><td>{@code case:<conversation>}</td><td>ticket id</td><td>one ticket per conversation, also
 *       after a lost answer or a restart; moves to the follow-up ticket</td></tr>
 *   <tr><td>{@code ticket:<id>}</td><td>{@code {"c":conversation,"r":requester}}</td><td>webhooks: is the
 *       ticket ours, which conversation; the requester authors customer messages</td></tr>
 *   <tr><td>{@code act:<conversation>:<externalId>}</td><td>comment id</td><td>each message once</td></tr>
 *   <tr><td>{@code comment:<id>}</td><td>{@code 1}</td><td>echo ledger: our comments are no agent replies</td></tr>
 *   <tr><td>{@code followup:<closed id>}</td><td>ticket id</td><td>a closed ticket's one follow-up</td></tr>
 *   <tr><td>{@code op:<hash of idempotency key>}</td><td>comment id or {@code done}</td><td>handoff and
 *       resolve once per operation</td></tr>
 *   <tr><td>{@code resolved:<id>}</td><td>status</td><td>resolving a resolved ticket changes nothing</td></tr>
 *   <tr><td>{@code reopen:<id>}</td><td>{@code 1}</td><td>a reopen still owed after its comment landed</td></tr>
 *   <tr><td>{@code seen:<id>}</td><td>audit id</td><td>webhook watermark</td></tr>
 *   <tr><td>{@code me:<email>}</td><td>user id</td><td>the integration user, without asking Zendesk</td></tr>
 * </table>
 *
 * Keys longer than the state allows are hashed (SHA-256) after their prefix.
 */
public final class Ledger {
    private final ConnectorState state;
    private final ObjectMapper json;

    public Ledger(ConnectorState state, ObjectMapper json) {
        this.state = state;
        this.json = json;
    }

    /** What the connection knows about one of its tickets. */
    public record TicketInfo(String conversationId, long requesterId) {}

    public OptionalLong caseTicket(String conversationId) {
        return number(key("case", conversationId));
    }

    /** Records a new ticket for a conversation (the first, or the follow-up that replaces it). */
    public void recordTicket(String conversationId, long ticketId, long requesterId) {
        state.put(key("ticket", Long.toString(ticketId)),
                json.createObjectNode().put("c", conversationId).put("r", requesterId).toString());
        state.put(key("case", conversationId), Long.toString(ticketId));
    }

    public Optional<TicketInfo> ticket(long ticketId) {
        return state.get(key("ticket", Long.toString(ticketId))).flatMap(value -> {
            try {
                JsonNode node = json.readTree(value);
                return Optional.of(new TicketInfo(node.path("c").asText(), node.path("r").asLong()));
            } catch (IOException e) {
                return Optional.empty();
            }
        });
    }

    public boolean activityWritten(String conversationId, String externalId) {
        return state.get(key("act", conversationId + ":" + externalId)).isPresent();
    }

    public void recordActivity(String conversationId, String externalId, long commentId) {
        state.put(key("act", conversationId + ":" + externalId), Long.toString(commentId));
    }

    public void recordOwnComment(long commentId) {
        state.put(key("comment", Long.toString(commentId)), "1");
    }

    public boolean isOwnComment(long commentId) {
        return state.get(key("comment", Long.toString(commentId))).isPresent();
    }

    public OptionalLong followUp(long closedTicketId) {
        return number(key("followup", Long.toString(closedTicketId)));
    }

    public void recordFollowUp(long closedTicketId, long followUpId) {
        state.put(key("followup", Long.toString(closedTicketId)), Long.toString(followUpId));
    }

    public Optional<String> operation(String idempotencyKey) {
        return state.get("op:" + sha256(idempotencyKey));
    }

    public void recordOperation(String idempotencyKey, String outcome) {
        state.put("op:" + sha256(idempotencyKey), outcome);
    }

    public Optional<String> resolvedStatus(long ticketId) {
        return state.get(key("resolved", Long.toString(ticketId)));
    }

    public void recordResolved(long ticketId, String status) {
        state.put(key("resolved", Long.toString(ticketId)), status);
    }

    public void clearResolved(long ticketId) {
        state.remove(key("resolved", Long.toString(ticketId)));
    }

    public boolean reopenOwed(long ticketId) {
        return state.get(key("reopen", Long.toString(ticketId))).isPresent();
    }

    public void owesReopen(long ticketId, boolean owed) {
        if (owed) {
            state.put(key("reopen", Long.toString(ticketId)), "1");
        } else {
            state.remove(key("reopen", Long.toString(ticketId)));
        }
    }

    public long seenAudit(long ticketId) {
        return number(key("seen", Long.toString(ticketId))).orElse(0L);
    }

    public void recordSeenAudit(long ticketId, long auditId) {
        state.put(key("seen", Long.toString(ticketId)), Long.toString(auditId));
    }

    public OptionalLong me(String email) {
        return number(key("me", email.toLowerCase(java.util.Locale.ROOT)));
    }

    public void recordMe(String email, long userId) {
        state.put(key("me", email.toLowerCase(java.util.Locale.ROOT)), Long.toString(userId));
    }

    private OptionalLong number(String key) {
        Optional<String> value = state.get(key);
        if (value.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(value.get()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    static String key(String prefix, String id) {
        String key = prefix + ":" + id;
        return key.length() <= ConnectorState.MAX_KEY_LENGTH ? key : prefix + ":#" + sha256(id);
    }

    /** Hex SHA-256 of a text: stable short ids for markers and long keys. */
    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
