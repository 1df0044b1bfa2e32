package com.helpdeskconnect.host.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.helpdeskconnect.host.Host;
import com.helpdeskconnect.host.config.HostConfig;
import com.helpdeskconnect.host.security.BootstrapToken;
import com.helpdeskconnect.host.sync.CallbackSigner;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The runnable demo: the Creatio sandbox as a child process, this host with the Creatio plugin jar
 * in a plugins folder, an integration saved through the API, and a scripted conversation whose
 * every step is shown with what "Creatio" now holds. Everything goes over real HTTP.
 */
public final class Demo implements AutoCloseable {
    static final String INTEGRATION = "demo";
    static final String CONVERSATION = "demo-conversation-1";
    /** The sandbox runs on loopback, which the outbound policy denies unless allowed (HELPDESK_CONNECT_OUTBOUND_ALLOW). */
    static final String DEMO_OUTBOUND_ALLOW = "127.0.0.0/8";
    private static final Pattern SANDBOX_LINE = Pattern.compile(
            "Creatio sandbox listening on (http://\\S+) \\(identity service (http://\\S+)\\)");
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);

    private final PrintStream out;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final SecureRandom random = new SecureRandom();
    private final List<String> callbacks = new CopyOnWriteArrayList<>();
    private final List<String> streamed = new CopyOnWriteArrayList<>();
    private Process sandbox;
    private Host host;
    private HttpServer channel;
    private String hostUrl;
    private String creatioUrl;
    private String identityUrl;
    private String token;
    private String adminToken;
    private Path adminTokenFile;

    public Demo(PrintStream out) {
        this.out = out;
    }

    /** Where the pieces are; {@code workDir} receives plugins/, data/ and sandbox.log. */
    public record Options(Path sandboxJar, Path pluginJar, Path workDir, int port) {}

    /** Runs the whole script; servers stay up until {@link #close}. */
    public void run(Options options) throws Exception {
        Path plugins = Files.createDirectories(options.workDir().resolve("plugins"));
        Files.copy(options.pluginJar(), plugins.resolve(options.pluginJar().getFileName()), StandardCopyOption.REPLACE_EXISTING);

        step("Start Helpdesk Connect with the Creatio plugin from " + plugins);
        say("starting: loading the plugin jar, opening the database, starting the HTTP API ...");
        long started = System.nanoTime();
        // a throw-away key: the demo's data is thrown away too, so there is no key file to back up
        byte[] key = new byte[32];
        random.nextBytes(key);
        host = Host.start(HostConfig.defaults(options.workDir().resolve("data"), plugins).withPort(options.port())
                .withEncryptionKey(Base64.getEncoder().encodeToString(key))
                // the demo's sandbox helpdesk and callback receiver listen on loopback: allowed for the demo only
                .withOutboundAllow(DEMO_OUTBOUND_ALLOW));
        hostUrl = "http://127.0.0.1:" + host.port();
        adminTokenFile = options.workDir().resolve("data").resolve(BootstrapToken.FILE_NAME);
        adminToken = Files.readString(adminTokenFile).trim();
        JsonNode connectors = get(hostUrl + "/api/v1/connectors");
        say("Host at " + hostUrl + " (" + seconds(started) + "); connectors loaded: "
                + connectors.get("connectors").findValuesAsText("id"));

        step("Start the Creatio sandbox (" + options.sandboxJar() + ")");
        say("starting: a second JVM, waiting for it to listen ...");
        started = System.nanoTime();
        String clientId = hex(16);
        String clientSecret = hex(32);
        String webhookSecret = hex(16).toLowerCase(Locale.ROOT);
        startSandbox(options, clientId, clientSecret, webhookSecret);
        say("Creatio at " + creatioUrl + ", identity service at " + identityUrl + " (" + seconds(started) + ")");
        say("Its business processes post agent replies and status changes to " + hostUrl + "/webhooks/" + INTEGRATION);

        step("Find the GUIDs the integration needs, with the setup guide's OData queries");
        token = token(clientId, clientSecret);
        String ownerId = odataFirst("Contact?$filter=" + enc("Email eq 'agent@sandbox.example'") + "&$select=Id,Name");
        String groupId = odataFirst("SysAdminUnit?$filter=" + enc("Name eq '1st-line support'") + "&$select=Id,Name");
        String resolvedId = odataFirst("CaseStatus?$filter=" + enc("IsResolved eq true") + "&$select=Id,Name");
        say("Owner (Contact) " + ownerId + ", group (SysAdminUnit) " + groupId + ", Resolved status " + resolvedId);

        step("Save the integration through the API (PUT /api/v1/integrations/" + INTEGRATION + ")");
        startChannel();
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("instanceUrl", creatioUrl);
        settings.put("identityServerUrl", identityUrl);
        settings.put("clientId", clientId);
        settings.put("clientSecret", clientSecret);
        settings.put("defaultCaseOwnerId", ownerId);
        settings.put("defaultCaseGroupId", groupId);
        settings.put("resolvedStatusId", resolvedId);
        settings.put("webhookSecret", webhookSecret);
        settings.put("fieldMap", Map.of("sentiment", "UsrSentiment"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("connector", "creatio");
        body.put("settings", settings);
        body.put("callbackUrl", "http://127.0.0.1:" + channel.getAddress().getPort() + "/callback");
        JsonNode saved = send("PUT", hostUrl + "/api/v1/integrations/" + INTEGRATION, body, 200);
        say("Verified against Creatio and saved; webhook URL " + saved.get("webhook").get("url").asText()
                + "; callbacks to " + saved.get("callbackUrl").asText());
        String callbackKey = saved.get("callback").get("secret").asText();
        listen();

        step("The customer writes in the chat");
        event("customer_message", Map.of("text", "Hi, my order #1042 arrived with a cracked screen.",
                "customer", Map.of("name", "Ada Lovelace", "email", "ada@example.com", "phone", "+44 20 7946 0000")));
        JsonNode conversation = await("the case to be created", () -> !conversation().get("case").isNull() && synced());
        String caseId = conversation.get("case").get("id").asText();
        String number = conversation.get("case").get("number").asText();
        say("Case " + number + " created in Creatio (" + conversation.get("case").get("link").asText() + ")");
        showCase(caseId);

        step("The AI answers");
        event("ai_reply", Map.of("text", "I'm sorry! Could you send a photo of the screen?"));
        await("the AI reply to reach the case", this::synced);
        say("Added to " + number + " as an outgoing email activity");

        step("The AI hands over to a human, with a summary and the fields it extracted");
        event("handoff", Map.of("summary", "Order #1042 arrived with a cracked screen; customer wants a replacement.",
                "fields", Map.of("priority", "High", "category", "Incident", "sentiment", "upset"),
                "ownerId", ownerId, "groupId", groupId));
        await("the handoff to reach the case", () -> synced() && "handed_off".equals(conversation().get("status").asText()));
        showCase(caseId);

        step("An agent replies in Creatio (POST /sandbox/cases/{id}/replies)");
        send("POST", creatioUrl + "/sandbox/cases/" + caseId + "/replies", Map.of("body", "Hello Ada, a replacement ships today."), 201);
        await("the reply to reach the customer", () -> streamed.stream().anyMatch(s -> s.contains("agent_reply"))
                && callbacks.stream().anyMatch(c -> c.contains("agent_reply")));
        say("The chat stream got it: " + streamed.stream().filter(s -> s.contains("agent_reply")).findFirst().orElseThrow());
        String delivered = callbacks.stream().filter(c -> c.contains("agent_reply")).findFirst().orElseThrow();
        say("The callback URL got it, signature " + (delivered.startsWith("valid") ? "valid" : "INVALID") + " ("
                + CallbackSigner.SIGNATURE_HEADER + ", key = the integration's callback secret)");
        if (!delivered.startsWith("valid")) {
            throw new IllegalStateException("callback signature did not verify with " + callbackKey.length() + "-char key");
        }

        step("The agent resolves the case in Creatio (POST /sandbox/cases/{id}/resolve)");
        send("POST", creatioUrl + "/sandbox/cases/" + caseId + "/resolve", Map.of("solution", "Replacement shipped."), 204);
        await("the conversation to resolve", () -> "resolved".equals(conversation().get("status").asText()));
        say("Conversation " + CONVERSATION + " is now resolved; the customer was told through the stream and the callback");

        step("What Creatio holds now");
        showCase(caseId);
        for (JsonNode a : casesView(caseId).get("activities")) {
            say("  activity: " + a.path("Body").asText());
        }
        out.flush();
    }

    /**
     * The links to try it by hand, printed only while the servers run.
     *
     * @param workDir shown when it is kept after the demo, else null
     */
    public void printLinks(Path workDir) {
        out.println();
        out.println("Try it yourself:");
        JsonNode scripted = send("POST", hostUrl + "/api/v1/conversations/" + CONVERSATION + "/chat-link",
                Map.of("integrationId", INTEGRATION, "ttlSeconds", 3600), 201);
        JsonNode fresh = send("POST", hostUrl + "/api/v1/conversations/my-chat-1/chat-link",
                Map.of("integrationId", INTEGRATION, "ttlSeconds", 3600), 201);
        out.println("  the scripted chat: " + scripted.get("url").asText());
        out.println("  a new chat:        " + fresh.get("url").asText());
        out.println("                     (signed links, valid until " + fresh.get("expiresAt").asText() + ")");
        out.println("  admin token:       in " + adminTokenFile
                + " (send it as 'Authorization: Bearer <token>')");
        out.println("  conversation:      " + hostUrl + "/api/v1/conversations/" + CONVERSATION + "?integrationId=" + INTEGRATION);
        out.println("  integration:       " + hostUrl + "/api/v1/integrations/" + INTEGRATION);
        out.println("  Creatio:           " + creatioUrl + "/sandbox/cases   (agent reply: POST " + creatioUrl
                + "/sandbox/cases/{id}/replies {\"body\":\"...\"})");
        if (workDir != null) {
            out.println("  files:             " + workDir);
        }
        out.flush();
    }

    // ---- pieces -------------------------------------------------------------------------------

    private void startSandbox(Options options, String clientId, String clientSecret, String webhookSecret)
            throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-jar", options.sandboxJar().toString(), "--port", "0",
                "--client-id", clientId, "--client-secret", clientSecret,
                "--webhook-url", hostUrl + "/webhooks/" + INTEGRATION, "--webhook-secret", webhookSecret,
                "--custom-column", "Case.UsrSentiment:String")
                .redirectError(options.workDir().resolve("sandbox.log").toFile());
        sandbox = pb.start();
        BufferedReader lines = new BufferedReader(new InputStreamReader(sandbox.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> firstLine = CompletableFuture.supplyAsync(() -> {
            try {
                return lines.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        String first;
        try {
            first = firstLine.get(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            first = null;
        }
        Matcher m = first == null ? null : SANDBOX_LINE.matcher(first);
        if (m == null || !m.find()) {
            throw new IllegalStateException("The sandbox did not start: " + sandboxOutput(first, lines,
                    options.workDir().resolve("sandbox.log")));
        }
        creatioUrl = m.group(1);
        identityUrl = m.group(2);
        Thread drain = new Thread(() -> lines.lines().forEach(l -> { }), "sandbox-stdout");
        drain.setDaemon(true);
        drain.start();
    }

    /** What a sandbox that did not start said: its standard output and the end of its error output. */
    private String sandboxOutput(String first, BufferedReader lines, Path log) throws InterruptedException {
        if (!sandbox.waitFor(10, TimeUnit.SECONDS)) {
            sandbox.destroyForcibly();
        }
        List<String> said = new ArrayList<>();
        if (first != null) {
            said.add(first);
        }
        try {
            lines.lines().limit(20).forEach(said::add);
        } catch (UncheckedIOException e) {
            // nothing more on standard output
        }
        try {
            List<String> errors = Files.readAllLines(log, StandardCharsets.UTF_8);
            said.addAll(errors.subList(Math.max(0, errors.size() - 20), errors.size()));
        } catch (IOException e) {
            // no log: what standard output said must do
        }
        said.removeIf(String::isBlank);
        String exit = sandbox.isAlive() ? "" : " (exit code " + sandbox.exitValue() + ")";
        return (said.isEmpty() ? "it printed nothing" : String.join(" | ", said)) + exit + "; its log: " + log;
    }

    /** The customer channel: receives the callbacks and checks their signature. */
    private void startChannel() throws IOException {
        channel = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        channel.createContext("/callback", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String key = get(hostUrl + "/api/v1/integrations/" + INTEGRATION).get("callback").get("secret").asText();
            boolean valid = CallbackSigner.verify(key, body, exchange.getRequestHeaders().getFirst(CallbackSigner.SIGNATURE_HEADER));
            callbacks.add((valid ? "valid " : "invalid ") + new String(body, StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(valid ? 204 : 401, -1);
            exchange.close();
        });
        channel.start();
    }

    /** What a chat widget does: listen to the conversation's stream. */
    private void listen() {
        String link = send("POST", hostUrl + "/api/v1/conversations/" + CONVERSATION + "/chat-link",
                Map.of("integrationId", INTEGRATION), 201).get("token").asText();
        HttpRequest request = HttpRequest.newBuilder(URI.create(hostUrl + "/api/v1/conversations/" + CONVERSATION + "/stream?token="
                        + link)).header("Accept", "text/event-stream").GET().build();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofLines()).thenAccept(r -> {
            Thread t = new Thread(() -> r.body().filter(l -> l.startsWith("data:")).forEach(l -> streamed.add(l.substring(5).trim())),
                    "demo-stream");
            t.setDaemon(true);
            t.start();
        });
    }

    private void event(String type, Map<String, Object> fields) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("eventId", CONVERSATION + "-" + type + "-" + hex(4));
        event.put("integrationId", INTEGRATION);
        event.put("type", type);
        event.put("occurredAt", Instant.now().toString());
        event.putAll(fields);
        send("POST", hostUrl + "/api/v1/conversations/" + CONVERSATION + "/events", event, 202);
        say("POST /api/v1/conversations/" + CONVERSATION + "/events type=" + type + " → 202");
    }

    private JsonNode conversation() {
        return get(hostUrl + "/api/v1/conversations/" + CONVERSATION + "?integrationId=" + INTEGRATION);
    }

    private boolean synced() {
        JsonNode c = conversation();
        if (!c.get("parked").isEmpty()) {
            throw new IllegalStateException("Sync parked: " + c.get("parked"));
        }
        return c.get("pending").isEmpty();
    }

    private void showCase(String caseId) {
        JsonNode c = get(creatioUrl + "/0/odata/Case(" + caseId + ")?$select=Number,Subject,StatusId,PriorityId,CategoryId,OwnerId,GroupId,UsrSentiment", true);
        say(String.format("Creatio case %s \"%s\": status %s, priority %s, category %s, sentiment %s, owner %s, group %s, %d activities",
                c.path("Number").asText(), c.path("Subject").asText(), name("CaseStatus", c.path("StatusId").asText()),
                name("CasePriority", c.path("PriorityId").asText()), name("CaseCategory", c.path("CategoryId").asText()),
                c.path("UsrSentiment").asText("-").isEmpty() ? "-" : c.path("UsrSentiment").asText(),
                name("Contact", c.path("OwnerId").asText()), name("SysAdminUnit", c.path("GroupId").asText()),
                casesView(caseId).get("activities").size()));
    }

    private JsonNode casesView(String caseId) {
        for (JsonNode c : get(creatioUrl + "/sandbox/cases")) {
            if (c.path("Id").asText().equalsIgnoreCase(caseId)) {
                return c;
            }
        }
        throw new IllegalStateException("Case " + caseId + " is not in Creatio");
    }

    private String name(String entity, String id) {
        if (id.isEmpty() || id.startsWith("00000000")) {
            return "-";
        }
        return get(creatioUrl + "/0/odata/" + entity + "(" + id + ")?$select=Name", true).path("Name").asText("?");
    }

    private String odataFirst(String query) {
        say("GET /0/odata/" + java.net.URLDecoder.decode(query, StandardCharsets.UTF_8));
        JsonNode value = get(creatioUrl + "/0/odata/" + query, true).path("value");
        if (value.isEmpty()) {
            throw new IllegalStateException("Nothing found for " + query);
        }
        return value.get(0).get("Id").asText();
    }

    private String token(String clientId, String clientSecret) throws IOException, InterruptedException {
        String form = "grant_type=client_credentials&client_id=" + enc(clientId) + "&client_secret=" + enc(clientSecret);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(identityUrl + "/connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("The identity service refused the demo's client (HTTP " + r.statusCode() + ")");
        }
        return json.readTree(r.body()).get("access_token").asText();
    }

    private JsonNode await(String what, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (done.getAsBoolean()) {
                return conversation();
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("Timed out waiting for " + what + "; conversation: " + conversation());
    }

    private JsonNode get(String url) {
        return get(url, false);
    }

    private JsonNode get(String url, boolean bearer) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Accept", "application/json").GET();
        if (bearer) {
            b.header("Authorization", "Bearer " + token);
        }
        return exchange(b, url, 200);
    }

    /** Calls to the host carry the bootstrap admin token (the demo is its operator). */
    private HttpRequest.Builder authorized(HttpRequest.Builder request, String url) {
        if (url.startsWith(hostUrl + "/api/")) {
            request.header("Authorization", "Bearer " + adminToken);
        }
        return request;
    }

    private JsonNode send(String method, String url, Object body, int expected) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
            return exchange(b, url, expected);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode exchange(HttpRequest.Builder request, String url, int expected) {
        try {
            HttpResponse<String> r = http.send(authorized(request, url).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != expected) {
                throw new IllegalStateException(url.replaceAll("\\?.*", "") + " answered " + r.statusCode() + ": " + r.body());
            }
            return r.body().isEmpty() ? json.createObjectNode() : json.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String seconds(long startedNanos) {
        return String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - startedNanos) / 1e9);
    }

    private int steps;

    private void step(String title) {
        out.println();
        out.println(++steps + ". " + title);
        out.flush();
    }

    private void say(String line) {
        out.println("   " + line);
        out.flush();
    }

    private String hex(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().withUpperCase().formatHex(b);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public String hostUrl() {
        return hostUrl;
    }

    public String creatioUrl() {
        return creatioUrl;
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.stop(0);
        }
        if (host != null) {
            host.close();
        }
        if (sandbox != null) {
            sandbox.destroy();
            try {
                if (!sandbox.waitFor(5, TimeUnit.SECONDS)) {
                    sandbox.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                sandbox.destroyForcibly();
            }
        }
    }

    /** Finds a built jar: {@code relative} under the working directory or next to the host jar's module. */
    public static Path locate(String module, String glob) {
        List<Path> roots = new ArrayList<>();
        roots.add(Path.of("").toAbsolutePath());
        try {
            Path self = Path.of(Demo.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // host-app/target/helpdesk-connect.jar (or target/classes) → the repository root
            for (Path p = self.getParent(); p != null; p = p.getParent()) {
                roots.add(p);
            }
        } catch (Exception e) {
            // only the working directory then
        }
        for (Path root : roots) {
            Path dir = root.resolve(module).resolve("target");
            if (Files.isDirectory(dir)) {
                try (var files = Files.newDirectoryStream(dir, glob)) {
                    for (Path f : files) {
                        if (!f.getFileName().toString().startsWith("original-")) {
                            return f;
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new IllegalStateException("No " + module + "/target/" + glob + " found; build it first: mvn -B -q package -DskipTests");
    }
}
