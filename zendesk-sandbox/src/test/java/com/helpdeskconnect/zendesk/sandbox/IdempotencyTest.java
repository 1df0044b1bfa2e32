package com.helpdeskconnect.zendesk.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.helpdeskconnect.zendesk.sandbox.faults.FaultRule;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class IdempotencyTest {
    private static final String BODY = "{\"ticket\":{\"subject\":\"Chat\",\"comment\":{\"body\":\"hi\"},"
            + "\"external_id\":\"conv-9\",\"requester\":{\"name\":\"Eve\",\"email\":\"eve@example.com\"}}}";

    @RegisterExtension
    static ZendeskSandboxExtension zendesk = new ZendeskSandboxExtension();

    private Zendesk api;

    @BeforeEach
    void setUp() {
        zendesk.reset();
        api = new Zendesk(zendesk.sandbox());
    }

    @Test
    void theSameKeyAndBodyReplaysTheFirstAnswerAsAHit() {
        Http.Response first = api.createWithKey("conv-9", BODY);
        Http.Response second = api.createWithKey("conv-9", BODY);

        assertThat(first.status()).isEqualTo(201);
        assertThat(first.header("x-idempotency-lookup")).isEqualTo("miss");
        assertThat(second.status()).isEqualTo(201);
        assertThat(second.header("x-idempotency-lookup")).isEqualTo("hit");
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(zendesk.inspect().tickets()).hasSize(1);
    }

    @Test
    void theSameKeyWithAnotherBodyIsAnIdempotentRequestError() {
        api.createWithKey("conv-9", BODY);
        Http.Response other = api.createWithKey("conv-9", BODY.replace("hi", "hello"));

        assertThat(other.status()).isEqualTo(400);
        assertThat(other.json().path("error").asText()).isEqualTo("IdempotentRequestError");
        assertThat(other.json().path("description").asText())
                .isEqualTo("Request parameters don't match the given idempotency key");
        assertThat(zendesk.inspect().tickets()).hasSize(1);
    }

    @Test
    void aKeyExpiresAfterTwoHoursAndThenCreatesADuplicate() {
        api.createWithKey("conv-9", BODY);
        zendesk.advanceClock(Duration.ofMinutes(119));
        assertThat(api.createWithKey("conv-9", BODY).header("x-idempotency-lookup")).isEqualTo("hit");

        zendesk.advanceClock(Duration.ofMinutes(1));
        Http.Response late = api.createWithKey("conv-9", BODY);

        assertThat(late.header("x-idempotency-lookup")).isEqualTo("miss");
        assertThat(zendesk.inspect().ticketsByExternalId("conv-9")).hasSize(2);
    }

    @Test
    void withoutAKeyEveryCreateIsANewTicketAndNoLookupHeader() {
        Http.Response first = api.post("/tickets", BODY);
        api.post("/tickets", BODY);

        assertThat(first.header("x-idempotency-lookup")).isNull();
        assertThat(zendesk.inspect().tickets()).hasSize(2);
    }

    @Test
    void aLostAnswerIsRecoveredByRetryingWithTheSameKey() {
        zendesk.faults().add(FaultRule.on("POST", "/api/v2/tickets").loseAnswer().times(1));

        assertThatThrownBy(() -> api.createWithKey("conv-9", BODY)).isInstanceOf(UncheckedIOException.class);
        assertThat(zendesk.inspect().tickets()).hasSize(1);
        Http.Response retry = api.createWithKey("conv-9", BODY);

        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.header("x-idempotency-lookup")).isEqualTo("hit");
        assertThat(retry.json().path("ticket").path("id").asLong())
                .isEqualTo(zendesk.inspect().tickets().get(0).id());
        assertThat(zendesk.inspect().tickets()).hasSize(1);
    }
}
