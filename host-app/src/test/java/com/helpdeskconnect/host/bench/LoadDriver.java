package com.helpdeskconnect.host.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.helpdeskconnect.host.config.HostConfig.DatabaseSettings;
import com.helpdeskconnect.host.storage.Database;
import com.helpdeskconnect.host.testing.TestPluginJar;
import com.helpdeskconnect.sandbox.CreatioSandbox;
import com.helpdeskconnect.sandbox.faults.FaultRule;
import com.helpdeskconnect.sandbox.model.EdmType;
import com.helpdeskconnect.sandbox.model.StandardRows;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Benchmark (issue 7), not a test: runs the host as a child JVM ({@code java -jar helpdesk-connect.jar
 * serve}) with the real Creatio plugin jar, against an in-process Creatio sandbox, and drives N
 * scripted conversations (customer message, AI reply, handoff with three fields, resolve) through the
 * HTTP API from C client threads. Everything stays on 127.0.0.1. See bench/run.sh and BENCHMARKS.md.
 *
 * <p>Arguments: {@code --jar PATH --plugin PATH [--connector creatio|noop] [--conversations N] [--clients C]
 * [--latency-conversations 4,16,64 | 0] [--warmup 50] [--host-opts "-Xmx.."] [--embedded sqlite|h2] [--database-url jdbc:postgresql://.. [--hosts N] | jdbc:sqlite:FILE]
 * [--http-client lean|jdk] [--batch N]}. {@code --batch N} (1 to 100; default 1, one request per event): each
 * client thread keeps N conversations going and posts their next events together in one
 * {@code POST /api/v1/events}, each conversation's next event only after its previous one was accepted. The events are posted by {@link LeanHttpClient} (one keep-alive socket per client
 * thread) unless {@code --http-client jdk} picks the JDK's {@code HttpClient}, which the figures before
 * 2026-12-03 (second session) were taken with: it costs the driver 3–5 times the CPU per event.
 * {@code --connector noop} starts no sandbox: the driver builds the no-op test connector
 * ({@code src/test/resources/testplugin/NoopConnector.java}) into a real plugin jar in the plugins folder,
 * whose calls answer at once, so the figures are the host's own cost; its latency phases set the
 * connector's delay (100 ms per connector call) instead of the sandbox's. {@code --latency-conversations 0}
 * skips the latency phases.
 * {@code --embedded h2} gives the host a data folder that already holds an H2 file (the host then keeps
 * H2, as for an installation made before SQLite became the default); without it a new folder gets SQLite.
 * With an SQLite URL ({@code jdbc:sqlite:/tmp/x.db}) the one host uses that file. With a PostgreSQL URL the hosts use that database (user and password from the URL or from
 * {@code HELPDESK_CONNECT_DATABASE_USER} / {@code _PASSWORD}, which the hosts inherit); with
 * {@code --hosts N} N host processes share it, as behind a load balancer: a conversation's events go
 * to the hosts in turn. Conversation ids carry a random run id, so a database can be reused.
 */
public final class LoadDriver {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SENTIMENT = "UsrSentiment";
    private static final int EVENTS_PER_CONVERSATION = 4;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    /** Null with {@code --connector noop}. */
    private final CreatioSandbox sandbox;
    private final List<String> bases;
    private final String adminToken;
    private final AtomicInteger sequence = new AtomicInteger();
    private final String runId = Long.toString(System.nanoTime() % 1_000_000, 36);
    private List<Long> hostPids = List.of();
    /** Whether the measured posts go through {@link LeanHttpClient} (else the JDK's client). */
    private boolean leanClient = true;
    /** Events per request: 1 posts each to its conversation's route, more go together to {@code /api/v1/events}. */
    private int batch = 1;

    private LoadDriver(CreatioSandbox sandbox, List<Integer> ports, String adminToken) {
        this.sandbox = sandbox;
        this.bases = ports.stream().map(port -> "http://127.0.0.1:" + port).toList();
        this.adminToken = adminToken;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        Path jar = Path.of(opts.getOrDefault("jar", "host-app/target/helpdesk-connect.jar"));
        Path plugin = Path.of(opts.getOrDefault("plugin", "host-app/target/test-plugins/creatio-plugin.jar"));
        String connector = opts.getOrDefault("connector", "creatio");
        if (!connector.equals("creatio") && !connector.equals("noop")) {
            throw new IllegalArgumentException("--connector is creatio or noop, not " + connector);
        }
        boolean noop = connector.equals("noop");
        int conversations = Integer.parseInt(opts.getOrDefault("conversations", "500"));
        int clients = Integer.parseInt(opts.getOrDefault("clients", "32"));
        int warmup = Integer.parseInt(opts.getOrDefault("warmup", "50"));
        List<Integer> latencyLevels = Stream.of(opts.getOrDefault("latency-conversations", "4,16,64").split(","))
                .map(String::trim).filter(level -> !level.isEmpty()).map(Integer::parseInt).filter(level -> level > 0).toList();
        List<String> hostOpts = opts.containsKey("host-opts") ? List.of(opts.get("host-opts").trim().split("\\s+")) : List.of();
        String databaseUrl = opts.get("database-url");
        int hostCount = Integer.parseInt(opts.getOrDefault("hosts", "1"));
        boolean sqlite = databaseUrl != null && databaseUrl.startsWith("jdbc:sqlite:");
        if (hostCount > 1 && (databaseUrl == null || sqlite)) {
            throw new IllegalArgumentException("--hosts needs --database-url: only a shared database can serve several hosts");
        }

        Path dir = Files.createTempDirectory("hc-bench");
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        if (noop) {
            TestPluginJar.install(TestPluginJar.Source.NOOP, plugins);
        } else {
            Files.copy(plugin, plugins.resolve("creatio-plugin.jar"));
        }
        System.out.printf(Locale.ROOT, "machine: %d cores (availableProcessors), %s %s, host JVM options %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                System.getProperty("java.version"), hostOpts.isEmpty() ? "(none)" : String.join(" ", hostOpts));
        // --embedded h2: the host finds an H2 file in its data folder, as in an installation made before SQLite was the default
        String embedded = opts.getOrDefault("embedded", "sqlite");
        if (!embedded.equals("sqlite") && !embedded.equals("h2")) {
            throw new IllegalArgumentException("--embedded is sqlite or h2, not " + embedded);
        }
        boolean h2 = databaseUrl == null && embedded.equals("h2");
        String databaseFile = h2 ? "helpdesk-connect.mv.db" : "helpdesk-connect.db";
        System.out.printf(Locale.ROOT, "database: %s%n", databaseUrl == null ? "embedded " + (h2 ? "H2" : "SQLite") + " (one host)"
                : sqlite ? "SQLite file " + databaseUrl.substring("jdbc:sqlite:".length()) + " (one host)"
                : "PostgreSQL, " + hostCount + " host process(es) sharing it");
        if (noop) {
            System.out.println("connector: noop (a real plugin jar whose calls answer at once; no sandbox)");
        }

        List<Process> hostProcesses = new ArrayList<>();
        try (CreatioSandbox sandbox = noop ? null : CreatioSandbox.builder().customColumn("Case", SENTIMENT, EdmType.STRING).start()) {
            // hosts on one database share the admin token and the key file (docs/deployment.md)
            String sharedToken = databaseUrl == null ? null : "hca_bench-" + java.util.UUID.randomUUID();
            List<Integer> ports = new ArrayList<>();
            double readyMs = 0;
            for (int h = 0; h < hostCount; h++) {
                List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
                command.addAll(hostOpts);
                Path data = dir.resolve(h == 0 ? "data" : "data-" + h);
                if (h2) {
                    Database.openH2(data, 2, DatabaseSettings.DEFAULT_LEASE).close();
                }
                command.addAll(List.of("-jar", jar.toString(), "serve", "--port", "0",
                        "--data-dir", data.toString(), "--plugins-dir", plugins.toString()));
                ProcessBuilder builder = new ProcessBuilder(command).redirectError(dir.resolve("host-" + h + ".log").toFile());
                if (!noop) {
                    // the sandbox listens on loopback, which the host's outbound policy denies unless allowed
                    builder.environment().put("HELPDESK_CONNECT_OUTBOUND_ALLOW", "127.0.0.0/8");
                }
                if (databaseUrl != null) {
                    command.addAll(List.of("--key-file", dir.resolve("secret.key").toString()));
                    builder.environment().put("HELPDESK_CONNECT_DATABASE_URL", databaseUrl);
                    builder.environment().put("HELPDESK_CONNECT_ADMIN_TOKEN", sharedToken);
                }
                long launched = System.nanoTime();
                Process host = builder.start();
                hostProcesses.add(host);
                BufferedReader out = new BufferedReader(new InputStreamReader(host.getInputStream(), StandardCharsets.UTF_8));
                String listening = "Helpdesk Connect listening on http://127.0.0.1:";
                String first = out.readLine();
                // JVM options may print first (-XX:StartFlightRecording logs "Started recording 1" to standard output)
                while (first != null && !first.startsWith(listening) && first.startsWith("[")) {
                    first = out.readLine();
                }
                readyMs = Math.max(readyMs, (System.nanoTime() - launched) / 1e6);
                if (first == null || !first.startsWith(listening)) {
                    throw new IllegalStateException("host did not start: " + first + "; see " + dir.resolve("host-" + h + ".log"));
                }
                ports.add(Integer.parseInt(first.substring(first.lastIndexOf(':') + 1)));
            }
            Process host = hostProcesses.get(0);
            // the bootstrap admin token the host generated on this first start (it is exempt from rate limits)
            LoadDriver driver = new LoadDriver(sandbox, ports,
                    sharedToken != null ? sharedToken : Files.readString(dir.resolve("data").resolve("admin.token")).trim());
            driver.hostPids = hostProcesses.stream().map(Process::pid).toList();
            String client = opts.getOrDefault("http-client", "lean");
            if (!client.equals("lean") && !client.equals("jdk")) {
                throw new IllegalArgumentException("--http-client is lean or jdk, not " + client);
            }
            driver.leanClient = client.equals("lean");
            System.out.printf(Locale.ROOT, "driver HTTP client: %s%n", driver.leanClient
                    ? "lean (one blocking keep-alive socket per client thread)" : "JDK HttpClient");
            driver.batch = Integer.parseInt(opts.getOrDefault("batch", "1"));
            if (driver.batch < 1 || driver.batch > 100) {
                throw new IllegalArgumentException("--batch is 1 to 100 (events per request), not " + driver.batch);
            }
            System.out.printf(Locale.ROOT, "events per request: %s%n", driver.batch == 1
                    ? "1 (POST /api/v1/conversations/{id}/events)"
                    : driver.batch + " (POST /api/v1/events; each client thread keeps " + driver.batch
                            + " conversations going, latencies are per batch request)");
            JsonNode health = driver.get("/health");
            System.out.printf(Locale.ROOT, "host ready (process start -> listening line, plugins loaded): %.0f ms; /health %s%n",
                    readyMs, health);
            System.out.printf(Locale.ROOT, "host RSS after start: %s%n", rss(host.pid()));

            driver.putIntegration(0);
            // warm-up: token, lookups, $metadata and the JIT; not counted
            driver.run("warm-up", warmup, 8, false);

            driver.run("zero latency", conversations, clients, true);
            System.out.printf(Locale.ROOT, "host RSS after zero-latency run: %s%n", rss(host.pid()));
            if (databaseUrl == null || sqlite) {
                Path store = sqlite ? Path.of(databaseUrl.substring("jdbc:sqlite:".length()).split("\\?")[0])
                        : dir.resolve("data").resolve(databaseFile);
                System.out.printf(Locale.ROOT, "store file after zero-latency run: %.1f MB (%s, with -wal and -shm)%n",
                        storeBytes(store) / 1e6, store.getFileName());
            }

            if (noop && !latencyLevels.isEmpty()) {
                driver.putIntegration(100);
                for (int n : latencyLevels) {
                    driver.run("100 ms per connector call, " + n + " concurrent conversations", n, n, true);
                }
            } else if (!latencyLevels.isEmpty()) {
                int slow = sandbox.faults().add(FaultRule.on("*", "/0/odata").latency(Duration.ofMillis(100), Duration.ZERO));
                for (int n : latencyLevels) {
                    driver.run("100 ms latency, " + n + " concurrent conversations", n, n, true);
                }
                sandbox.faults().remove(slow);
            }
            System.out.printf(Locale.ROOT, "host RSS at the end: %s%n", rss(host.pid()));
        } finally {
            for (Process host : hostProcesses) {
                host.destroy();
                host.waitFor(20, TimeUnit.SECONDS);
                host.destroyForcibly();
            }
            deleteTree(dir);
        }
    }

    /** The store file with SQLite's -wal and -shm beside it, if any. */
    private static long storeBytes(Path file) throws IOException {
        long total = 0;
        for (String suffix : List.of("", "-wal", "-shm")) {
            Path p = file.resolveSibling(file.getFileName() + suffix);
            total += Files.exists(p) ? Files.size(p) : 0;
        }
        return total;
    }

    /** Saves the integration; {@code noopDelayMs} is the no-op connector's delay per call (Creatio: unused). */
    private void putIntegration(int noopDelayMs) {
        if (sandbox == null) {
            saveIntegration(Map.of("connector", "noop", "settings", Map.of("delayMs", noopDelayMs)));
            return;
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("instanceUrl", sandbox.baseUrl());
        settings.put("identityServerUrl", sandbox.identityUrl());
        settings.put("clientId", sandbox.clientId());
        settings.put("clientSecret", sandbox.clientSecret());
        settings.put("defaultCaseOwnerId", StandardRows.CONTACT_AGENT);
        settings.put("defaultCaseGroupId", StandardRows.SYS_ADMIN_UNIT_SUPPORT_GROUP);
        settings.put("fieldMap", Map.of("sentiment", SENTIMENT));
        saveIntegration(Map.of("connector", "creatio", "settings", settings));
    }

    private void saveIntegration(Map<String, Object> body) {
        HttpResponse<String> r = send("PUT", "/api/v1/integrations/bench", body);
        if (r.statusCode() != 200) {
            throw new IllegalStateException("integration save answered " + r.statusCode() + " " + r.body());
        }
    }

    /** One phase: {@code n} conversations from {@code clients} threads, then wait for the sync to drain. */
    private void run(String name, int n, int clients, boolean report) throws Exception {
        Map<String, Integer> countsBefore = sandbox == null ? Map.of() : sandbox.inspect().requestCounts();
        String prefix = "b" + runId + "-" + sequence.incrementAndGet() + "-";
        Map<String, Long> acceptedAtMs = new ConcurrentHashMap<>();
        List<Long> acceptLatencyNs = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicInteger next = new AtomicInteger();
        long hostCpuBefore = hostCpuMs();
        Map<String, Long> hostThreadsBefore = hostThreadCpuMs();
        long driverCpuBefore = driverCpuMs();
        long started = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < clients; t++) {
            futures.add(pool.submit(() -> {
                List<LeanHttpClient> lean = new ArrayList<>();
                for (String base : bases) {
                    URI uri = URI.create(base);
                    lean.add(new LeanHttpClient(uri.getHost(), uri.getPort(), adminToken));
                }
                try {
                    if (batch > 1) {
                        postBatches(lean, prefix, n, next, acceptedAtMs, acceptLatencyNs);
                        return null;
                    }
                    for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                        String conversation = prefix + i;
                        int turn = i;
                        for (Map<String, Object> event : script(conversation, "customer-" + conversation + "@example.com")) {
                            // several hosts: a conversation's events reach them in turn, as a load balancer may send them
                            int host = turn++ % bases.size();
                            String path = "/api/v1/conversations/" + conversation + "/events";
                            long t0 = System.nanoTime();
                            LeanHttpClient.Response r = post(lean, host, path, event);
                            acceptLatencyNs.add(System.nanoTime() - t0);
                            if (r.status() != 202) {
                                throw new IllegalStateException("event refused: " + r.status() + " " + r.body());
                            }
                            acceptedAtMs.put((String) event.get("eventId"), System.currentTimeMillis());
                        }
                    }
                } finally {
                    lean.forEach(LeanHttpClient::close);
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        long postedNs = System.nanoTime() - started;
        pool.shutdown();
        // the sync has caught up when the outbox is empty
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (pendingOperations() > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("sync did not drain in 5 minutes");
            }
            Thread.sleep(20);
        }
        long drainedNs = System.nanoTime() - started;
        long hostCpu = hostCpuMs() - hostCpuBefore;
        Map<String, Long> hostThreads = new TreeMap<>();
        hostThreadCpuMs().forEach((thread, ms) -> hostThreads.merge(thread.substring(thread.lastIndexOf('/') + 1),
                ms - hostThreadsBefore.getOrDefault(thread, 0L), Long::sum));
        long driverCpu = driverCpuMs() - driverCpuBefore;
        if (!report) {
            return;
        }
        List<Long> syncLatencyMs = new ArrayList<>();
        long firstAccept = Long.MAX_VALUE;
        long lastSynced = 0;
        int unsynced = 0;
        for (int i = 0; i < n; i++) {
            JsonNode c = get("/api/v1/conversations/" + prefix + i + "?integrationId=bench");
            if (!"resolved".equals(c.path("status").asText()) || !c.path("parked").isEmpty()) {
                throw new IllegalStateException("conversation not finished: " + c);
            }
            for (JsonNode entry : c.get("transcript")) {
                Long accepted = acceptedAtMs.get(entry.get("eventId").asText());
                if (entry.get("syncedAt").isNull()) {
                    unsynced++;
                    continue;
                }
                long synced = instant(entry.get("syncedAt")).toEpochMilli();
                syncLatencyMs.add(Math.max(0, synced - accepted));
                firstAccept = Math.min(firstAccept, accepted);
                lastSynced = Math.max(lastSynced, synced);
            }
        }
        int events = n * EVENTS_PER_CONVERSATION;
        Collections.sort(syncLatencyMs);
        List<Long> accept = new ArrayList<>(acceptLatencyNs);
        Collections.sort(accept);
        System.out.printf(Locale.ROOT, "%n== %s: %d conversations, %d events, %d client threads ==%n", name, n, events, clients);
        System.out.printf(Locale.ROOT, "accepted: %.0f events/s (all %d accepted in %.2f s); accept latency p50 %.1f ms, p99 %.1f ms%n",
                events / (postedNs / 1e9), events, postedNs / 1e9, pct(accept, 50) / 1e6, pct(accept, 99) / 1e6);
        System.out.printf(Locale.ROOT, "synced: all done %.2f s after the first post (%.2f s after the last accept); "
                        + "%.0f events/s, %.1f conversations/s%n",
                drainedNs / 1e9, (drainedNs - postedNs) / 1e9,
                events / ((lastSynced - firstAccept) / 1e3), n / ((lastSynced - firstAccept) / 1e3));
        System.out.printf(Locale.ROOT, "sync latency accept -> %s: p50 %d ms, p99 %d ms, max %d ms (%d entries%s)%n",
                sandbox == null ? "connector call" : "Creatio write",
                pct(syncLatencyMs, 50), pct(syncLatencyMs, 99), syncLatencyMs.get(syncLatencyMs.size() - 1),
                syncLatencyMs.size(), unsynced == 0 ? "" : ", " + unsynced + " without syncedAt");
        // who used the 2 cores from the first post until drained: the host vs the driver JVM (clients + sandbox)
        System.out.printf(Locale.ROOT, "CPU until drained (%.2f s wall): host %.2f s (%.2f ms per event), %s %.2f s (%.2f ms per event)%n",
                drainedNs / 1e9, hostCpu / 1e3, (double) hostCpu / (n * EVENTS_PER_CONVERSATION),
                sandbox == null ? "driver" : "driver + sandbox", driverCpu / 1e3, (double) driverCpu / (n * EVENTS_PER_CONVERSATION));
        if (sandbox == null) {
            System.out.printf(Locale.ROOT, "host CPU by thread, ms per event: JIT compiler %.2f, GC + VM thread %.2f, other threads %.2f%n",
                    hostThreads.getOrDefault("jit", 0L) / (double) events, hostThreads.getOrDefault("vm", 0L) / (double) events,
                    (hostThreads.values().stream().mapToLong(Long::longValue).sum() - hostThreads.getOrDefault("jit", 0L)
                            - hostThreads.getOrDefault("vm", 0L)) / (double) events);
            System.out.printf(Locale.ROOT, "  of those: HTTP (Jetty) %.2f, event writer %.2f, sync (dispatcher, workers, outcome writer) %.2f, "
                            + "other %.2f%n", hostThreads.getOrDefault("http", 0L) / (double) events,
                    hostThreads.getOrDefault("intake", 0L) / (double) events, hostThreads.getOrDefault("sync", 0L) / (double) events,
                    hostThreads.getOrDefault("java", 0L) / (double) events);
            return;
        }
        Map<String, Integer> diff = new TreeMap<>();
        sandbox.inspect().requestCounts().forEach((endpoint, count) -> {
            int d = count - countsBefore.getOrDefault(endpoint, 0);
            if (d > 0) {
                diff.put(endpoint, d);
            }
        });
        int creatioRequests = diff.values().stream().mapToInt(Integer::intValue).sum();
        System.out.printf(Locale.ROOT, "Creatio requests: %.2f per conversation (%d in all) %s%n",
                creatioRequests / (double) n, creatioRequests, diff);
    }

    /**
     * {@code --batch N}: this client thread keeps up to N conversations going and posts their next
     * events together in one {@code POST /api/v1/events}; a conversation's next event goes only
     * after the batch that carried its previous one was answered (accepted), as with one request
     * per event. Each event's accept latency is its batch request's.
     */
    private void postBatches(List<LeanHttpClient> lean, String prefix, int n, AtomicInteger next,
                             Map<String, Long> acceptedAtMs, List<Long> acceptLatencyNs) throws IOException {
        List<List<Map<String, Object>>> open = new ArrayList<>();
        int request = 0;
        while (true) {
            while (open.size() < batch) {
                int i = next.getAndIncrement();
                if (i >= n) {
                    break;
                }
                String conversation = prefix + i;
                List<Map<String, Object>> events = new ArrayList<>();
                for (Map<String, Object> event : script(conversation, "customer-" + conversation + "@example.com")) {
                    event.put("conversationId", conversation);
                    events.add(event);
                }
                open.add(events);
            }
            if (open.isEmpty()) {
                return;
            }
            List<Map<String, Object>> events = open.stream().map(script -> script.get(0)).toList();
            // several hosts: the batches reach them in turn, as a load balancer may send them
            int host = request++ % bases.size();
            long t0 = System.nanoTime();
            LeanHttpClient.Response r = post(lean, host, "/api/v1/events", Map.of("events", events));
            long latency = System.nanoTime() - t0;
            JsonNode answer = r.status() == 200 ? JSON.readTree(r.body()) : null;
            if (answer == null || answer.path("accepted").asInt() != events.size()) {
                throw new IllegalStateException("batch refused: " + r.status() + " " + r.body());
            }
            long now = System.currentTimeMillis();
            for (Map<String, Object> event : events) {
                acceptLatencyNs.add(latency);
                acceptedAtMs.put((String) event.get("eventId"), now);
            }
            open.forEach(script -> script.remove(0));
            open.removeIf(List::isEmpty);
        }
    }

    /** POSTs a measured request as JSON to host {@code host} through the chosen client (see {@code --http-client}). */
    private LeanHttpClient.Response post(List<LeanHttpClient> lean, int host, String path, Object body) throws IOException {
        if (leanClient) {
            return lean.get(host).postJson(path, JSON.writeValueAsBytes(body));
        }
        HttpResponse<String> r = send(host, "POST", path, body);
        return new LeanHttpClient.Response(r.statusCode(), r.body());
    }

    private static List<Map<String, Object>> script(String conversation, String email) {
        Instant now = Instant.now();
        Map<String, Object> message = event(conversation + "-1", "customer_message", now);
        message.put("text", "Where is my parcel? Order " + conversation);
        message.put("customer", Map.of("name", "Bench Customer", "email", email));
        Map<String, Object> reply = event(conversation + "-2", "ai_reply", now);
        reply.put("text", "Let me check the tracking for you.");
        Map<String, Object> handoff = event(conversation + "-3", "handoff", now);
        handoff.put("summary", "Parcel lost in transit; customer wants a refund");
        handoff.put("fields", Map.of("priority", "High", "category", "Incident", "sentiment", "upset"));
        Map<String, Object> resolved = event(conversation + "-4", "resolved", now);
        resolved.put("resolution", "Refund issued");
        return List.of(message, reply, handoff, resolved);
    }

    private static Map<String, Object> event(String eventId, String type, Instant at) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("eventId", eventId);
        event.put("integrationId", "bench");
        event.put("type", type);
        event.put("occurredAt", at.toString());
        return event;
    }

    private long pendingOperations() {
        String metrics = send("GET", "/metrics", null).body();
        for (String line : metrics.split("\n")) {
            if (line.startsWith("helpdesk_connect_outbox_pending ")) {
                return (long) Double.parseDouble(line.substring(line.indexOf(' ') + 1).trim());
            }
        }
        throw new IllegalStateException("no helpdesk_connect_outbox_pending in /metrics");
    }

    private JsonNode get(String path) {
        try {
            return JSON.readTree(send("GET", path, null).body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpResponse<String> send(String method, String path, Object body) {
        return send(0, method, path, body);
    }

    private HttpResponse<String> send(int host, String method, String path, Object body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(bases.get(host) + path)).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + adminToken);
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                        .header("Content-Type", "application/json");
            }
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Instant instant(JsonNode node) {
        return node.isNumber() ? Instant.ofEpochMilli((long) (node.asDouble() * 1000)) : Instant.parse(node.asText());
    }

    private static long pct(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    /** VmRSS (now) and VmHWM (peak) of the host process, from /proc. */
    /** utime + stime of the host processes from /proc (clock ticks of 10 ms on Linux), summed. */
    private long hostCpuMs() {
        long total = 0;
        for (long pid : hostPids) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                total += (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
            } catch (IOException | RuntimeException e) {
                // gone: counts nothing
            }
        }
        return total;
    }

    /**
     * utime + stime of each thread of the host processes (/proc/<pid>/task), keyed {@code pid/tid/kind}: kind
     * {@code jit} (compiler threads), {@code vm} (VM thread, where the serial GC runs, and GC threads), {@code http}
     * (Jetty's pool: requests), {@code intake} (the event writer), {@code sync} (dispatcher, workers, outcome writer)
     * or {@code java} (the rest). A thread that ended between two readings (the JVM stops idle compiler threads) is missing
     * from the later one, so the kinds may add up to less than {@link #hostCpuMs}.
     */
    private Map<String, Long> hostThreadCpuMs() {
        Map<String, Long> byThread = new TreeMap<>();
        for (long pid : hostPids) {
            try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
                for (Path task : tasks.toList()) {
                    try {
                        String stat = Files.readString(task.resolve("stat"));
                        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        String kind = name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler") ? "jit"
                                : name.equals("VM Thread") || name.startsWith("GC Thread") || name.startsWith("G1 ") ? "vm"
                                // the host's thread names (Linux cuts them to 15 characters)
                                : name.startsWith("JettyServerThre") ? "http"
                                : name.equals("event-writer") ? "intake"
                                : name.startsWith("sync-") || name.equals("outbox-writer") ? "sync" : "java";
                        byThread.put(pid + "/" + task.getFileName() + "/" + kind, (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10);
                    } catch (IOException | RuntimeException e) {
                        // the thread ended: counts nothing
                    }
                }
            } catch (IOException e) {
                // the process is gone
            }
        }
        return byThread;
    }

    private static long driverCpuMs() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() / 1_000_000 : 0;
    }

    private static String rss(long pid) {
        try {
            Map<String, String> status = new LinkedHashMap<>();
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:") || line.startsWith("VmHWM:")) {
                    String[] parts = line.split("\\s+");
                    status.put(parts[0], String.format(Locale.ROOT, "%.0f MB", Long.parseLong(parts[1]) / 1024.0));
                }
            }
            return status.toString();
        } catch (IOException e) {
            return "(no /proc: " + e.getMessage() + ")";
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
