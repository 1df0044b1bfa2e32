package com.helpdeskconnect.host.twoway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static com.helpdeskconnect.host.testing.SampleData.event;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.helpdeskconnect.host.Host;
import com.helpdeskconnect.host.config.HostConfig;
import com.helpdeskconnect.host.testing.Api;
import com.helpdeskconnect.host.testing.HostFixture;
import com.helpdeskconnect.host.testing.Journal;
import com.helpdeskconnect.host.testing.TestPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two hosts on one PostgreSQL database, as behind a load balancer: whichever host a request reaches,
 * events sync once and in order, webhooks apply, callbacks go out once, live streams show entries the
 * other host wrote, chat links and API keys work, and a revoked key stops working on both. The hosts
 * share what docs/deployment.md says they must: the database, the key file (and keyset beside it) and
 * the admin token. Skipped where no PostgreSQL can be had.
 */
class SharedDatabaseTest {
    static final String ADMIN_TOKEN = "hca_shared-admin-token-for-both-hosts";

    @TempDir
    Path dir;
    TestPostgres.Database pg;
    HostFixture a;
    HostFixture b;
    CallbackReceiver receiver;
    final HttpClient http = HttpClient.newHttpClient();

    UnaryOperator<HostConfig> shared(TestPostgres.Database database, Path keyFile) {
        return c -> c.withDatabase(database.settings()).withKeyFile(keyFile).withAdminToken(ADMIN_TOKEN);
    }

    @BeforeEach
    void start() {
        pg = TestPostgres.database();
        Path keyFile = dir.resolve("shared").resolve("secret.key");
        a = HostFixture.start(dir.resolve("a"), shared(pg, keyFile));
        b = HostFixture.start(dir.resolve("b"), shared(pg, keyFile));
        receiver = new CallbackReceiver();
    }

    @AfterEach
    void stop() {
        if (receiver != null) {
            receiver.close();
        }
        for (HostFixture host : new HostFixture[] {b, a}) {
            if (host != null) {
                host.close();
            }
        }
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void aConversationWorksWhicheverHostEachRequestReaches() throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("connector", "fakedesk");
        body.put("settings", a.settings(Map.of("webhookSecret", "s3cret")));
        body.put("callbackUrl", receiver.url());
        assertThat(a.api.put("/api/v1/integrations/acme", body).status()).isEqualTo(200);

        // the customer's messages reach one host, then the other
        assertThat(a.api.post("/api/v1/conversations/c1/events", event("c1-m1", "customer_message", "I cannot log in")).status())
                .isEqualTo(202);
        assertThat(b.api.post("/api/v1/conversations/c1/events", event("c1-m2", "ai_reply", "Try resetting it")).status())
                .isEqualTo(202);
        assertThat(a.api.post("/api/v1/conversations/c1/events", event("c1-m3", "customer_message", "Did not help")).status())
                .isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> conversation(b, "c1").get("pending").isEmpty()
                && Journal.activityIds(a.journal).size() == 3);
        assertThat(Journal.activityIds(a.journal)).containsExactly("c1-m1", "c1-m2", "c1-m3");
        assertThat(Journal.of(a.journal, "CASE")).hasSize(1);

        // the widget got its chat link from host B and streams from host A
        Api.Response link = b.api.post("/api/v1/conversations/c1/chat-link", Map.of("integrationId", "acme"));
        assertThat(link.status()).as(link.text()).isEqualTo(201);
        String streamUrl = "http://127.0.0.1:" + a.port() + "/api/v1/conversations/c1/stream?token=" + link.json().get("token").asText();
        try (SseListener stream = new SseListener(streamUrl, null)) {
            stream.awaitEvents(3);
            // the helpdesk's webhook reaches host B; host A's stream shows the reply (its poll of the transcript)
            assertThat(webhook(b, "replied:case-1:On it").statusCode()).isEqualTo(202);
            stream.awaitEvents(4);
            assertThat(stream.data.get(3)).contains("\"type\":\"agent_reply\"").contains("On it");
            // a message accepted by host B shows up on host A's stream too
            assertThat(b.api.post("/api/v1/conversations/c1/events", event("c1-m4", "customer_message", "Thanks")).status())
                    .isEqualTo(202);
            stream.awaitEvents(5);
            assertThat(stream.ids).doesNotHaveDuplicates();
        }
        // the callback went out once, whichever host's sender had it
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.accepted().size() == 1);
        Thread.sleep(1000);
        assertThat(receiver.received).hasSize(1);
        assertThat(receiver.received.get(0).text()).contains("\"event\":\"agent_reply\"").contains("On it");
        assertThat(agentReplies(a, "c1")).isEqualTo(1);
        assertThat(agentReplies(b, "c1")).isEqualTo(1);
    }

    @Test
    void aKeyRevokedOnOneHostIsRefusedByTheOtherWithinItsCacheTime() {
        assertThat(a.putIntegration("acme", Map.of()).status()).isEqualTo(200);
        Api reader = b.api.as(a.api.createKey("widget", List.of("acme"), List.of("conversations:read")));
        assertThat(reader.get("/api/v1/conversations/none-yet?integrationId=acme").status()).isNotIn(401, 403);
        String id = StreamSupport.stream(a.api.get("/api/v1/api-keys").json().get("keys").spliterator(), false)
                .filter(k -> k.get("name").asText().equals("widget")).findFirst().orElseThrow().get("id").asText();
        assertThat(a.api.delete("/api/v1/api-keys/" + id).status()).isIn(200, 204);
        // host B cached the key as valid: it learns of the revocation within the cache time (2 s)
        await().atMost(Duration.ofSeconds(15)).until(() -> reader.get("/api/v1/conversations/none-yet?integrationId=acme").status() == 401);
    }

    @Test
    void aHostWithAnotherEncryptionKeyRefusesToStartOnTheSharedDatabase() {
        HostConfig other = HostConfig.defaults(dir.resolve("c").resolve("data"), a.config().pluginsDir())
                .withDatabase(pg.settings()).withKeyFile(dir.resolve("c").resolve("another.key")).withAdminToken(ADMIN_TOKEN);
        assertThatThrownBy(() -> Host.start(other).close())
                .hasMessageContaining("encryption key or keyset differs");
    }

    private static JsonNode conversation(HostFixture host, String id) {
        return host.api.get("/api/v1/conversations/" + id + "?integrationId=acme").json();
    }

    private static long agentReplies(HostFixture host, String conversation) {
        return StreamSupport.stream(conversation(host, conversation).get("transcript").spliterator(), false)
                .filter(e -> e.get("type").asText().equals("agent_reply")).count();
    }

    private HttpResponse<String> webhook(HostFixture host, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + host.port() + "/webhooks/acme"))
                        .header("X-Webhook-Secret", "s3cret").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
