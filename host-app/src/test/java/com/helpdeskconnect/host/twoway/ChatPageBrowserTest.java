package com.helpdeskconnect.host.twoway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.helpdeskconnect.host.e2e.CreatioPluginJar;
import com.helpdeskconnect.host.testing.Api;
import com.helpdeskconnect.host.testing.HostFixture;
import com.helpdeskconnect.sandbox.CreatioSandbox;
import com.helpdeskconnect.sandbox.CreatioSandboxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The chat page ({@code GET /chat}) in a real headless Chromium (Debian's {@code chromium} and
 * {@code chromium-driver}, installed by {@code .ci/run}): the customer sends a message, which opens
 * a case in the sandbox; the AI's reply and then an agent's reply from "Creatio" appear live, and
 * the page shows the conversation resolved when the agent resolves the case. This is the guide's
 * "send a test message" step. Skipped where no Chromium is installed.
 */
class ChatPageBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @RegisterExtension
    final CreatioSandboxExtension creatio = new CreatioSandboxExtension();

    @TempDir
    Path dir;
    HostFixture host;
    CreatioSandbox sandbox;
    WebDriver browser;
    ChromeDriverService service;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Chromium is not installed (apt-get install chromium chromium-driver; .ci/run does it)");
        sandbox = creatio.sandbox();
        CreatioPluginJar.installInto(dir.resolve("plugins"));
        host = HostFixture.start(dir);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("connector", "creatio");
        body.put("settings", CreatioPluginJar.settings(sandbox));
        assertThat(host.api.put("/api/v1/integrations/web", body).status()).isEqualTo(200);
        sandbox.webhooks().configure("http://127.0.0.1:" + host.port() + "/webhooks/web", "e2e-webhook-secret");

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")));
        // the driver binary is given, so Selenium Manager never tries to download one
        service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (service != null) {
            service.stop();
        }
        if (host != null) {
            host.close();
        }
    }

    List<WebElement> entries(String type) {
        return browser.findElements(By.cssSelector("#transcript li[data-type='" + type + "']"));
    }

    @Test
    void customerChatsAndSeesAiAndAgentRepliesLive() {
        Api.Response link = host.api.post("/api/v1/conversations/browser-1/chat-link", Map.of("integrationId", "web"));
        assertThat(link.status()).as(link.text()).isEqualTo(201);
        browser.get(link.json().get("url").asText() + "&name=Ada&email=ada@example.com");
        await().atMost(Duration.ofSeconds(20)).until(() -> browser.findElement(By.id("status")).getText().startsWith("Connected"));

        browser.findElement(By.id("message")).sendKeys("My router keeps rebooting");
        browser.findElement(By.id("send")).click();
        await().atMost(Duration.ofSeconds(20)).until(() -> entries("customer_message").size() == 1);
        assertThat(entries("customer_message").get(0).getText()).contains("My router keeps rebooting");
        await().atMost(Duration.ofSeconds(30)).until(() -> sandbox.inspect().cases().size() == 1
                && !host.api.get("/api/v1/conversations/browser-1?integrationId=web").json().get("case").isNull());
        assertThat(sandbox.inspect().cases().get(0).subject()).isEqualTo("My router keeps rebooting");

        // the AI platform answers through the events API; the page shows it without reloading
        Map<String, Object> ai = new LinkedHashMap<>();
        ai.put("eventId", "browser-1-ai");
        ai.put("integrationId", "web");
        ai.put("type", "ai_reply");
        ai.put("occurredAt", "2025-03-01T10:00:01Z");
        ai.put("text", "Have you tried a different power adapter?");
        assertThat(host.api.post("/api/v1/conversations/browser-1/events", ai).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> entries("ai_reply").size() == 1);
        assertThat(entries("ai_reply").get(0).getText()).contains("Have you tried a different power adapter?");

        String caseId = sandbox.inspect().cases().get(0).id();
        sandbox.agent().reply(caseId, "An engineer will call you at 3 pm.");
        await().atMost(Duration.ofSeconds(30)).until(() -> entries("agent_reply").size() == 1);
        assertThat(entries("agent_reply").get(0).getText()).contains("An engineer will call you at 3 pm.");

        sandbox.agent().resolve(caseId, "Adapter replaced");
        await().atMost(Duration.ofSeconds(30)).until(() -> browser.findElement(By.id("status")).getText().equals("Conversation resolved"));
        assertThat(browser.findElement(By.id("error")).getText()).isEmpty();
    }

    @Test
    void pageWithoutTheConversationSaysWhatIsMissing() {
        String token = host.api.post("/api/v1/conversations/browser-2/chat-link", Map.of("integrationId", "web")).json()
                .get("token").asText();
        browser.get("http://127.0.0.1:" + host.port() + "/chat?token=" + token);
        assertThat(browser.findElement(By.id("status")).getText()).contains("chat link");
        assertThat(browser.findElement(By.id("send")).isEnabled()).isFalse();
    }

    @Test
    void pageWithoutALinkIsNotServed() {
        assertThat(host.anonymous().get("/chat").status()).isEqualTo(401);
        assertThat(host.anonymous().get("/chat?conversation=browser-1&token=hcl1.forged").status()).isEqualTo(401);
    }
}
