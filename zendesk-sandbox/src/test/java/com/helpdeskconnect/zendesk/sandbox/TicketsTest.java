package com.helpdeskconnect.zendesk.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.helpdeskconnect.zendesk.sandbox.model.SeedData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TicketsTest {
    @RegisterExtension
    static ZendeskSandboxExtension zendesk = new ZendeskSandboxExtension();

    private Zendesk api;

    @BeforeEach
    void setUp() {
        zendesk.reset();
        api = new Zendesk(zendesk.sandbox());
    }

    @Test
    void createAnswers201WithLocationTicketAndAuditHoldingTheFirstCommentId() {
        Http.Response created = api.post("/tickets", "{\"ticket\":{\"subject\":\"Printer on fire\","
                + "\"comment\":{\"body\":\"It smokes\"},\"priority\":\"high\",\"type\":\"incident\","
                + "\"external_id\":\"conv-1\",\"tags\":[\"ai_chat\"],"
                + "\"requester\":{\"name\":\"Dana Doe\",\"email\":\"dana@example.com\"}}}");

        assertThat(created.status()).isEqualTo(201);
        JsonNode ticket = created.json().path("ticket");
        assertThat(created.header("Location")).isEqualTo(zendesk.apiUrl() + "/tickets/" + ticket.path("id").asLong()
                + ".json");
        assertThat(ticket.path("status").asText()).isEqualTo("new");
        assertThat(ticket.path("subject").asText()).isEqualTo("Printer on fire");
        assertThat(ticket.path("description").asText()).isEqualTo("It smokes");
        assertThat(ticket.path("priority").asText()).isEqualTo("high");
        assertThat(ticket.path("via").path("channel").asText()).isEqualTo("api");
        assertThat(ticket.path("submitter_id").asLong()).isEqualTo(SeedData.USER_INTEGRATION);
        JsonNode comment = created.json().path("audit").path("events").get(0);
        assertThat(comment.path("type").asText()).isEqualTo("Comment");
        assertThat(comment.path("author_id").asLong()).isEqualTo(SeedData.USER_INTEGRATION);
        assertThat(zendesk.inspect().ticket(ticket.path("id").asLong()).orElseThrow().comments().get(0).id())
                .isEqualTo(comment.path("id").asLong());
    }

    @Test
    void theRequesterIsCreatedFromNameAndEmailOnceThenFoundByEmail() {
        long first = api.createTicket("a");
        long second = api.createTicket("b");

        long requester = api.ticket(first).path("requester_id").asLong();
        assertThat(api.ticket(second).path("requester_id").asLong()).isEqualTo(requester);
        JsonNode found = api.get("/users/search.json?query=email:dana@example.com").json().path("users");
        assertThat(found).hasSize(1);
        assertThat(found.get(0).path("id").asLong()).isEqualTo(requester);
        assertThat(found.get(0).path("role").asText()).isEqualTo("end-user");
        assertThat(api.get("/users/" + requester).json().path("user").path("name").asText()).isEqualTo("Dana Doe");
    }

    @Test
    void externalIdIsNotUniqueAndListsEveryMatch() {
        api.createTicket("same");
        api.createTicket("same");
        api.createTicket("other");

        JsonNode tickets = api.get("/tickets.json?external_id=same").json();
        assertThat(tickets.path("tickets")).hasSize(2);
        assertThat(tickets.path("count").asInt()).isEqualTo(2);
        JsonNode search = api.get("/search.json?query=type:ticket%20external_id:same").json();
        assertThat(search.path("results")).hasSize(2);
        assertThat(search.path("results").get(0).path("result_type").asText()).isEqualTo("ticket");
    }

    @Test
    void aMissingTicketIsRecordNotFound() {
        Http.Response get = api.get("/tickets/999999.json");
        Http.Response put = api.put("/tickets/999999", "{\"ticket\":{\"status\":\"open\"}}");

        assertThat(get.status()).isEqualTo(404);
        assertThat(get.body()).isEqualTo("{\"error\":\"RecordNotFound\",\"description\":\"Not found\"}");
        assertThat(put.status()).isEqualTo(404);
        assertThat(api.get("/groups/1").status()).isEqualTo(404);
        assertThat(api.get("/users/1").status()).isEqualTo(404);
    }

    @Test
    void aTicketWithoutCommentIsRefusedAndCreatesNoRequester() {
        Http.Response response = api.post("/tickets", "{\"ticket\":{\"subject\":\"x\","
                + "\"requester\":{\"name\":\"Nobody\",\"email\":\"nobody@example.com\"}}}");

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.json().path("error").asText()).isEqualTo("RecordInvalid");
        assertThat(response.json().path("details").path("description").get(0).path("description").asText())
                .isEqualTo("Description: cannot be blank");
        assertThat(zendesk.inspect().userByEmail("nobody@example.com")).isEmpty();
    }

    @Test
    void aBodyWithoutTheTicketEnvelopeIsABadRequest() {
        Http.Response response = api.post("/tickets", "{\"subject\":\"x\",\"comment\":{\"body\":\"y\"}}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().has("error")).isTrue();
    }

    @Test
    void groupAndAssigneeAreCheckedAndAssigningOpensTheTicket() {
        long id = api.createTicket("g");

        Http.Response wrongGroup = api.put("/tickets/" + id, "{\"ticket\":{\"group_id\":42}}");
        Http.Response notMember = api.put("/tickets/" + id, "{\"ticket\":{\"group_id\":" + SeedData.GROUP_BILLING
                + ",\"assignee_id\":" + SeedData.USER_ALICE + "}}");
        Http.Response assigned = api.put("/tickets/" + id, "{\"ticket\":{\"group_id\":" + SeedData.GROUP_SUPPORT
                + ",\"assignee_id\":" + SeedData.USER_ALICE + "}}");

        assertThat(wrongGroup.status()).isEqualTo(422);
        assertThat(wrongGroup.json().path("details").has("group")).isTrue();
        assertThat(notMember.status()).isEqualTo(422);
        assertThat(assigned.status()).isEqualTo(200);
        assertThat(assigned.json().path("ticket").path("status").asText()).isEqualTo("open");
        assertThat(assigned.json().path("ticket").path("assignee_id").asLong()).isEqualTo(SeedData.USER_ALICE);
        assertThat(api.get("/groups/" + SeedData.GROUP_SUPPORT + ".json").json().path("group").path("name")
                .asText()).isEqualTo("Support");
        assertThat(api.get("/users/" + SeedData.USER_ALICE).json().path("user").path("role").asText())
                .isEqualTo("agent");
    }

    @Test
    void usersAreCreatedOnceByEmail() {
        Http.Response created = api.post("/users.json",
                "{\"user\":{\"name\":\"Finn\",\"email\":\"finn@example.com\"}}");
        Http.Response duplicate = api.post("/users",
                "{\"user\":{\"name\":\"Finn\",\"email\":\"FINN@example.com\"}}");
        Http.Response badRole = api.post("/users",
                "{\"user\":{\"name\":\"G\",\"email\":\"g@example.com\",\"role\":\"boss\"}}");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().path("user").path("role").asText()).isEqualTo("end-user");
        assertThat(duplicate.status()).isEqualTo(422);
        assertThat(duplicate.json().path("details").path("email").get(0).path("error").asText())
                .isEqualTo("DuplicateValue");
        assertThat(badRole.status()).isEqualTo(422);
    }

    @Test
    void unknownEndpointsAreInvalidEndpoint() {
        Http.Response response = api.get("/no_such_thing");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json().path("error").asText()).isEqualTo("InvalidEndpoint");
    }

    @Test
    void requestsAreCountedPerEndpointWithAndWithoutJsonSuffix() {
        long id = api.createTicket("c");
        api.get("/tickets/" + id);
        api.get("/tickets/" + id + ".json");

        assertThat(zendesk.inspect().requestCount("POST", "/api/v2/tickets")).isEqualTo(1);
        assertThat(zendesk.inspect().requestCount("GET", "/api/v2/tickets/{id}")).isEqualTo(2);
        assertThat(zendesk.inspect().totalRequests()).isEqualTo(3);
    }
}
