package com.helpdeskconnect.zendesk.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.helpdeskconnect.zendesk.sandbox.model.SeedData;
import com.helpdeskconnect.zendesk.sandbox.model.Status;
import com.helpdeskconnect.zendesk.sandbox.webhooks.WebhookAttempt;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class WebhookTest {
    private static final String SECRET = "dGhpcyBpcyBub3QgYmFzZTY0LWRlY29kZWQ=";

    @RegisterExtension
    ZendeskSandboxExtension zendesk = new ZendeskSandboxExtension(b -> b.webhookRetryDelay(Duration.ofMillis(20)));

    private WebhookReceiver receiver;
    private Zendesk api;

    @BeforeEach
    void setUp() {
        receiver = new WebhookReceiver();
        zendesk.webhook(receiver.url(), SECRET);
        api = new Zendesk(zendesk.sandbox());
    }

    @AfterEach
    void tearDown() {
        receiver.close();
    }

    @Test
    void anAgentReplySendsTheTriggerBodySignedOverTimestampAndRawBody() throws Exception {
        long id = api.createTicket("w1");
        assertThat(receiver.poll(300)).as("creation does not fire the 'is updated' trigger").isNull();

        zendesk.agent().reply(id, "Hello from Alice");
        WebhookReceiver.Received hook = receiver.next();

        assertThat(hook.body()).isEqualTo("{\"ticket_id\":\"" + id + "\"}");
        String timestamp = hook.header("X-Zendesk-Webhook-Signature-Timestamp");
        assertThat(Duration.between(Instant.parse(timestamp), Instant.now()).abs()).isLessThan(Duration.ofMinutes(1));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update(timestamp.getBytes(StandardCharsets.UTF_8));
        String expected = Base64.getEncoder().encodeToString(mac.doFinal(hook.rawBody()));
        assertThat(hook.header("X-Zendesk-Webhook-Signature")).isEqualTo(expected);
        assertThat(hook.header("X-Zendesk-Webhook-Invocation-Id")).isNotBlank();
        assertThat(hook.header("X-Zendesk-Webhook-Id")).hasSize(26);
        assertThat(hook.header("Content-Type")).startsWith("application/json");
        assertThat(hook.header("User-Agent")).isEqualTo("Zendesk Webhook");
    }

    @Test
    void notesStatusChangesSolveAndCloseEachFire() throws Exception {
        long id = api.createTicket("w2");

        zendesk.agent().note(id, SeedData.BOB_EMAIL, "internal");
        zendesk.agent().changeStatus(id, Status.PENDING);
        zendesk.agent().solve(id);
        zendesk.agent().close(id);

        for (int i = 0; i < 4; i++) {
            assertThat(receiver.next().body()).contains(String.valueOf(id));
        }
    }

    @Test
    void theIntegrationsOwnApiUpdatesEchoUnlessTheTriggerExcludesThem() throws Exception {
        long id = api.createTicket("w3");
        api.put("/tickets/" + id, "{\"ticket\":{\"comment\":{\"body\":\"AI answer\"}}}");
        assertThat(receiver.next().body()).contains(String.valueOf(id));

        zendesk.webhooks().excludeUpdatesBy(SeedData.USER_INTEGRATION);
        api.put("/tickets/" + id, "{\"ticket\":{\"comment\":{\"body\":\"AI answer 2\"}}}");
        assertThat(receiver.poll(300)).isNull();

        zendesk.webhooks().onApiUpdates(false);
        zendesk.agent().reply(id, "agent still fires");
        assertThat(receiver.next()).isNotNull();
    }

    @Test
    void anInactiveOrUnwiredWebhookDeliversNothing() throws Exception {
        long id = api.createTicket("w4");
        zendesk.webhooks().active(false);
        zendesk.agent().reply(id, "nobody hears");
        assertThat(receiver.poll(300)).isNull();

        zendesk.webhooks().active(true);
        zendesk.webhook(null, SECRET);
        zendesk.agent().reply(id, "still nobody");
        assertThat(receiver.poll(300)).isNull();
        assertThat(zendesk.inspect().webhookDeliveries()).isEmpty();
    }

    @Test
    void a503WithShortRetryAfterIsRetriedWithTheSameInvocationId() throws Exception {
        long id = api.createTicket("w5");
        receiver.answerNext(503, "0");
        receiver.answerNext(409, null);

        zendesk.agent().reply(id, "retry me");
        WebhookReceiver.Received first = receiver.next();
        WebhookReceiver.Received second = receiver.next();
        WebhookReceiver.Received third = receiver.next();
        assertThat(zendesk.webhooks().awaitIdle(Duration.ofSeconds(15))).isTrue();

        String invocation = first.header("X-Zendesk-Webhook-Invocation-Id");
        assertThat(second.header("X-Zendesk-Webhook-Invocation-Id")).isEqualTo(invocation);
        assertThat(third.header("X-Zendesk-Webhook-Invocation-Id")).isEqualTo(invocation);
        List<WebhookAttempt> attempts = zendesk.inspect().webhookDeliveries();
        assertThat(attempts).extracting(WebhookAttempt::status).containsExactly(503, 409, 200);
        assertThat(attempts).extracting(WebhookAttempt::attempt).containsExactly(1, 2, 3);
    }

    @Test
    void otherFailuresAreNotRetried() throws Exception {
        long id = api.createTicket("w6");
        receiver.answerNext(500, null);

        zendesk.agent().reply(id, "once only");
        receiver.next();
        assertThat(zendesk.webhooks().awaitIdle(Duration.ofSeconds(15))).isTrue();

        assertThat(receiver.poll(200)).isNull();
        assertThat(zendesk.inspect().webhookDeliveries()).singleElement()
                .satisfies(a -> assertThat(a.retried()).isFalse());
    }

    @Test
    void anUnreachableReceiverIsRetriedFiveTimes() throws Exception {
        long id = api.createTicket("w7");
        receiver.close();

        zendesk.agent().reply(id, "anyone?");
        assertThat(zendesk.webhooks().awaitIdle(Duration.ofSeconds(10))).isTrue();

        assertThat(zendesk.inspect().webhookDeliveries()).hasSize(6).allSatisfy(a ->
                assertThat(a.error()).isNotNull());
    }
}
