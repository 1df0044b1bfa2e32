package com.helpdeskconnect.zendesk.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.helpdeskconnect.zendesk.sandbox.model.SeedData;
import com.helpdeskconnect.zendesk.sandbox.model.Status;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The agent, inspection and control API under /_sandbox, as the demo and other processes use it. */
class SandboxApiTest {
    @RegisterExtension
    static ZendeskSandboxExtension zendesk = new ZendeskSandboxExtension();

    private Zendesk api;
    private String root;

    @BeforeEach
    void setUp() {
        zendesk.reset();
        api = new Zendesk(zendesk.sandbox());
        root = zendesk.sandbox().sandboxUrl();
    }

    @Test
    void agentsReplyNoteChangeStatusSolveAndCloseOverHttp() {
        long id = api.createTicket("s1");

        Http.Response reply = Http.post(root + "/agent/tickets/" + id + "/replies", null,
                "{\"body\":\"Hi, Bob here\",\"agent\":\"" + SeedData.BOB_EMAIL + "\",\"status\":\"pending\"}");
        Http.Response note = Http.post(root + "/agent/tickets/" + id + "/notes", null, "{\"body\":\"VIP\"}");
        Http.Response status = Http.post(root + "/agent/tickets/" + id + "/status", null, "{\"status\":\"hold\"}");

        assertThat(reply.status()).isEqualTo(201);
        assertThat(note.status()).isEqualTo(201);
        assertThat(status.status()).isEqualTo(204);
        JsonNode comments = api.get("/tickets/" + id + "/comments").json().path("comments");
        assertThat(comments.get(1).path("id").asLong()).isEqualTo(reply.json().path("comment_id").asLong());
        assertThat(comments.get(1).path("author_id").asLong()).isEqualTo(SeedData.USER_BOB);
        assertThat(comments.get(2).path("public").asBoolean()).isFalse();
        assertThat(comments.get(2).path("author_id").asLong()).isEqualTo(SeedData.USER_ALICE);
        assertThat(api.ticket(id).path("status").asText()).isEqualTo("hold");

        assertThat(Http.post(root + "/agent/tickets/" + id + "/solve", null, "").status()).isEqualTo(204);
        assertThat(Http.post(root + "/agent/tickets/" + id + "/close", null, "").status()).isEqualTo(204);
        assertThat(zendesk.inspect().ticket(id).orElseThrow().ticket().status()).isEqualTo(Status.CLOSED);
    }

    @Test
    void badAgentCallsAnswer400WithAReason() {
        long id = api.createTicket("s2");

        Http.Response unknownTicket = Http.post(root + "/agent/tickets/999/replies", null, "{\"body\":\"x\"}");
        Http.Response notSolved = Http.post(root + "/agent/tickets/" + id + "/close", null, "");
        Http.Response customer = Http.post(root + "/agent/tickets/" + id + "/replies", null,
                "{\"body\":\"x\",\"agent\":\"" + SeedData.CUSTOMER_EMAIL + "\"}");

        assertThat(unknownTicket.status()).isEqualTo(400);
        assertThat(unknownTicket.json().path("error").asText()).contains("999");
        assertThat(notSolved.status()).isEqualTo(400);
        assertThat(notSolved.json().path("error").asText()).contains("solved");
        assertThat(customer.status()).isEqualTo(400);
    }

    @Test
    void inspectionListsTicketsWithCommentsAndRequestCountsButNotItsOwnCalls() {
        long id = api.createTicket("s3");
        api.put("/tickets/" + id, "{\"ticket\":{\"comment\":{\"body\":\"second\"}}}");

        JsonNode tickets = Http.get(root + "/tickets", null).json();
        JsonNode counts = Http.get(root + "/requests", null).json();

        assertThat(tickets).hasSize(1);
        assertThat(tickets.get(0).path("comments")).hasSize(2);
        assertThat(counts.path("POST /api/v2/tickets").asInt()).isEqualTo(1);
        assertThat(counts.path("PUT /api/v2/tickets/{id}").asInt()).isEqualTo(1);
        assertThat(counts.toString()).doesNotContain("_sandbox");
    }

    @Test
    void theClockAdvancesOverHttp() {
        api.createWithKey("k", "{\"ticket\":{\"comment\":{\"body\":\"x\"}}}");
        assertThat(Http.post(root + "/clock/advance", null, "{\"seconds\":7200}").status()).isEqualTo(204);

        assertThat(api.createWithKey("k", "{\"ticket\":{\"comment\":{\"body\":\"x\"}}}")
                .header("x-idempotency-lookup")).isEqualTo("miss");
    }

    @Test
    void faultsAreAddedListedAndClearedOverHttp() {
        Http.Response added = Http.post(root + "/faults", null,
                "{\"method\":\"GET\",\"path\":\"/api/v2/users\",\"kind\":\"status\",\"status\":503,\"times\":1}");

        assertThat(added.status()).isEqualTo(201);
        assertThat(api.get("/users/me").status()).isEqualTo(503);
        assertThat(Http.get(root + "/faults", null).json().get(0).path("injected").asInt()).isEqualTo(1);
        assertThat(Http.send(Http.request(root + "/faults", null).DELETE()).status()).isEqualTo(204);
        assertThat(Http.get(root + "/faults", null).json()).isEmpty();
    }
}
