package com.helpdeskconnect.zendesk.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;

/** The calls a Zendesk connector makes, as the integration admin, against one sandbox. */
final class Zendesk {
    private final ZendeskSandbox sandbox;

    Zendesk(ZendeskSandbox sandbox) {
        this.sandbox = sandbox;
    }

    Http.Response get(String path) {
        return Http.get(sandbox.apiUrl() + path, sandbox.basicAuthorization());
    }

    Http.Response post(String path, String json) {
        return Http.post(sandbox.apiUrl() + path, sandbox.basicAuthorization(), json);
    }

    Http.Response put(String path, String json) {
        return Http.put(sandbox.apiUrl() + path, sandbox.basicAuthorization(), json);
    }

    Http.Response createWithKey(String key, String json) {
        return Http.send(Http.request(sandbox.apiUrl() + "/tickets.json", sandbox.basicAuthorization())
                .header("Idempotency-Key", key).POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** Creates a ticket for a new requester; returns its id. */
    long createTicket(String externalId) {
        Http.Response created = post("/tickets.json", "{\"ticket\":{\"subject\":\"Chat " + externalId
                + "\",\"comment\":{\"body\":\"Transcript start\"},\"external_id\":\"" + externalId
                + "\",\"requester\":{\"name\":\"Dana Doe\",\"email\":\"dana@example.com\"}}}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().path("ticket").path("id").asLong();
    }

    JsonNode ticket(long id) {
        return get("/tickets/" + id + ".json").json().path("ticket");
    }
}
