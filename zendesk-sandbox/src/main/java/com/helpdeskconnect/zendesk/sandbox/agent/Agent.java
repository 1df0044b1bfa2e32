package com.helpdeskconnect.zendesk.sandbox.agent;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.helpdeskconnect.zendesk.sandbox.api.ZendeskError;
import com.helpdeskconnect.zendesk.sandbox.model.Actor;
import com.helpdeskconnect.zendesk.sandbox.model.Desk;
import com.helpdeskconnect.zendesk.sandbox.model.Role;
import com.helpdeskconnect.zendesk.sandbox.model.SeedData;
import com.helpdeskconnect.zendesk.sandbox.model.Status;
import com.helpdeskconnect.zendesk.sandbox.model.Ticket;
import com.helpdeskconnect.zendesk.sandbox.model.User;
import com.helpdeskconnect.zendesk.sandbox.model.WriteResult;
import java.time.Instant;
import java.util.List;

/**
 * Support agents working in Zendesk's agent UI, and the customer answering by mail: writes go
 * through the same rules as API writes (channel {@code web} or {@code email}), so the trigger
 * fires exactly as for an agent's own submits. Agents are named by email; methods without one act
 * as Alice ({@link SeedData#ALICE_EMAIL}).
 *
 * @throws IllegalArgumentException from every method when the ticket or agent does not exist or
 *     Zendesk would refuse the write (the message says why)
 */
public final class Agent {
    /** The user automations act as ({@code author_id} -1 in Zendesk's audits). */
    public static final User ZENDESK_SYSTEM = new User(-1, "Zendesk", null, Role.ADMIN, List.of(), null, null,
            Instant.EPOCH);
    private static final String CLIENT = "Zendesk Agent Workspace";

    private final Desk desk;

    public Agent(Desk desk) {
        this.desk = desk;
    }

    /** A public reply by Alice. @return the comment's id */
    public long reply(long ticketId, String text) {
        return reply(ticketId, SeedData.ALICE_EMAIL, text);
    }

    /** A public reply: the requester sees it (and Zendesk would email it). @return the comment's id */
    public long reply(long ticketId, String agentEmail, String text) {
        return comment(ticketId, agentEmail, text, true, null);
    }

    /** A public reply that also sets the status ("Submit as Pending"). @return the comment's id */
    public long reply(long ticketId, String agentEmail, String text, Status status) {
        return comment(ticketId, agentEmail, text, true, status);
    }

    /** An internal note by Alice. @return the comment's id */
    public long note(long ticketId, String text) {
        return note(ticketId, SeedData.ALICE_EMAIL, text);
    }

    /** An internal note: agents see it, the requester does not. @return the comment's id */
    public long note(long ticketId, String agentEmail, String text) {
        return comment(ticketId, agentEmail, text, false, null);
    }

    public void changeStatus(long ticketId, Status status) {
        changeStatus(ticketId, SeedData.ALICE_EMAIL, status);
    }

    /** Sets the status alone ("Submit as …" without a comment); closed is not an agent's choice: {@link #close}. */
    public void changeStatus(long ticketId, String agentEmail, Status status) {
        if (status == Status.CLOSED || status == Status.NEW) {
            throw new IllegalArgumentException("Agents cannot set a ticket to " + status.wire()
                    + (status == Status.CLOSED ? "; close() runs the close automation" : ""));
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("status", status.wire());
        write(ticketId, body, staff(agentEmail), Actor.WEB);
    }

    public void solve(long ticketId) {
        solve(ticketId, SeedData.ALICE_EMAIL);
    }

    /** "Submit as Solved": an unassigned ticket is assigned to the solving agent. */
    public void solve(long ticketId, String agentEmail) {
        changeStatus(ticketId, agentEmail, Status.SOLVED);
    }

    /**
     * What the "Close ticket 4 days after status is set to solved" automation does, at once:
     * a solved ticket becomes closed, and refuses every update from then on.
     */
    public void close(long ticketId) {
        Ticket ticket = desk.ticket(ticketId).orElseThrow(() -> new IllegalArgumentException("No ticket " + ticketId));
        if (ticket.status() != Status.SOLVED) {
            throw new IllegalArgumentException("Ticket " + ticketId + " is " + ticket.status().wire()
                    + "; the close automation only closes solved tickets");
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("status", Status.CLOSED.wire());
        write(ticketId, body, ZENDESK_SYSTEM, "rule");
    }

    /**
     * The requester answers by mail: a public comment by the requester; a pending, on-hold or
     * solved ticket reopens. @return the comment's id
     */
    public long customerReply(long ticketId, String text) {
        Ticket ticket = desk.ticket(ticketId).orElseThrow(() -> new IllegalArgumentException("No ticket " + ticketId));
        User requester = desk.user(ticket.requesterId()).orElseThrow();
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putObject("comment").put("body", text).put("public", true);
        return write(ticketId, body, requester, Actor.EMAIL).audit().comment().orElseThrow().id();
    }

    private long comment(long ticketId, String agentEmail, String text, boolean isPublic, Status status) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("A comment needs text");
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putObject("comment").put("body", text).put("public", isPublic);
        if (status != null) {
            body.put("status", status.wire());
        }
        return write(ticketId, body, staff(agentEmail), Actor.WEB).audit().comment().orElseThrow().id();
    }

    private WriteResult write(long ticketId, ObjectNode body, User user, String channel) {
        try {
            return desk.update(ticketId, body, new Actor(user, channel, CLIENT));
        } catch (ZendeskError e) {
            throw new IllegalArgumentException(e.status() == 404 ? "No ticket " + ticketId
                    : e.getMessage() + (e.details() == null ? "" : " " + e.details()), e);
        }
    }

    private User staff(String email) {
        User user = desk.userByEmail(email).orElseThrow(() -> new IllegalArgumentException("No agent " + email));
        if (!user.isStaff()) {
            throw new IllegalArgumentException(email + " is not an agent");
        }
        return user;
    }
}
