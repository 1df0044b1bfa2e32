package com.helpdeskconnect.host.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.helpdeskconnect.host.e2e.CreatioPluginJar;
import com.helpdeskconnect.host.testing.Api;
import com.helpdeskconnect.host.testing.HostFixture;
import com.helpdeskconnect.sandbox.CreatioSandbox;
import com.helpdeskconnect.sandbox.CreatioSandboxExtension;
import com.helpdeskconnect.sandbox.faults.FaultRule;
import com.helpdeskconnect.sandbox.inspection.CaseView;
import com.helpdeskconnect.sandbox.model.EdmType;
import com.helpdeskconnect.sandbox.model.StandardRows;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The admin console in a real headless Chromium (Debian's {@code chromium} and
 * {@code chromium-driver}, installed by {@code .ci/run}) against a host with the real Creatio
 * plugin and the Creatio sandbox: connecting Creatio with a wrong secret (the error next to the
 * field) and then the right one; the setup check passing, and failing with the right
 * troubleshooting entry when the sandbox's business processes stop calling; a parked operation
 * retried from the conversation inspector until it syncs. Each page is saved as a PNG in
 * {@code target/admin-screenshots} (and in {@code -Dadmin.screenshots.dir}, e.g. docs/images).
 * Skipped where no Chromium is installed.
 */
class AdminConsoleBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final String ID = "acme-creatio";
    static final String WEBHOOK_SECRET = "e2e-webhook-secret";

    @RegisterExtension
    final CreatioSandboxExtension creatio = new CreatioSandboxExtension(b -> b.customColumn("Case", "UsrSentiment", EdmType.STRING));

    @TempDir
    Path dir;
    HostFixture host;
    CreatioSandbox sandbox;
    WebDriver browser;
    ChromeDriverService service;
    String base;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Chromium is not installed (apt-get install chromium chromium-driver; .ci/run does it)");
        sandbox = creatio.sandbox();
        CreatioPluginJar.installInto(dir.resolve("plugins"));
        // a jar that is no plugin: the console lists it with the reason
        Files.write(dir.resolve("plugins").resolve("broken-plugin.jar"), new byte[] {'n', 'o', 't', ' ', 'a', ' ', 'j', 'a', 'r'});
        host = HostFixture.start(dir);
        base = "http://127.0.0.1:" + host.port();

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1280,900", "--lang=en-GB",
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

    @Test
    void connectCreatioWithAWrongSecretThenTheRightOne() {
        browser.get(base + "/admin");
        waitFor(By.id("credential"));
        shot("01-sign-in");
        // a key without the admin scope is refused with the reason
        String platformKey = host.api.createKey("platform", List.of("any"), List.of("events:write"));
        type(By.id("credential"), platformKey);
        browser.findElement(By.id("signin")).click();
        await().atMost(Duration.ofSeconds(30)).until(() -> text(By.id("signin-error")).contains("lacks the admin scope"));
        signIn();

        await().atMost(Duration.ofSeconds(30)).until(() -> !browser.findElements(By.linkText("Connect Creatio")).isEmpty());
        assertThat(text(By.tagName("main"))).contains("Plugins that failed to load", "broken-plugin.jar");
        browser.findElement(By.linkText("Connect Creatio")).click();
        waitFor(By.id("f-instanceUrl"));
        assertThat(text(By.tagName("h1"))).isEqualTo("Connect Creatio");
        // labels, help and required/optional come from the connector's settings descriptors
        assertThat(text(By.cssSelector("label[for='f-clientSecret']"))).isEqualTo("Client secret (required)");
        assertThat(text(By.cssSelector("label[for='f-identityServerUrl']"))).isEqualTo("Identity service URL (optional)");
        assertThat(browser.findElements(By.cssSelector("#f-messageChannel option"))).extracting(WebElement::getText)
                .contains("EMAIL", "PORTAL_MESSAGE");
        assertThat(browser.findElement(By.id("f-clientSecret")).getDomProperty("type")).isEqualTo("password");
        assertThat(browser.findElement(By.id("f-clientSecret")).getDomAttribute("aria-describedby")).contains("f-clientSecret-error");

        type(By.id("f-id"), ID);
        type(By.id("f-instanceUrl"), sandbox.baseUrl());
        type(By.id("f-identityServerUrl"), sandbox.identityUrl());
        type(By.id("f-clientId"), sandbox.clientId());
        type(By.id("f-clientSecret"), "not-the-secret");
        type(By.id("f-webhookSecret"), WEBHOOK_SECRET);
        browser.findElement(By.cssSelector("[data-field='fieldMap'] .map-editor > button")).click(); // Add a row
        type(By.cssSelector("[data-field='fieldMap'] tbody tr:last-child td:nth-child(1) input"), "sentiment");
        type(By.cssSelector("[data-field='fieldMap'] tbody tr:last-child td:nth-child(2) input"), "UsrSentiment");
        submit();

        await().atMost(Duration.ofSeconds(20)).until(() -> !text(By.id("f-clientSecret-error")).isEmpty());
        assertThat(text(By.id("f-clientSecret-error"))).isEqualTo("Invalid credentials: check the Client ID and Client secret");
        // what to check, from the Creatio guide's troubleshooting entry that matches the message
        assertThat(text(By.id("f-clientSecret-check"))).isEqualTo("What to check: The pair is wrong or the OAuth application was "
                + "deleted. Copy both again from System Designer → OAuth 2.0 integrated applications.");
        assertThat(browser.findElement(By.id("f-clientSecret")).getDomAttribute("aria-invalid")).isEqualTo("true");
        assertThat(text(By.cssSelector(".error-summary"))).contains("Creatio refused the settings", "Client secret: Invalid credentials",
                "What to check: \"Invalid credentials\" when saving.");
        assertThat(host.api.get("/api/v1/integrations/" + ID).status()).isEqualTo(404);
        shot("03-connect-invalid-credentials");

        browser.findElement(By.id("f-clientSecret")).clear();
        type(By.id("f-clientSecret"), sandbox.clientSecret());
        submit();
        await().atMost(Duration.ofSeconds(20)).until(() -> browser.getCurrentUrl().endsWith("#/integration/" + ID + "/wiring")
                && !browser.findElements(By.id("webhook-url")).isEmpty()
                && !browser.findElements(By.cssSelector("code[data-placeholder='webhookUrl']")).isEmpty());
        assertThat(browser.findElement(By.id("webhook-url")).getDomProperty("value")).isEqualTo(base + "/webhooks/" + ID);
        assertThat(browser.findElement(By.id("webhook-secret")).getDomProperty("value")).isEqualTo(WEBHOOK_SECRET);
        assertThat(browser.findElement(By.id("webhook-secret")).getDomProperty("type")).isEqualTo("password");
        assertThat(text(By.cssSelector("code[data-placeholder='webhookUrl']"))).isEqualTo(base + "/webhooks/" + ID);
        assertThat(text(By.cssSelector("ol.guide"))).contains("Process 1: agent reply", "X-Helpdesk-Connect-Secret");
        assertThat(browser.findElements(By.cssSelector("button[aria-label='Copy webhook url']"))).hasSize(1);
        shot("04-wiring");

        // saved: the secret is never shown again; the edit form says it is saved and keeps it
        Api.Response saved = host.api.get("/api/v1/integrations/" + ID);
        assertThat(saved.json().path("settings").path("clientSecret").asText()).isEqualTo("********");
        assertThat(saved.json().path("settings").path("fieldMap").path("sentiment").asText()).isEqualTo("UsrSentiment");
        browser.findElement(By.linkText("Settings")).click();
        waitFor(By.id("f-clientSecret"));
        assertThat(browser.findElement(By.id("f-clientSecret")).getDomProperty("value")).isEmpty();
        assertThat(text(By.cssSelector("[data-field='clientSecret'] .saved"))).isEqualTo("saved");
        submit(); // unchanged: the mask keeps the stored secret
        await().atMost(Duration.ofSeconds(20)).until(() -> browser.getCurrentUrl().endsWith("/wiring"));
        assertThat(host.api.get("/api/v1/audit").json().path("entries").findValuesAsText("action")).contains("integration.save");
    }

    @Test
    void setupCheckPassesThenFailsWithTheRightEntryWhenTheWebhookIsOff() throws Exception {
        saveIntegration();
        signIn();
        browser.get(base + "/admin#/integration/" + ID + "/check");
        waitFor(By.id("run-check")).click();
        Map<String, String> steps = awaitCheck();
        assertThat(text(By.id("check-summary"))).contains("The setup works");
        assertThat(steps).containsExactly(Map.entry("send", "passed"), Map.entry("case", "passed"), Map.entry("messages", "passed"),
                Map.entry("handoff", "passed"), Map.entry("webhook", "passed"), Map.entry("cleanup", "passed"));
        assertThat(text(By.cssSelector("li[data-step='handoff']"))).contains("fields filled: category, priority, sentiment");
        shot("05-setup-check-passed");
        // the clearly marked test case was created and resolved in Creatio
        CaseView testCase = sandbox.inspect().cases().stream()
                .filter(c -> c.subject().startsWith("Helpdesk Connect setup check")).findFirst().orElseThrow();
        assertThat(testCase.statusId()).isEqualTo(StandardRows.STATUS_RESOLVED);
        assertThat(testCase.fields().get("UsrSentiment")).isEqualTo("Helpdesk Connect setup check");

        // the business processes stop calling Helpdesk Connect
        assertThat(sandbox.webhooks().awaitIdle(Duration.ofSeconds(30))).isTrue();
        sandbox.webhooks().configure(null, null);
        browser.findElement(By.id("run-check")).click();
        await().atMost(Duration.ofSeconds(30)).until(() -> "running".equals(attribute(By.id("check-summary"), "data-state")));
        steps = awaitCheck();
        assertThat(browser.findElement(By.id("check-summary")).getDomAttribute("data-state")).isEqualTo("failed");
        assertThat(steps).containsEntry("case", "passed").containsEntry("handoff", "passed")
                .containsEntry("webhook", "failed").containsEntry("cleanup", "passed");
        WebElement webhook = browser.findElement(By.cssSelector("li[data-step='webhook']"));
        assertThat(webhook.findElement(By.cssSelector(".trouble")).getDomAttribute("data-troubleshooting"))
                .isEqualTo("Agent replies do not reach the customer.");
        assertThat(webhook.getText()).contains("Troubleshooting: Agent replies do not reach the customer.",
                "No authenticated call from Creatio", "docs/creatio-setup.md");
        shot("06-setup-check-webhook-off");
        browser.get(base + "/admin#/audit");
        await().atMost(Duration.ofSeconds(30)).until(() -> text(By.tagName("main")).contains("integration.setup_check.finished"));
        shot("12-audit-log");
        assertThat(host.api.get("/api/v1/audit").json().path("entries").findValuesAsText("detail").toString())
                .contains("failed failed=[webhook]");
    }

    @Test
    void parkedOperationRetriedFromTheInspectorUntilItSyncs() {
        saveIntegration();
        int fault = sandbox.faults().add(FaultRule.on("*", "/0/odata").status(503));
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("eventId", "m1");
        message.put("integrationId", ID);
        message.put("type", "customer_message");
        message.put("occurredAt", "2025-03-01T10:00:00Z");
        message.put("text", "My router keeps rebooting");
        message.put("customer", Map.of("name", "Ada Lovelace", "email", "ada@example.com"));
        assertThat(host.api.post("/api/v1/conversations/chat-parked-1/events", message).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() ->
                host.api.get("/api/v1/conversations/chat-parked-1?integrationId=" + ID).json().path("parked").size() == 1);

        signIn();
        browser.get(base + "/admin#/integration/" + ID + "/health");
        await().atMost(Duration.ofSeconds(30)).until(() -> text(By.cssSelector("[data-fact='parked']")).equals("1"));
        shot("07-health");

        browser.get(base + "/admin#/conversations/" + ID);
        type(waitFor(By.id("conv-query")), "chat-parked");
        browser.findElement(By.id("conv-find")).click();
        await().atMost(Duration.ofSeconds(30)).until(() -> !browser.findElements(By.linkText("chat-parked-1")).isEmpty()
                && text(By.id("conv-results")).contains("found for"));
        shot("09-conversations");
        browser.findElement(By.linkText("chat-parked-1")).click();
        waitFor(By.id("retry"));
        assertThat(text(By.cssSelector("main table"))).contains("customer_message", "TRANSIENT");
        assertThat(text(By.cssSelector("[data-fact='case']"))).isEqualTo("not created yet");
        shot("10-conversation-parked");

        // the cause is fixed in Creatio; the admin retries from the inspector
        sandbox.faults().remove(fault);
        browser.findElement(By.id("retry")).click();
        await().atMost(Duration.ofSeconds(30)).until(() -> text(By.cssSelector("[data-fact='case']")).startsWith("SR"));
        await().atMost(Duration.ofSeconds(30)).until(() -> browser.findElements(By.id("retry")).isEmpty()
                && text(By.cssSelector("#transcript li[data-event='m1']")).contains("in the helpdesk"));
        assertThat(browser.findElement(By.cssSelector("[data-fact='case'] a")).getDomProperty("href")).startsWith(sandbox.baseUrl());
        assertThat(sandbox.inspect().cases()).hasSize(1);
        shot("11-conversation-synced");
        await().atMost(Duration.ofSeconds(30)).until(() -> text(By.tagName("main")).contains("conversation.retry"));

        // the other pages, for the screenshots in the docs
        browser.get(base + "/admin#/integration/" + ID + "/fields");
        await().atMost(Duration.ofSeconds(20)).until(() -> text(By.tagName("main")).contains("UsrSentiment")
                && !browser.findElements(By.cssSelector("main table code")).isEmpty());
        shot("08-field-auto-fill");
        browser.get(base + "/admin#/");
        await().atMost(Duration.ofSeconds(30)).until(() -> text(By.tagName("main")).contains("last sync"));
        shot("02-overview");
    }

    // ---- helpers ----

    void saveIntegration() {
        Map<String, Object> settings = CreatioPluginJar.settings(sandbox);
        settings.put("fieldMap", Map.of("sentiment", "UsrSentiment"));
        Api.Response saved = host.api.put("/api/v1/integrations/" + ID, Map.of("connector", "creatio", "settings", settings));
        assertThat(saved.status()).as(saved.text()).isEqualTo(200);
        sandbox.webhooks().configure(base + "/webhooks/" + ID, WEBHOOK_SECRET);
    }

    void signIn() {
        browser.get(base + "/admin");
        type(waitFor(By.id("credential")), host.adminToken());
        browser.findElement(By.id("signin")).click();
        await().atMost(Duration.ofSeconds(30)).until(() -> browser.findElement(By.id("nav")).isDisplayed());
    }

    /** Waits until the check has finished; returns each step's state in order. */
    Map<String, String> awaitCheck() {
        await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(500)).until(() -> {
            String state = attribute(By.id("check-summary"), "data-state");
            return state != null && !state.equals("running");
        });
        Map<String, String> steps = new LinkedHashMap<>();
        for (WebElement li : browser.findElements(By.cssSelector("ol.steps > li"))) {
            steps.put(li.getDomAttribute("data-step"), li.getDomAttribute("data-state"));
        }
        return steps;
    }

    void submit() {
        browser.findElement(By.cssSelector("main form button[type='submit']")).click();
    }

    WebElement waitFor(By by) {
        await().atMost(Duration.ofSeconds(30)).until(() -> !browser.findElements(by).isEmpty());
        return browser.findElement(by);
    }

    void type(By by, String text) {
        type(waitFor(by), text);
    }

    static void type(WebElement element, String text) {
        element.sendKeys(text);
    }

    /** The element's text, "" while it is absent or being re-rendered (the awaits then look again). */
    String text(By by) {
        try {
            List<WebElement> found = browser.findElements(by);
            return found.isEmpty() ? "" : found.get(0).getText();
        } catch (StaleElementReferenceException rerendered) {
            return "";
        }
    }

    String attribute(By by, String name) {
        try {
            List<WebElement> found = browser.findElements(by);
            return found.isEmpty() ? null : found.get(0).getDomAttribute(name);
        } catch (StaleElementReferenceException rerendered) {
            return null;
        }
    }

    /** A PNG of the page from its top (the window grown to the page's height, at most 3,000 px). */
    void shot(String name) {
        Dimension before = browser.manage().window().getSize();
        try {
            // twice: content that finishes loading meanwhile (a table fetched after the page) makes it longer
            for (int pass = 0; pass < 2; pass++) {
                long height = (Long) ((JavascriptExecutor) browser).executeScript(
                        "window.scrollTo(0, 0); return Math.ceil(document.documentElement.scrollHeight)");
                browser.manage().window().setSize(new Dimension(1280, (int) Math.max(900, Math.min(height + 100, 3000))));
                Thread.sleep(300);
            }
            Path png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
            Path local = Files.createDirectories(Path.of("target", "admin-screenshots")).resolve(name + ".png");
            Files.copy(png, local, StandardCopyOption.REPLACE_EXISTING);
            String docs = System.getProperty("admin.screenshots.dir");
            if (docs != null && !docs.isBlank()) {
                Files.copy(png, Files.createDirectories(Path.of(docs)).resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            browser.manage().window().setSize(before);
        }
    }
}
