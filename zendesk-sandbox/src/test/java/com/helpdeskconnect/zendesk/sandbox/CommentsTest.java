package com.helpdeskconnect.zendesk.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.helpdeskconnect.zendesk.sandbox.model.SeedData;
import com.helpdeskconnect.zendesk.sandbox.model.Status;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CommentsTest {
    @RegisterExtension
    static ZendeskSandboxExtension zendesk = new ZendeskSandboxExtension();

    private Zendesk api;

    @BeforeEach
    void setUp() {
        zendesk.reset();
        api = new Zendesk(zendesk.sandbox());
    }

    @Test
    void anUpdateAddsACommentAndAnswersWithTheAuditAndItsCommentEvent() {
        long id = api.createTicket("c1");
        long requester = api.ticket(id).path("requester_id").asLong();

        Http.Response updated = api.put("/tickets/" + id + ".json", "{\"ticket\":{\"comment\":{\"body\":"
                + "\"Customer: my order is late\",\"public\":true,\"author_id\":" + requester + "},"
                + "\"priority\":\"urgent\"}}");

        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().path("ticket").path("priority").asText()).isEqualTo("urgent");
        JsonNode audit = updated.json().path("audit");
        assertThat(audit.path("author_id").asLong()).isEqualTo(SeedData.USER_INTEGRATION);
        assertThat(audit.path("metadata").path("system").path("client").asText())
                .isEqualTo("helpdesk-connect-tests/1.0");
        JsonNode comment = audit.path("events").get(0);
        assertThat(comment.path("type").asText()).isEqualTo("Comment");
        assertThat(comment.path("author_id").asLong()).isEqualTo(requester);
        JsonNode change = audit.path("events").get(1);
        assertThat(change.path("type").asText()).isEqualTo("Change");
        assertThat(change.path("field_name").asText()).isEqualTo("priority");
        assertThat(change.path("value").asText()).isEqualTo("urgent");
        assertThat(change.path("previous_value").isNull()).isTrue();
    }

    @Test
    void commentsListInOrderWithAuthorVisibilityAndVia() {
        long id = api.createTicket("c2");
        api.put("/tickets/" + id, "{\"ticket\":{\"comment\":{\"body\":\"AI: try restarting\",\"public\":true}}}");
        api.put("/tickets/" + id, "{\"ticket\":{\"comment\":{\"html_body\":\"<p>Summary: <b>late</b></p>\","
                + "\"public\":false}}}");
        zendesk.agent().reply(id, SeedData.BOB_EMAIL, "Hi, Bob here");

        JsonNode comments = api.get("/tickets/" + id + "/comments.json").json().path("comments");

        assertThat(comments).hasSize(4);
        assertThat(comments.get(1).path("body").asText()).isEqualTo("AI: try restarting");
        assertThat(comments.get(1).path("public").asBoolean()).isTrue();
        assertThat(comments.get(2).path("public").asBoolean()).isFalse();
        assertThat(comments.get(2).path("plain_body").asText()).isEqualTo("Summary: late");
        assertThat(comments.get(3).path("author_id").asLong()).isEqualTo(SeedData.USER_BOB);
        assertThat(comments.get(3).path("via").path("channel").asText()).isEqualTo("web");
        assertThat(comments.get(1).path("via").path("channel").asText()).isEqualTo("api");
        assertThat(comments.get(3).path("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        JsonNode desc = api.get("/tickets/" + id + "/comments?sort_order=desc").json().path("comments");
        assertThat(desc.get(0).path("author_id").asLong()).isEqualTo(SeedData.USER_BOB);
    }

    @Test
    void commentsPaginateByCursor() {
        long id = api.createTicket("c3");
        for (int i = 0; i < 4; i++) {
            api.put("/tickets/" + id, "{\"ticket\":{\"comment\":{\"body\":\"m" + i + "\"}}}");
        }

        JsonNode page1 = api.get("/tickets/" + id + "/comments?page%5Bsize%5D=3").json();
        JsonNode page2 = api.get("/tickets/" + id + "/comments?page%5Bsize%5D=3&page%5Bafter%5D="
                + page1.path("meta").path("after_cursor").asText()).json();

        assertThat(page1.path("comments")).hasSize(3);
        assertThat(page1.path("meta").path("has_more").asBoolean()).isTrue();
        assertThat(page2.path("comments")).hasSize(2);
        assertThat(page2.path("meta").path("has_more").asBoolean()).isFalse();
    }

    @Test
    void solvingAssignsTheSolverAndARequesterReplyReopens() {
        long id = api.createTicket("c4");

        Http.Response solved = api.put("/tickets/" + id, "{\"ticket\":{\"status\":\"solved\",\"comment\":"
                + "{\"body\":\"Solution: restart\",\"public\":false}}}");
        assertThat(solved.json().path("ticket").path("status").asText()).isEqualTo("solved");
        assertThat(solved.json().path("ticket").path("assignee_id").asLong()).isEqualTo(SeedData.USER_INTEGRATION);

        zendesk.agent().customerReply(id, "Still broken");
        assertThat(api.ticket(id).path("status").asText()).isEqualTo("open");
    }

    @Test
    void aClosedTicketRefusesUpdatesWith422AndAFollowUpCarriesOn() {
        long id = api.createTicket("c5");
        zendesk.agent().solve(id);
        zendesk.agent().close(id);

        Http.Response refused = api.put("/tickets/" + id, "{\"ticket\":{\"comment\":{\"body\":\"more\"}}}");
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().path("error").asText()).isEqualTo("RecordInvalid");
        assertThat(refused.json().path("details").path("status").get(0).path("description").asText())
                .isEqualTo("Status: closed prevents ticket update");

        Http.Response followUp = api.post("/tickets", "{\"ticket\":{\"via_followup_source_id\":" + id
                + ",\"comment\":{\"body\":\"Back again\"},\"external_id\":\"c5\"}}");
        assertThat(followUp.status()).isEqualTo(201);
        JsonNode ticket = followUp.json().path("ticket");
        assertThat(ticket.path("via").path("source").path("rel").asText()).isEqualTo("follow_up");
        assertThat(ticket.path("via").path("source").path("from").path("ticket_id").asLong()).isEqualTo(id);
        assertThat(api.ticket(id).path("followup_ids").get(0).asLong()).isEqualTo(ticket.path("id").asLong());
        assertThat(api.ticket(id).path("status").asText()).isEqualTo(Status.CLOSED.wire());
    }

    @Test
    void followUpOfATicketThatIsNotClosedIsAPlainTicket() {
        long id = api.createTicket("c6");

        Http.Response created = api.post("/tickets", "{\"ticket\":{\"via_followup_source_id\":" + id
                + ",\"comment\":{\"body\":\"x\"}}}");

        assertThat(created.json().path("ticket").path("via").path("source").path("rel").isNull()).isTrue();
    }
}
