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

/**
 * The runnable demo: a helpdesk sandbox (Creatio or Zendesk) as a child process, this host with that
 * helpdesk's plugin jar in a plugins folder, an integration saved through the API, and a scripted
 * conversation whose every step is shown with what the helpdesk now holds. Everything goes over real
 * HTTP. The script is the same for every helpdesk; {@link DemoDesk} holds what differs.
 */
public final class Demo implements AutoCloseable {
    static final String INTEGRATION = "demo";
    static final String CONVERSATION = "demo-conversation-1";
    /** The sandbox runs on loopback, which the outbound policy denies unless allowed (HELPDESK_CONNECT_OUTBOUND_ALLOW). */
    static final String DEMO_OUTBOUND_ALLOW = "127.0.0.0/8";
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);

    private final PrintStream out;
    private final ObjectMapper json = new ObjectMapper();
    // a refused connection fails at once; the bound only matters on a starved machine
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
    private final SecureRandom random = new SecureRandom();
    private final List<String> callbacks = new CopyOnWriteArrayList<>();
    private ChatStream stream;
    private Process sandbox;
    private Host host;
    private HttpServer channel;
    private String hostUrl;
    private DemoDesk desk;
    private String adminToken;
    private Path adminTokenFile;

    public Demo(PrintStream out) {
        this.out = out;
    }

    /** The helpdesks the demo can run against; the id is the {@code --helpdesk} value. */
    public enum Helpdesk {
        CREATIO("creatio", "creatio-sandbox", "creatio-sandbox.jar", "creatio-plugin", "creatio-plugin-*.jar"),
        ZENDESK("zendesk", "zendesk-sandbox", "zendesk-sandbox.jar", "zendesk-plugin", "zendesk-plugin-*.jar");

        private final String id;
        private final String sandboxModule;
        private final String sandboxJar;
        private final String pluginModule;
        private final String pluginJar;

        Helpdesk(String id, String sandboxModule, String sandboxJar, String pluginModule, String pluginJar) {
            this.id = id;
            this.sandboxModule = sandboxModule;
            this.sandboxJar = sandboxJar;
            this.pluginModule = pluginModule;
            this.pluginJar = pluginJar;
        }

        public String id() {
            return id;
        }

        /** The built sandbox jar, found as {@link #locate} finds it. */
        public Path sandboxJar() {
            return locate(sandboxModule, sandboxJar);
        }

        /** The built plugin jar, found as {@link #locate} finds it. */
        public Path pluginJar() {
            return locate(pluginModule, pluginJar);
        }

        public static Helpdesk of(String id) {
            for (Helpdesk h : values()) {
                if (h.id.equalsIgnoreCase(id.strip())) {
                    return h;
                }
            }
            throw new IllegalArgumentException("Unknown helpdesk '" + id + "'; choose one of " + ids());
        }

        public static List<String> ids() {
            return java.util.Arrays.stream(values()).map(Helpdesk::id).toList();
        }

        DemoDesk desk(Demo demo) {
            return this == ZENDESK ? new ZendeskDesk(demo) : new CreatioDesk(demo);
        }
    }

    /** Where the pieces are; {@code workDir} receives plugins/, data/ and sandbox.log. */
    public record Options(Helpdesk helpdesk, Path sandboxJar, Path pluginJar, Path workDir, int port) {
        /** The Creatio demo. */
        public Options(Path sandboxJar, Path pluginJar, Path workDir, int port) {
            this(Helpdesk.CREATIO, sandboxJar, pluginJar, workDir, port);
        }
    }

    /** Runs the whole script; servers stay up until {@link #close}. */
    public void run(Options options) throws Exception {
        desk = options.helpdesk().desk(this);
        String name = desk.name();
        Path plugins = Files.createDirectories(options.workDir().resolve("plugins"));
        Files.copy(options.pluginJar(), plugins.resolve(options.pluginJar().getFileName()), StandardCopyOption.REPLACE_EXISTING);

        step("Start Helpdesk Connect with the " + name + " plugin from " + plugins);
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

        step("Start the " + name + " sandbox (" + options.sandboxJar() + ")");
        say("starting: a second JVM, waiting for it to listen ...");
        started = System.nanoTime();
        String webhookUrl = hostUrl + "/webhooks/" + INTEGRATION;
        startSandbox(options, desk.sandboxArgs(webhookUrl));
        say(desk.startedLine() + " (" + seconds(started) + ")");
        say(desk.webhookLine(webhookUrl));

        step(desk.idsTitle());
        Map<String, Object> settings = desk.settings();

        step("Save the integration through the API (PUT /api/v1/integrations/" + INTEGRATION + ")");
        startChannel();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("connector", desk.connector());
        body.put("settings", settings);
        body.put("callbackUrl", "http://127.0.0.1:" + channel.getAddress().getPort() + "/callback");
        JsonNode saved = send("PUT", hostUrl + "/api/v1/integrations/" + INTEGRATION, body, 200);
        say("Verified against " + name + " and saved; webhook URL " + saved.get("webhook").get("url").asText()
                + "; callbacks to " + saved.get("callbackUrl").asText());
        String callbackKey = saved.get("callback").get("secret").asText();
        listen();

        step("The customer writes in the chat");
        event("customer_message", Map.of("text", "Hi, my order #1042 arrived with a cracked screen.",
                "customer", Map.of("name", "Ada Lovelace", "email", "ada@example.com", "phone", "+44 20 7946 0000")));
        JsonNode conversation = await("the case to be created", () -> !conversation().get("case").isNull() && synced());
        String caseId = conversation.get("case").get("id").asText();
        String number = conversation.get("case").get("number").asText();
        say(desk.caseNoun() + " " + number + " created in " + name + " (" + conversation.get("case").get("link").asText() + ")");
        desk.showCase(caseId);

        step("The AI answers");
        event("ai_reply", Map.of("text", "I'm sorry! Could you send a photo of the screen?"));
        await("the AI reply to reach the case", this::synced);
        say(desk.aiReplyLine(number));

        step("The AI hands over to a human, with a summary and the fields it extracted");
        Map<String, Object> handoff = new LinkedHashMap<>();
        handoff.put("summary", "Order #1042 arrived with a cracked screen; customer wants a replacement.");
        handoff.putAll(desk.handoff());
        event("handoff", handoff);
        await("the handoff to reach the case", () -> synced() && "handed_off".equals(conversation().get("status").asText()));
        desk.showCase(caseId);

        step(desk.agentReplyTitle());
        desk.agentReply(caseId, "Hello Ada, a replacement ships today.");
        await("the reply to reach the customer", () -> stream.data().stream().anyMatch(s -> s.contains("agent_reply"))
                && callbacks.stream().anyMatch(c -> c.contains("agent_reply")));
        say("The chat stream got it: " + stream.data().stream().filter(s -> s.contains("agent_reply")).findFirst().orElseThrow());
        String delivered = callbacks.stream().filter(c -> c.contains("agent_reply")).findFirst().orElseThrow();
        say("The callback URL got it, signature " + (delivered.startsWith("valid") ? "valid" : "INVALID") + " ("
                + CallbackSigner.SIGNATURE_HEADER + ", key = the integration's callback secret)");
        if (!delivered.startsWith("valid")) {
            throw new IllegalStateException("callback signature did not verify with " + callbackKey.length() + "-char key");
        }

        step(desk.agentResolveTitle());
        desk.agentResolve(caseId);
        await("the conversation to resolve", () -> "resolved".equals(conversation().get("status").asText()));
        say("Conversation " + CONVERSATION + " is now resolved; the customer was told through the stream and the callback");

        step("What " + name + " holds now");
        desk.showCase(caseId);
        desk.showRecords(caseId);
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
        out.println(desk.linkLine());
        if (workDir != null) {
            out.println("  files:             " + workDir);
        }
        out.flush();
    }

    // ---- pieces -------------------------------------------------------------------------------

    private void startSandbox(Options options, List<String> args) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-jar", options.sandboxJar().toString()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(options.workDir().resolve("sandbox.log").toFile());
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
        if (first == null || !desk.started(first)) {
            throw new IllegalStateException("The sandbox did not start: " + sandboxOutput(first, lines,
                    options.workDir().resolve("sandbox.log")));
        }
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

    /** What a chat widget does: listen to the conversation's stream, and open it again when it drops. */
    private void listen() {
        String link = send("POST", hostUrl + "/api/v1/conversations/" + CONVERSATION + "/chat-link",
                Map.of("integrationId", INTEGRATION), 201).get("token").asText();
        stream = new ChatStream(http, URI.create(hostUrl + "/api/v1/conversations/" + CONVERSATION + "/stream?token=" + link),
                Duration.ofSeconds(1));
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

    private JsonNode await(String what, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (done.getAsBoolean()) {
                return conversation();
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("Timed out waiting for " + what + "; conversation: " + conversation()
                + (stream == null ? "" : "; chat stream: " + stream.state()));
    }

    private JsonNode get(String url) {
        return get(url, null);
    }

    /** A GET that must answer 200, with {@code authorization} as the Authorization header if not null. */
    JsonNode get(String url, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Accept", "application/json").GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return exchange(b, url, 200);
    }

    /** A form POST that must answer 200 (an OAuth token request); {@code refused} says who refused otherwise. */
    JsonNode postForm(String url, String form, String refused) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(refused + " (HTTP " + r.statusCode() + ")");
        }
        return json.readTree(r.body());
    }

    /** Calls to the host carry the bootstrap admin token (the demo is its operator). */
    private HttpRequest.Builder authorized(HttpRequest.Builder request, String url) {
        if (url.startsWith(hostUrl + "/api/")) {
            request.header("Authorization", "Bearer " + adminToken);
        }
        return request;
    }

    JsonNode send(String method, String url, Object body, int expected) {
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

    void say(String line) {
        out.println("   " + line);
        out.flush();
    }

    String hex(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().withUpperCase().formatHex(b);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public String hostUrl() {
        return hostUrl;
    }

    @Override
    public void close() {
        if (stream != null) {
            stream.close();
        }
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
