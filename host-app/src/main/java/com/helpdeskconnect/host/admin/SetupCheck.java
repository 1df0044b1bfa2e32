package com.helpdeskconnect.host.admin;

import com.helpdeskconnect.api.Capability;
import com.helpdeskconnect.api.HelpdeskConnection;
import com.helpdeskconnect.api.cases.CaseRef;
import com.helpdeskconnect.api.cases.FieldDescriptor;
import com.helpdeskconnect.api.errors.ConnectorException;
import com.helpdeskconnect.host.events.ConversationEvent;
import com.helpdeskconnect.host.events.EventType;
import com.helpdeskconnect.host.integrations.ActiveIntegration;
import com.helpdeskconnect.host.integrations.IntegrationService;
import com.helpdeskconnect.host.storage.ConversationStore.ConversationRow;
import com.helpdeskconnect.host.storage.ConversationStore.TranscriptEntry;
import com.helpdeskconnect.host.storage.ConversationStores;
import com.helpdeskconnect.host.storage.EventIntake;
import com.helpdeskconnect.host.storage.OutboxStore.OperationRow;
import com.helpdeskconnect.host.storage.OutboxStore;
import com.helpdeskconnect.host.storage.WebhookInbox;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "Check the setup": the setup guide's verification, run by the host for the admin. A clearly
 * marked test conversation (ids {@code setup-check-...}, customer "Helpdesk Connect setup check")
 * goes through the normal event path, so it proves what real conversations will do: the case is
 * created, the messages reach it, the handoff applies (summary, assignment, auto-filled fields).
 * Then the webhook wiring: the helpdesk's processes fire on our own writes too (the connector drops
 * those calls as echoes, but each authenticated call is in the webhook log), so an authenticated
 * call for the integration received after the check started proves the processes run, reach the
 * host and carry the right secret. Finally the test conversation is resolved (its parked test
 * operations discarded). Each wait is bounded; each step reports passed, warning, failed or skipped,
 * a failure with the troubleshooting entry of the connector's guide that fits.
 *
 * <p>Runs in the background; the latest run per integration is kept in memory (a restart forgets
 * it, the audit log keeps who ran it and the outcome).
 */
public final class SetupCheck implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SetupCheck.class);

    public static final String ID_PREFIX = "setup-check-";
    public static final String CUSTOMER_NAME = "Helpdesk Connect setup check";
    /** One address for every check, so a helpdesk that keys contacts by email keeps one test contact. */
    public static final String CUSTOMER_EMAIL = "setup-check@helpdesk-connect.invalid";
    static final String FIELDS_NOT_FILLED = "Some fields were not filled: ";

    /** How long each step waits at most, and how often it looks. */
    public record Timing(Duration caseWait, Duration syncWait, Duration webhookWait, Duration cleanupWait, Duration poll) {
        public static final Timing DEFAULT = new Timing(Duration.ofSeconds(30), Duration.ofSeconds(20),
                Duration.ofSeconds(20), Duration.ofSeconds(20), Duration.ofMillis(200));
    }

    /** A step's or a run's state; on the wire in lower case. */
    public enum Outcome {
        PENDING, RUNNING, PASSED, WARNING, FAILED, SKIPPED;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One step of a run; written by the check's thread, read by requests. */
    public static final class Step {
        private final String id;
        private final String title;
        private volatile Outcome outcome = Outcome.PENDING;
        private volatile String detail = "";
        private volatile Guides.Troubleshooting help;

        Step(String id, String title) {
            this.id = id;
            this.title = title;
        }

        public String id() {
            return id;
        }

        public Outcome outcome() {
            return outcome;
        }

        public String detail() {
            return detail;
        }

        Map<String, Object> view() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("id", id);
            json.put("title", title);
            json.put("state", outcome.wire());
            json.put("detail", detail);
            Guides.Troubleshooting h = help;
            json.put("troubleshooting", h == null ? null : Map.of("title", h.title(), "items", h.items(), "doc", h.doc()));
            return json;
        }
    }

    /** One run of the check. */
    public static final class Run {
        private final String checkId;
        private final String integrationId;
        private final String connectorId;
        private final String conversationId;
        private final Instant startedAt;
        private final Map<String, Step> steps = new LinkedHashMap<>();
        private volatile Instant finishedAt;
        private volatile Outcome outcome = Outcome.RUNNING;
        private volatile CaseRef caseRef;

        Run(String checkId, String integrationId, String connectorId, String helpdesk, Instant startedAt) {
            this.checkId = checkId;
            this.integrationId = integrationId;
            this.connectorId = connectorId;
            this.conversationId = checkId;
            this.startedAt = startedAt;
            for (Step s : List.of(
                    new Step("send", "Send a test conversation"),
                    new Step("case", "The case is created in " + helpdesk),
                    new Step("messages", "The messages reach the case"),
                    new Step("handoff", "The handoff is applied (summary, assignment, auto-filled fields)"),
                    new Step("webhook", helpdesk + " calls Helpdesk Connect back (webhook wiring)"),
                    new Step("cleanup", "The test conversation is resolved"))) {
                steps.put(s.id(), s);
            }
        }

        public String checkId() {
            return checkId;
        }

        public String integrationId() {
            return integrationId;
        }

        public String conversationId() {
            return conversationId;
        }

        public Outcome outcome() {
            return outcome;
        }

        public boolean running() {
            return outcome == Outcome.RUNNING;
        }

        public List<Step> steps() {
            return List.copyOf(steps.values());
        }

        Step step(String id) {
            return steps.get(id);
        }

        public Map<String, Object> view() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("checkId", checkId);
            json.put("integrationId", integrationId);
            json.put("connector", connectorId);
            json.put("conversationId", conversationId);
            json.put("state", outcome.wire());
            json.put("startedAt", startedAt.toString());
            json.put("finishedAt", finishedAt == null ? null : finishedAt.toString());
            CaseRef ref = caseRef;
            json.put("case", ref == null ? null : Map.of("id", ref.id(), "number", ref.number() == null ? "" : ref.number(),
                    "link", ref.link() == null ? "" : ref.link().toString()));
            json.put("steps", steps.values().stream().map(Step::view).toList());
            return json;
        }
    }

    /** Thrown by {@link #start} while a check of the same integration runs. */
    public static final class AlreadyRunning extends RuntimeException {
        private static final long serialVersionUID = 1L;

        AlreadyRunning(String integrationId) {
            super("A setup check of '" + integrationId + "' is running; wait for it to finish");
        }
    }

    private final ConversationStores store;
    private final IntegrationService integrations;
    private final WebhookInbox inbox;
    private final Guides guides;
    private final Consumer<String> accepted;
    private final Timing timing;
    private final Map<String, Run> latest = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final AtomicInteger threads = new AtomicInteger();
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "setup-check-" + threads.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    /**
     * @param accepted told the conversation id after events were committed (wakes the sync worker,
     *                 tells live streams)
     */
    public SetupCheck(ConversationStores store, IntegrationService integrations, WebhookInbox inbox, Guides guides,
                      Consumer<String> accepted, Timing timing) {
        this.store = store;
        this.integrations = integrations;
        this.inbox = inbox;
        this.guides = guides;
        this.accepted = accepted;
        this.timing = timing;
    }

    /** The latest run of an integration's check, running or finished. */
    public Optional<Run> latest(String integrationId) {
        return Optional.ofNullable(latest.get(integrationId));
    }

    /**
     * Starts a check in the background.
     *
     * @param target   the integration's lent connection; given back when the run ends
     * @param finished told when the run has finished (the audit log records the outcome)
     * @throws AlreadyRunning when the integration's previous check still runs
     */
    public synchronized Run start(ActiveIntegration target, Consumer<Run> finished) {
        Run previous = latest.get(target.id());
        if (previous != null && previous.running()) {
            throw new AlreadyRunning(target.id());
        }
        Instant now = Instant.now();
        String checkId = ID_PREFIX + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(now)
                + "-" + HexFormat.of().formatHex(randomBytes(3));
        Run run = new Run(checkId, target.id(), target.connector().id(), target.connector().descriptor().name(), now);
        latest.put(target.id(), run);
        executor.execute(() -> {
            try {
                execute(run, target);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failRunning(run, "The host is stopping; the check was cut short");
            } catch (RuntimeException e) {
                log.warn("Setup check {} of '{}' failed unexpectedly", run.checkId(), run.integrationId(), e);
                failRunning(run, "Unexpected error: " + e.getMessage());
            } finally {
                target.close();
                finish(run);
                try {
                    finished.accept(run);
                } catch (RuntimeException e) {
                    log.warn("Recording the end of setup check {}: {}", run.checkId(), e.toString());
                }
            }
        });
        return run;
    }

    private byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    private void execute(Run run, ActiveIntegration target) throws InterruptedException {
        String connector = target.connector().id();
        String helpdesk = target.connector().descriptor().name();
        String cid = run.conversationId();

        // 1. the test conversation, through the normal event path
        Step send = begin(run, "send");
        Map<String, Object> fields = new LinkedHashMap<>();
        String fieldNote = sampleFields(target, fields);
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        ConversationEvent.Contact customer = new ConversationEvent.Contact(CUSTOMER_NAME, CUSTOMER_EMAIL, null);
        try {
            store.intake().accept(new ConversationEvent(cid + "-customer", cid, run.integrationId(), EventType.CUSTOMER_MESSAGE, at,
                    "Helpdesk Connect setup check: a test conversation started from the admin console. Safe to ignore; "
                            + "it is resolved automatically.", customer, null, null, null, null, null));
            store.intake().accept(new ConversationEvent(cid + "-ai", cid, run.integrationId(), EventType.AI_REPLY, at.plusMillis(1),
                    "This is the AI assistant's test answer of the setup check.", null, null, null, null, null, null));
            store.intake().accept(new ConversationEvent(cid + "-handoff", cid, run.integrationId(), EventType.HANDOFF, at.plusMillis(2),
                    null, null, "Setup check: a test handoff from the Helpdesk Connect admin console"
                    + (fields.isEmpty() ? "." : ", with sample values for " + fields.keySet() + "."),
                    fields, null, null, null));
        } catch (RuntimeException e) {
            fail(send, "The test conversation could not be stored: " + e.getMessage(), connector, "cases");
            skipRest(run);
            return;
        }
        accepted.accept(cid);
        pass(send, "Sent a customer message, an AI reply and a handoff as conversation " + cid + fieldNote);

        // 2. the case
        Step caseStep = begin(run, "case");
        waitFor(timing.caseWait(), () -> caseOf(run).isPresent() || parked(run).isPresent());
        Optional<CaseRef> ref = caseOf(run);
        if (ref.isEmpty()) {
            fail(caseStep, problem(run, "No case after " + timing.caseWait().toSeconds() + " s"), connector, "cases");
            skipRest(run);
            cleanup(run, connector);
            return;
        }
        run.caseRef = ref.get();
        String caseName = ref.get().number() == null || ref.get().number().isBlank() ? ref.get().id() : ref.get().number();
        pass(caseStep, "Case " + caseName + " was created in " + helpdesk
                + (target.options().createCaseOnlyOnHandoff() ? " at the handoff (\"create case only on handoff\" is on)" : ""));

        // 3. the messages
        Step messages = begin(run, "messages");
        waitFor(timing.syncWait(), () -> synced(run, cid + "-customer") && synced(run, cid + "-ai") || parked(run).isPresent());
        if (synced(run, cid + "-customer") && synced(run, cid + "-ai")) {
            pass(messages, "The customer message and the AI reply are on case " + caseName);
        } else {
            fail(messages, problem(run, "The messages did not reach the case within " + timing.syncWait().toSeconds() + " s"),
                    connector, "messages");
        }

        // 4. the handoff: summary, assignment, fields
        Step handoff = begin(run, "handoff");
        waitFor(timing.syncWait(), () -> synced(run, cid + "-handoff") || parked(run).isPresent());
        if (!synced(run, cid + "-handoff")) {
            fail(handoff, problem(run, "The handoff was not applied within " + timing.syncWait().toSeconds() + " s"),
                    connector, "cases");
        } else {
            String note = store.conversations().conversation(run.integrationId(), cid).map(ConversationRow::lastError).orElse(null);
            Map<String, String> rejected = rejectedFields(note, fields.keySet());
            Set<String> applied = new LinkedHashSet<>(fields.keySet());
            applied.removeAll(rejected.keySet());
            StringBuilder detail = new StringBuilder("The summary was added to case " + caseName
                    + "; owner and group: the integration's defaults (the check names none)");
            if (fields.isEmpty()) {
                detail.append("; no auto-fill fields were sent").append(fieldNote);
            } else {
                detail.append("; fields filled: ").append(applied.isEmpty() ? "none" : String.join(", ", applied));
                if (!rejected.isEmpty()) {
                    detail.append("; rejected: ");
                    detail.append(String.join("; ", rejected.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + ")").toList()));
                } else if (note != null && note.startsWith(FIELDS_NOT_FILLED)) {
                    detail.append("; ").append(note); // a note this check could not read field by field
                }
            }
            if (rejected.isEmpty()) {
                pass(handoff, detail.toString());
            } else {
                handoff.detail = detail.toString();
                handoff.help = guides.troubleshooting(connector, "fields").orElse(null);
                handoff.outcome = Outcome.WARNING;
            }
        }

        // 5. the webhook wiring: any authenticated call for this integration since the check started
        Step webhook = begin(run, "webhook");
        if (!target.connector().descriptor().supports(Capability.WEBHOOKS)) {
            webhook.detail = "Skipped: the connector takes no webhooks (agent replies do not come back from " + helpdesk + ")";
            webhook.outcome = Outcome.SKIPPED;
            cleanup(run, connector);
            return;
        }
        Optional<WebhookInbox.Status> call = Optional.empty();
        if (waitFor(timing.webhookWait(), () -> webhookSince(run).isPresent())) {
            call = webhookSince(run);
        }
        if (call.isPresent()) {
            WebhookInbox.Status s = call.get();
            pass(webhook, helpdesk + " called the webhook with the right secret at " + s.receivedAt().truncatedTo(ChronoUnit.SECONDS)
                    + " (call " + s.id() + ", " + s.state().toLowerCase(Locale.ROOT)
                    + (s.note() == null || s.note().isBlank() ? "" : ": " + s.note()) + ")");
        } else {
            fail(webhook, "No authenticated call from " + helpdesk + " arrived within " + timing.webhookWait().toSeconds()
                    + " s of the test case's activity. Either the processes did not run or could not reach the webhook URL, or "
                    + "they sent a missing or wrong secret (refused with 401, so not in the webhook log). A process filter "
                    + "that skips the integration's own writes also hides the test: then reply to any case in " + helpdesk
                    + " and look for the call under Health.", connector, "webhook");
        }
        cleanup(run, connector);
    }

    /**
     * Resolves the test conversation and waits for the resolve to reach the helpdesk. Test
     * operations that park meanwhile are discarded (they were only the test's), so they neither
     * hold the resolve back nor stay in the integration's health view.
     */
    private void cleanup(Run run, String connector) throws InterruptedException {
        Step cleanup = begin(run, "cleanup");
        String cid = run.conversationId();
        int[] discarded = {0};
        try {
            store.intake().accept(new ConversationEvent(cid + "-resolved", cid, run.integrationId(), EventType.RESOLVED,
                    Instant.now().truncatedTo(ChronoUnit.MILLIS), null, null, null, null, null, null,
                    "Closed by the Helpdesk Connect setup check."));
        } catch (RuntimeException e) {
            fail(cleanup, "The resolve of the test conversation could not be stored: " + e.getMessage(), connector, "cleanup");
            return;
        }
        accepted.accept(cid);
        boolean resolved = waitFor(timing.cleanupWait(), () -> {
            if (synced(run, cid + "-resolved")) {
                return true;
            }
            for (OperationRow op : store.outbox().openOperations(run.integrationId(), cid)) {
                if (op.state().equals("PARKED")
                        && store.outbox().discard(run.integrationId(), cid, op.id()) == OutboxStore.Discarded.DISCARDED) {
                    discarded[0]++;
                    accepted.accept(cid);
                }
            }
            return false;
        });
        String discardNote = discarded[0] == 0 ? "" : "; " + discarded[0] + " parked test operation(s) discarded";
        Optional<CaseRef> ref = caseOf(run);
        String caseName = ref.map(r -> r.number() == null || r.number().isBlank() ? r.id() : r.number()).orElse(null);
        if (resolved) {
            pass(cleanup, (caseName == null ? "The test conversation was resolved; no case was created in the helpdesk"
                    : "Test case " + caseName + " was resolved") + discardNote);
        } else {
            cleanup.detail = (caseName == null ? "The test conversation" : "Test case " + caseName) + " is not resolved yet: "
                    + "its resolve waits behind operations that are retrying, and runs when they finish. Resolve it by hand "
                    + "if it stays open" + discardNote;
            cleanup.help = guides.troubleshooting(connector, "cleanup").orElse(null);
            cleanup.outcome = Outcome.WARNING;
        }
    }

    /**
     * Values the connector's catalogue accepts, one per field it lists (the first allowed value of a
     * lookup); empty, with the reason appended to the step's text, when it cannot fill fields.
     */
    private String sampleFields(ActiveIntegration target, Map<String, Object> into) {
        if (!target.connector().descriptor().supports(Capability.FILL_FIELDS)) {
            return " (the connector does not fill fields)";
        }
        List<FieldDescriptor> catalogue;
        try {
            catalogue = target.call(HelpdeskConnection::describeFields);
        } catch (UnsupportedOperationException e) {
            return " (the connector does not list its fields)";
        } catch (ConnectorException e) {
            return " (the field catalogue could not be read: " + e.getMessage() + ")";
        }
        for (FieldDescriptor f : catalogue) {
            Object value = switch (f.type()) {
                case LOOKUP -> f.allowedValues().isEmpty() ? null : f.allowedValues().get(0);
                case TEXT -> CUSTOMER_NAME;
                case NUMBER -> 1;
                case BOOLEAN -> Boolean.TRUE;
                case DATE -> LocalDate.now(ZoneOffset.UTC).toString();
                case DATE_TIME -> Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
            };
            if (value != null) {
                into.put(f.name(), value);
            }
        }
        return "";
    }

    /**
     * The rejected fields in the conversation's note, which the sync writes as
     * {@code Some fields were not filled: {name=reason, other=reason}} (names sorted). Only names
     * the check sent are looked for, so a reason that contains ", x=" cannot split wrongly.
     */
    static Map<String, String> rejectedFields(String note, Set<String> sent) {
        Map<String, String> rejected = new LinkedHashMap<>();
        if (note == null || !note.startsWith(FIELDS_NOT_FILLED)) {
            return rejected;
        }
        String body = note.substring(FIELDS_NOT_FILLED.length()).strip();
        if (body.startsWith("{") && body.endsWith("}")) {
            body = body.substring(1, body.length() - 1);
        }
        TreeMap<Integer, String> starts = new TreeMap<>();
        for (String name : sent) {
            if (body.startsWith(name + "=")) {
                starts.put(0, name);
            }
            int from = 0;
            while (true) {
                int i = body.indexOf(", " + name + "=", from);
                if (i < 0) {
                    break;
                }
                starts.put(i + 2, name);
                from = i + 1;
            }
        }
        List<Map.Entry<Integer, String>> ordered = new ArrayList<>(starts.entrySet());
        for (int k = 0; k < ordered.size(); k++) {
            int start = ordered.get(k).getKey() + ordered.get(k).getValue().length() + 1;
            int end = k + 1 < ordered.size() ? ordered.get(k + 1).getKey() - 2 : body.length();
            if (end >= start) {
                rejected.put(ordered.get(k).getValue(), body.substring(start, end));
            }
        }
        return rejected;
    }

    private Optional<CaseRef> caseOf(Run run) {
        return store.conversations().conversation(run.integrationId(), run.conversationId()).map(ConversationRow::caseRef);
    }

    private Optional<OperationRow> parked(Run run) {
        return store.outbox().openOperations(run.integrationId(), run.conversationId()).stream()
                .filter(o -> o.state().equals("PARKED")).findFirst();
    }

    private boolean synced(Run run, String eventId) {
        for (TranscriptEntry e : store.conversations().transcript(run.integrationId(), run.conversationId())) {
            if (e.eventId().equals(eventId)) {
                return e.syncedAt() != null;
            }
        }
        return false;
    }

    private Optional<WebhookInbox.Status> webhookSince(Run run) {
        return inbox.recent(run.integrationId(), 20).stream()
                .filter(s -> !s.receivedAt().isBefore(run.startedAt))
                .reduce((newer, older) -> older); // the first call after the start
    }

    /** What holds the conversation up: a parked operation's reason, a retrying one's last error, or the timeout. */
    private String problem(Run run, String timeout) {
        List<OperationRow> open = store.outbox().openOperations(run.integrationId(), run.conversationId());
        for (OperationRow op : open) {
            if (op.state().equals("PARKED")) {
                return "The " + op.operation() + " operation was parked: " + op.lastError();
            }
        }
        for (OperationRow op : open) {
            if (op.lastError() != null) {
                return timeout + "; the " + op.operation() + " operation is retrying (" + op.attempts() + " attempts): "
                        + op.lastError();
            }
        }
        return timeout + "; the sync has not run it yet (is the host busy?)";
    }

    private boolean waitFor(Duration max, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
            if (done.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(timing.poll().toMillis());
        }
    }

    private static Step begin(Run run, String id) {
        Step step = run.step(id);
        step.outcome = Outcome.RUNNING;
        return step;
    }

    private static void pass(Step step, String detail) {
        step.detail = detail;
        step.outcome = Outcome.PASSED;
    }

    private void fail(Step step, String detail, String connector, String troubleshooting) {
        step.detail = detail;
        step.help = guides.troubleshooting(connector, troubleshooting).orElse(null);
        step.outcome = Outcome.FAILED;
    }

    private static void skipRest(Run run) {
        for (Step s : run.steps()) {
            if (s.outcome == Outcome.PENDING && !s.id().equals("cleanup")) {
                s.detail = "Skipped: an earlier step failed";
                s.outcome = Outcome.SKIPPED;
            }
        }
    }

    private static void failRunning(Run run, String detail) {
        for (Step s : run.steps()) {
            if (s.outcome == Outcome.RUNNING) {
                s.detail = detail;
                s.outcome = Outcome.FAILED;
            } else if (s.outcome == Outcome.PENDING) {
                s.detail = "Not run";
                s.outcome = Outcome.SKIPPED;
            }
        }
    }

    private static void finish(Run run) {
        for (Step s : run.steps()) {
            if (s.outcome == Outcome.PENDING || s.outcome == Outcome.RUNNING) {
                s.outcome = Outcome.SKIPPED;
            }
        }
        boolean failed = run.steps().stream().anyMatch(s -> s.outcome == Outcome.FAILED);
        boolean warned = run.steps().stream().anyMatch(s -> s.outcome == Outcome.WARNING);
        run.finishedAt = Instant.now();
        run.outcome = failed ? Outcome.FAILED : warned ? Outcome.WARNING : Outcome.PASSED;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
