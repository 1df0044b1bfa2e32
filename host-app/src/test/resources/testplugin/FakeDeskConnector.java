package test.fakedesk;

import com.helpdeskconnect.api.Capability;
import com.helpdeskconnect.api.ConnectorDescriptor;
import com.helpdeskconnect.api.HelpdeskConnection;
import com.helpdeskconnect.api.HelpdeskConnector;
import com.helpdeskconnect.api.IntegrationContext;
import com.helpdeskconnect.api.OperationContext;
import com.helpdeskconnect.api.VerificationResult;
import com.helpdeskconnect.api.cases.Activity;
import com.helpdeskconnect.api.cases.CaseDraft;
import com.helpdeskconnect.api.cases.CaseRef;
import com.helpdeskconnect.api.cases.FieldDescriptor;
import com.helpdeskconnect.api.cases.FieldType;
import com.helpdeskconnect.api.cases.FieldValues;
import com.helpdeskconnect.api.cases.FillResult;
import com.helpdeskconnect.api.cases.Handoff;
import com.helpdeskconnect.api.cases.Resolution;
import com.helpdeskconnect.api.cases.Visibility;
import com.helpdeskconnect.api.errors.ErrorKind;
import com.helpdeskconnect.api.errors.PermanentException;
import com.helpdeskconnect.api.errors.RateLimitedException;
import com.helpdeskconnect.api.errors.TransientException;
import com.helpdeskconnect.api.errors.WebhookAuthenticationException;
import com.helpdeskconnect.api.settings.Secret;
import com.helpdeskconnect.api.settings.Setting;
import com.helpdeskconnect.api.state.ConnectorState;
import com.helpdeskconnect.api.webhook.AgentReplied;
import com.helpdeskconnect.api.webhook.HelpdeskEvent;
import com.helpdeskconnect.api.webhook.WebhookRequest;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.pf4j.Extension;

/**
 * A helpdesk double compiled by the host's tests into a plugin jar (SPI 2.0). It keeps its
 * "helpdesk" in a journal file (one line per write), honours the idempotency keys by reading that
 * journal and its durable state, and can be told through its settings to fail or to be slow. Opening
 * and closing connections is logged to {@code <journal>.lifecycle}, and with {@code traceWrites} the start
 * and end of each write to {@code <journal>.writes}.
 */
@Extension
public class FakeDeskConnector implements HelpdeskConnector {

    public record FakeSettings(
            @Setting(label = "Journal file") @NotBlank String journal,
            @Setting(label = "Helpdesk URL", help = "Never called; the secrets are bound to it") URI url,
            @Setting(label = "Password") @NotNull Secret password,
            @Setting(label = "Fail the first N writes") int failFirst,
            @Setting(label = "Failure kind", defaultValue = "TRANSIENT") String failKind,
            @Setting(label = "Retry-After of a rate limit, ms", defaultValue = "300") int retryAfterMs,
            @Setting(label = "Delay per write in ms") int delayMs,
            @Setting(label = "Log each write's start and end to <journal>.writes") boolean traceWrites,
            @Setting(label = "A customer message on a resolved case", defaultValue = "REOPEN") String onResolvedCase,
            @Setting(label = "Webhook secret", generated = true) Secret webhookSecret) {}

    private static final Object JOURNAL_LOCK = new Object();
    /** Per integration, across its connections: an admin's re-save does not reset the injected failures. */
    private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();

    @Override
    public ConnectorDescriptor describe() {
        return ConnectorDescriptor.of("CONNECTOR_ID", "Fake Desk CONNECTOR_ID", "PLUGIN_VERSION",
                "jackson visible: " + visible("com.fasterxml.jackson.databind.ObjectMapper"),
                FakeSettings.class, EnumSet.allOf(Capability.class));
    }

    private static boolean visible(String className) {
        try {
            Class.forName(className, false, FakeDeskConnector.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    @Override
    public HelpdeskConnection open(IntegrationContext context) {
        FakeSettings s = context.settings(FakeSettings.class);
        lifecycle(s, "OPEN " + context.integrationId() + " " + context.webhookUrl());
        return new Connection(context, s, failures.computeIfAbsent(context.integrationId(), k -> new AtomicInteger()));
    }

    private static final class Connection implements HelpdeskConnection {
        private final IntegrationContext context;
        private final FakeSettings s;
        private final ConnectorState state;
        private final AtomicInteger failed;

        Connection(IntegrationContext context, FakeSettings settings, AtomicInteger failed) {
            this.context = context;
            this.s = settings;
            this.state = context.state();
            this.failed = failed;
        }

        @Override
        public VerificationResult verify() {
            if (s.password().matches("outage")) {
                throw new TransientException("Helpdesk answered 503");
            }
            if (!s.password().matches("good")) {
                return VerificationResult.failure(ErrorKind.INVALID_CREDENTIALS, "Invalid credentials", "password");
            }
            return VerificationResult.success();
        }

        @Override
        public CaseRef createCase(OperationContext op, CaseDraft draft, List<Activity> firstActivities) {
            write();
            CaseRef ref;
            synchronized (JOURNAL_LOCK) {
                // the durable state first (what a helpdesk choosing its own ids needs), then the journal
                String id = state.get("case:" + draft.conversationId()).orElse(null);
                if (id == null) {
                    for (String[] line : read(s)) {
                        if (line[0].equals("CASE") && line[1].equals(draft.conversationId())) {
                            id = line[2];
                        }
                    }
                }
                if (id == null) {
                    long n = read(s).stream().filter(l -> l[0].equals("CASE")).count() + 1;
                    id = "case-" + n;
                    append(s, "CASE", draft.conversationId(), id, enc(draft.subject()), enc(draft.description()),
                            enc(String.valueOf(draft.customer().email())), enc(String.valueOf(draft.ownerId())),
                            enc(op.idempotencyKey()), Integer.toString(op.attempt()));
                }
                state.put("case:" + draft.conversationId(), id);
                ref = ref(id);
            }
            for (Activity activity : firstActivities) {
                appendActivity(op, ref, activity);
            }
            return ref;
        }

        @Override
        public CaseRef appendActivity(OperationContext op, CaseRef caseRef, Activity activity) {
            write();
            return record(caseRef, activity);
        }

        /** One write for all: what a helpdesk with a batch endpoint does. */
        @Override
        public CaseRef appendActivities(OperationContext op, CaseRef caseRef, List<Activity> activities) {
            write();
            synchronized (JOURNAL_LOCK) {
                append(s, "BATCH", caseRef.id(), Integer.toString(activities.size()), enc(op.idempotencyKey()));
            }
            CaseRef landed = caseRef;
            for (Activity activity : activities) {
                landed = record(caseRef, activity);
            }
            return landed;
        }

        private CaseRef record(CaseRef caseRef, Activity activity) {
            synchronized (JOURNAL_LOCK) {
                String target = caseRef.id();
                // a resolved case takes no more messages: the customer's lands on a follow-up case
                boolean resolved = resolved(caseRef.id());
                boolean customer = activity.direction().name().equals("CUSTOMER");
                if (resolved && customer && s.onResolvedCase().equals("FOLLOW_UP")) {
                    target = state.get("followup:" + caseRef.id()).orElse(null);
                    if (target == null) {
                        target = caseRef.id() + "-followup";
                        append(s, "FOLLOWUP", caseRef.id(), target);
                        state.put("followup:" + caseRef.id(), target);
                    }
                } else if (resolved && customer) {
                    append(s, "REOPEN", caseRef.id());
                }
                for (String[] line : read(s)) {
                    if (line[0].equals("ACTIVITY") && line[1].equals(target) && line[2].equals(activity.externalId())) {
                        return ref(target);
                    }
                }
                append(s, "ACTIVITY", target, activity.externalId(), activity.direction().name(), enc(activity.text()),
                        activity.visibility().name());
                return ref(target);
            }
        }

        /** Resolved until reopened: the last RESOLVE or REOPEN line of the case decides. */
        private boolean resolved(String caseId) {
            boolean resolved = false;
            for (String[] line : read(s)) {
                if (line.length > 1 && line[1].equals(caseId)) {
                    if (line[0].equals("RESOLVE")) {
                        resolved = true;
                    } else if (line[0].equals("REOPEN")) {
                        resolved = false;
                    }
                }
            }
            return resolved;
        }

        @Override
        public FillResult handOff(OperationContext op, CaseRef caseRef, Handoff handoff) {
            appendActivity(op, caseRef, handoff.summary());
            if (handoff.ownerId() != null || handoff.groupId() != null) {
                synchronized (JOURNAL_LOCK) {
                    append(s, "ASSIGN", caseRef.id(), String.valueOf(handoff.ownerId()), String.valueOf(handoff.groupId()));
                }
            }
            return handoff.fields().isEmpty() ? HelpdeskConnection.nothingFilled() : fillFields(op, caseRef, handoff.fields());
        }

        @Override
        public void resolve(OperationContext op, CaseRef caseRef, Resolution resolution) {
            write();
            synchronized (JOURNAL_LOCK) {
                if (!resolved(caseRef.id())) {
                    append(s, "RESOLVE", caseRef.id(), enc(resolution.solution()),
                            enc(resolution.closureCode() == null ? "" : resolution.closureCode()));
                }
            }
        }

        @Override
        public List<FieldDescriptor> describeFields() {
            boolean tccl = Thread.currentThread().getContextClassLoader() == FakeDeskConnector.class.getClassLoader();
            return List.of(
                    new FieldDescriptor("priority", "Priority", FieldType.LOOKUP, List.of("Low", "Medium", "High"), "tccl=" + tccl),
                    new FieldDescriptor("category", "Category", FieldType.TEXT, List.of(), ""));
        }

        @Override
        public FillResult fillFields(OperationContext op, CaseRef caseRef, FieldValues values) {
            write();
            Set<String> applied = new HashSet<>();
            Map<String, String> rejected = new HashMap<>();
            values.values().forEach((k, v) -> {
                if (k.equals("priority") && !List.of("Low", "Medium", "High").contains(String.valueOf(v))) {
                    rejected.put(k, "is not one of Low, Medium, High");
                } else if (k.equals("priority") || k.equals("category")) {
                    applied.add(k);
                } else {
                    rejected.put(k, "is not a field of this helpdesk");
                }
            });
            synchronized (JOURNAL_LOCK) {
                for (String k : applied) {
                    append(s, "FIELD", caseRef.id(), k, enc(String.valueOf(values.values().get(k))));
                }
            }
            return new FillResult(applied, rejected);
        }

        @Override
        public void authenticateWebhook(WebhookRequest request) {
            if (s.webhookSecret() == null || !s.webhookSecret().matches(request.header("X-Webhook-Secret").orElse(null))) {
                throw new WebhookAuthenticationException("Webhook secret does not match");
            }
        }

        /** Bodies {@code replied:<case>:<text>} (a public reply) and {@code note:<case>:<text>} (an internal note). */
        @Override
        public List<HelpdeskEvent> onWebhook(OperationContext op, WebhookRequest request) {
            String[] parts = request.bodyText().split(":", 3);
            if (parts.length < 3) {
                throw new PermanentException("Malformed webhook body");
            }
            Visibility visibility = parts[0].equals("note") ? Visibility.INTERNAL : Visibility.PUBLIC;
            return List.of(new AgentReplied("reply-" + parts[1] + "-" + parts[2].hashCode(), ref(parts[1]), "agent", parts[2],
                    Instant.now(), visibility));
        }

        @Override
        public void close() {
            lifecycle(s, "CLOSE " + context.integrationId());
        }

        private void write() {
            trace("BEGIN");
            try {
                delayAndFail();
            } finally {
                trace("END");
            }
        }

        /** In the order they happened (under the journal's lock): which writes ran at the same time. */
        private void trace(String what) {
            if (s.traceWrites()) {
                synchronized (JOURNAL_LOCK) {
                    FakeDeskConnector.write(Path.of(s.journal() + ".writes"), what + " " + Thread.currentThread().getName());
                }
            }
        }

        private void delayAndFail() {
            if (s.delayMs() > 0) {
                try {
                    Thread.sleep(s.delayMs());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new TransientException("interrupted");
                }
            }
            if (failed.get() < s.failFirst()) {
                failed.incrementAndGet();
                synchronized (JOURNAL_LOCK) {
                    lifecycle(s, "FAIL " + context.integrationId() + " " + s.failKind());
                }
                switch (String.valueOf(s.failKind())) {
                    case "RATE_LIMITED": throw new RateLimitedException("Too many requests", Duration.ofMillis(s.retryAfterMs()));
                    case "PERMANENT": throw new PermanentException("Case type is not allowed");
                    default: throw new TransientException("Helpdesk answered 503");
                }
            }
        }
    }

    private static CaseRef ref(String id) {
        return new CaseRef(id, id.toUpperCase(), URI.create("https://fake.example/cases/" + id));
    }

    private static String enc(String text) {
        return Base64.getEncoder().encodeToString(String.valueOf(text).getBytes(StandardCharsets.UTF_8));
    }

    private static List<String[]> read(FakeSettings s) {
        Path path = Path.of(s.journal());
        try {
            List<String[]> lines = new ArrayList<>();
            if (Files.exists(path)) {
                for (String line : Files.readAllLines(path)) {
                    if (!line.isBlank()) {
                        lines.add(line.split(" "));
                    }
                }
            }
            return lines;
        } catch (IOException e) {
            throw new TransientException("journal unreadable", e);
        }
    }

    private static void append(FakeSettings s, String... fields) {
        write(Path.of(s.journal()), String.join(" ", fields));
    }

    private static void lifecycle(FakeSettings s, String line) {
        write(Path.of(s.journal() + ".lifecycle"), line);
    }

    private static void write(Path path, String line) {
        try {
            Files.writeString(path, line + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new TransientException("journal not writable", e);
        }
    }
}
