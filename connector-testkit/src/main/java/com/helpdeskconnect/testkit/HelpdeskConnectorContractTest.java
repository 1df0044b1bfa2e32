package com.helpdeskconnect.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.helpdeskconnect.api.Capability;
import com.helpdeskconnect.api.ConnectorDescriptor;
import com.helpdeskconnect.api.HelpdeskConnection;
import com.helpdeskconnect.api.HelpdeskConnector;
import com.helpdeskconnect.api.OperationContext;
import com.helpdeskconnect.api.VerificationResult;
import com.helpdeskconnect.api.cases.Activity;
import com.helpdeskconnect.api.cases.CaseDraft;
import com.helpdeskconnect.api.cases.CaseRef;
import com.helpdeskconnect.api.cases.Customer;
import com.helpdeskconnect.api.cases.Direction;
import com.helpdeskconnect.api.cases.FieldValues;
import com.helpdeskconnect.api.cases.FillResult;
import com.helpdeskconnect.api.cases.Handoff;
import com.helpdeskconnect.api.cases.HandoffResult;
import com.helpdeskconnect.api.cases.Resolution;
import com.helpdeskconnect.api.cases.Visibility;
import com.helpdeskconnect.api.errors.ConnectorException;
import com.helpdeskconnect.api.errors.ErrorKind;
import com.helpdeskconnect.api.errors.InvalidSettingsException;
import com.helpdeskconnect.api.errors.RateLimitedException;
import com.helpdeskconnect.api.errors.WebhookAuthenticationException;
import com.helpdeskconnect.api.settings.Secret;
import com.helpdeskconnect.api.settings.SettingDescriptor;
import com.helpdeskconnect.api.settings.Settings;
import com.helpdeskconnect.api.settings.SettingsBinder;
import com.helpdeskconnect.api.state.ConnectorState;
import com.helpdeskconnect.api.webhook.AgentReplied;
import com.helpdeskconnect.api.webhook.CaseClosed;
import com.helpdeskconnect.api.webhook.CaseResolved;
import com.helpdeskconnect.api.webhook.HelpdeskEvent;
import com.helpdeskconnect.api.webhook.WebhookRequest;
import com.helpdeskconnect.testkit.logging.CapturedLogs;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The SPI contract every helpdesk connector passes. Extend it, return your fixture from
 * {@link #createFixture()}, and run it with your other tests:
 *
 * <pre>{@code
 * class CreatioConnectorContractTest extends HelpdeskConnectorContractTest {
 *     protected ConnectorFixture createFixture() { return new CreatioSandboxFixture(); }
 * }
 * }</pre>
 *
 * <p>Each test gets its own integration, as the host would make it: a fresh id, the fixture's valid
 * settings bound and validated, an empty {@link ConnectorState#inMemory() in-memory state}, the
 * fixture's {@link ConnectorFixture#outboundPolicy() outbound policy} and
 * {@link ConnectorFixture#webhookUrl webhook URL}; the suite opens the connection with
 * {@link HelpdeskConnector#open} before the test and closes it after.
 *
 * <p>Operations a connector does not list in its capabilities must throw
 * {@link UnsupportedOperationException}; declared ones must work. Every exception the connector
 * throws must be a {@link ConnectorException}, and no secret may reach a log line (read through the
 * kit's SLF4J provider), an exception message or a returned value.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Execution(ExecutionMode.SAME_THREAD)
public abstract class HelpdeskConnectorContractTest {
    static {
        // Prefer the kit's capturing provider when SLF4J has not been initialised yet.
        System.setProperty("slf4j.provider", "com.helpdeskconnect.testkit.logging.CapturingServiceProvider");
    }

    private final ConcurrentLinkedQueue<String> observedTexts = new ConcurrentLinkedQueue<>();
    private final List<HelpdeskConnection> opened = new CopyOnWriteArrayList<>();
    private final Map<String, String> conversationOfCase = new ConcurrentHashMap<>();
    private ValidatorFactory validatorFactory;
    private ConnectorFixture fixture;
    private HelpdeskConnector connector;
    private ConnectorDescriptor descriptor;
    private ContractIntegrationContext context;
    private HelpdeskConnection connection;

    /** The fixture for this class: the connector and its helpdesk double. */
    protected abstract ConnectorFixture createFixture() throws Exception;

    @BeforeAll
    final void startFixture() throws Exception {
        validatorFactory = Validation.buildDefaultValidatorFactory();
        fixture = createFixture();
        connector = fixture.connector();
        descriptor = connector.describe();
    }

    @BeforeEach
    final void openConnection() {
        context = newContext(fixture.validSettings());
        connection = open(context);
    }

    @AfterEach
    final void closeConnections() {
        try {
            fixture.clearFailures();
        } finally {
            for (HelpdeskConnection c : opened) {
                c.close();
            }
            opened.clear();
        }
    }

    @AfterAll
    final void stopFixture() throws Exception {
        try {
            if (connector != null) {
                connector.close();
            }
            if (fixture != null) {
                fixture.close();
            }
        } finally {
            if (validatorFactory != null) {
                validatorFactory.close();
            }
        }
    }

    /** The fixture, for subclasses that add their own checks. */
    protected final ConnectorFixture fixture() {
        return fixture;
    }

    /** This test's integration, bound from {@link ConnectorFixture#validSettings()}. */
    protected final ContractIntegrationContext context() {
        return context;
    }

    /** This test's connection, opened on {@link #context()}; closed after the test. */
    protected final HelpdeskConnection connection() {
        return connection;
    }

    // ---- describe and settings ----

    @Test
    @Order(1)
    void describeIsWellFormed() {
        assertThat(descriptor.id()).matches("[a-z][a-z0-9-]{1,39}");
        assertThat(descriptor.name()).isNotBlank();
        assertThat(descriptor.version()).isNotBlank();
        assertThat(descriptor.capabilities()).contains(Capability.CREATE_CASE);
        assertThat(descriptor.settings()).as("settings form").isNotEmpty();
        assertThat(descriptor.settings()).extracting(SettingDescriptor::name).doesNotHaveDuplicates();
        assertThat(descriptor.settings()).allSatisfy(s -> assertThat(s.label()).as(s.name() + " label").isNotBlank());
        assertThat(connector.describe()).as("describe() is constant").isEqualTo(descriptor);
    }

    @Test
    @Order(2)
    void settingsFormMatchesSettingsType() {
        RecordComponent[] components = descriptor.settingsType().getRecordComponents();
        assertThat(descriptor.settings()).extracting(SettingDescriptor::name)
                .containsExactly(Arrays.stream(components).map(RecordComponent::getName).toArray(String[]::new));
        for (RecordComponent component : components) {
            SettingDescriptor setting = descriptor.settings().stream()
                    .filter(s -> s.name().equals(component.getName())).findFirst().orElseThrow();
            assertThat(setting.secret()).as(setting.name() + " is secret exactly when typed Secret")
                    .isEqualTo(component.getType() == Secret.class);
        }
        assertThat(descriptor.settings()).as("a connector has at least one secret credential")
                .anyMatch(SettingDescriptor::secret);
    }

    @Test
    @Order(3)
    void missingRequiredSettingsAreReportedPerField() {
        InvalidSettingsException e = expect(InvalidSettingsException.class, () -> bind(Settings.empty()));
        Set<String> required = descriptor.settings().stream().filter(SettingDescriptor::required)
                .map(SettingDescriptor::name).collect(Collectors.toSet());
        assertThat(required).as("required settings").isNotEmpty();
        assertThat(e.fieldErrors().keySet()).containsAll(required);
        assertThat(e.fieldErrors().values()).allSatisfy(m -> assertThat(m).isNotBlank());
    }

    @Test
    @Order(4)
    void unknownSettingsAreRejected() {
        InvalidSettingsException e = expect(InvalidSettingsException.class,
                () -> bind(fixture.validSettings().with("noSuchSetting", "x")));
        assertThat(e.fieldErrors()).containsKey("noSuchSetting");
    }

    @Test
    @Order(5)
    void verifyAcceptsValidSettings() {
        VerificationResult result = call(connection::verify);
        assertThat(result.ok()).as("verify(valid settings): %s", result.message()).isTrue();
    }

    @Test
    @Order(6)
    void verifyRejectsWrongCredentials() {
        HelpdeskConnection wrong = open(newContext(fixture.wrongCredentialSettings()));
        VerificationResult result = call(wrong::verify);
        observedTexts.add(result.message());
        assertThat(result.ok()).isFalse();
        assertThat(result.kind()).isEqualTo(ErrorKind.INVALID_CREDENTIALS);
        assertThat(result.message()).isNotBlank();
    }

    // ---- cases ----

    @Test
    @Order(10)
    void createCaseReturnsReference() {
        String subject = uniqueSubject();
        CaseRef ref = createCase(subject);
        assertThat(ref.id()).isNotBlank();
        assertThat(fixture.countCasesWithSubject(subject)).isEqualTo(1);
    }

    @Test
    @Order(11)
    void createCaseIsIdempotentOnConversationId() {
        String subject = uniqueSubject();
        CaseDraft draft = CaseDraft.of("conv-" + UUID.randomUUID(), subject, "Printer on fire", customer());
        OperationContext op = op(draft.conversationId());
        CaseRef first = call(() -> connection.createCase(op, draft, List.of()));
        CaseRef retried = call(() -> connection.createCase(op.retry(), draft, List.of()));
        CaseRef otherEvent = call(() -> connection.createCase(op(draft.conversationId()), draft, List.of()));
        assertThat(retried.id()).isEqualTo(first.id());
        assertThat(retried.number()).isEqualTo(first.number());
        assertThat(otherEvent.id()).as("a second event of the same conversation").isEqualTo(first.id());
        assertThat(fixture.countCasesWithSubject(subject)).as("cases with one conversation id").isEqualTo(1);
    }

    @Test
    @Order(12)
    void createCaseWithActivitiesOpensOneCaseWithMessagesInOrderOnce() {
        String subject = uniqueSubject();
        CaseDraft draft = CaseDraft.of("conv-" + UUID.randomUUID(), subject, "Parcel missing", customer());
        List<Activity> first = List.of(activity(Direction.CUSTOMER, "Where is my parcel? " + UUID.randomUUID(), 0),
                activity(Direction.AI, "Let me look " + UUID.randomUUID(), 1));
        OperationContext op = op(draft.conversationId());
        CaseRef ref = call(() -> connection.createCase(op, draft, first));
        CaseRef again = call(() -> connection.createCase(op.retry(), draft, first));
        assertThat(again.id()).isEqualTo(ref.id());
        assertThat(fixture.countCasesWithSubject(subject)).isEqualTo(1);
        List<String> texts = texts(ref);
        assertThat(texts).containsSubsequence(first.stream().map(Activity::text).toList());
        first.forEach(a -> assertThat(texts).containsOnlyOnce(a.text()));
    }

    @Test
    @Order(13)
    void appendActivityKeepsOrder() {
        CaseRef ref = createCase(uniqueSubject());
        if (unsupported(Capability.APPEND_ACTIVITY, () -> connection.appendActivity(op(ref), ref,
                activity(Direction.CUSTOMER, "hello", 0)))) {
            return;
        }
        List<Activity> said = List.of(
                activity(Direction.CUSTOMER, "My order has not arrived " + UUID.randomUUID(), 0),
                activity(Direction.AI, "Sorry to hear that. What is the order number?", 1),
                activity(Direction.CUSTOMER, "It is 4711", 2));
        for (Activity a : said) {
            CaseRef landed = call(() -> connection.appendActivity(op(ref), ref, a));
            assertThat(landed.id()).as("an open case takes the message itself").isEqualTo(ref.id());
        }
        assertThat(texts(ref)).containsSubsequence(said.stream().map(Activity::text).toList());
    }

    @Test
    @Order(14)
    void appendActivityIsIdempotentOnExternalId() {
        CaseRef ref = createCase(uniqueSubject());
        if (unsupported(Capability.APPEND_ACTIVITY, () -> connection.appendActivity(op(ref), ref,
                activity(Direction.CUSTOMER, "hello", 0)))) {
            return;
        }
        Activity a = activity(Direction.CUSTOMER, "Only once, please " + UUID.randomUUID(), 0);
        OperationContext op = op(ref);
        CaseRef first = call(() -> connection.appendActivity(op, ref, a));
        CaseRef second = call(() -> connection.appendActivity(op.retry(), ref, a));
        assertThat(second.id()).isEqualTo(first.id());
        assertThat(texts(ref)).containsOnlyOnce(a.text());
    }

    @Test
    @Order(15)
    void appendActivitiesKeepsOrderAndWritesEachOnce() {
        CaseRef ref = createCase(uniqueSubject());
        List<Activity> batch = List.of(activity(Direction.CUSTOMER, "First " + UUID.randomUUID(), 0),
                activity(Direction.CUSTOMER, "Second " + UUID.randomUUID(), 1),
                activity(Direction.AI, "Third " + UUID.randomUUID(), 2));
        if (unsupported(Capability.APPEND_ACTIVITY, () -> connection.appendActivities(op(ref), ref, batch))) {
            return;
        }
        OperationContext op = op(ref);
        CaseRef landed = call(() -> connection.appendActivities(op, ref, batch));
        call(() -> connection.appendActivities(op.retry(), ref, batch));
        assertThat(landed.id()).isEqualTo(ref.id());
        List<String> texts = texts(ref);
        assertThat(texts).containsSubsequence(batch.stream().map(Activity::text).toList());
        batch.forEach(a -> assertThat(texts).containsOnlyOnce(a.text()));
    }

    @Test
    @Order(16)
    void fillFieldsAppliesValidValues() {
        CaseRef ref = createCase(uniqueSubject());
        if (unsupported(Capability.FILL_FIELDS, () -> connection.fillFields(op(ref), ref, FieldValues.of(Map.of("x", "y"))))) {
            return;
        }
        assertThat(call(connection::describeFields)).as("field catalogue").isNotEmpty();
        FieldValues values = fixture.validFieldValues();
        OperationContext op = op(ref);
        FillResult result = call(() -> connection.fillFields(op, ref, values));
        assertThat(result.rejected()).isEmpty();
        assertThat(result.applied()).containsExactlyInAnyOrderElementsOf(values.values().keySet());
        assertFieldsHeld(ref, values);
        FillResult again = call(() -> connection.fillFields(op.retry(), ref, values));
        assertThat(again.rejected()).as("filling the same values again").isEmpty();
    }

    @Test
    @Order(17)
    void fillFieldsRejectsUnknownFieldsAndBadValuesPerField() {
        CaseRef ref = createCase(uniqueSubject());
        if (unsupported(Capability.FILL_FIELDS, () -> connection.fillFields(op(ref), ref, FieldValues.of(Map.of("x", "y"))))) {
            return;
        }
        FieldValues bad = fixture.invalidFieldValues();
        Map<String, Object> goodValues = new LinkedHashMap<>(fixture.validFieldValues().values());
        goodValues.keySet().removeAll(bad.values().keySet());
        FieldValues good = FieldValues.of(goodValues);
        Map<String, Object> mixed = new LinkedHashMap<>(goodValues);
        mixed.putAll(bad.values());
        mixed.put("noSuchFieldAnywhere", "x");
        FillResult result = call(() -> connection.fillFields(op(ref), ref, FieldValues.of(mixed)));
        assertThat(result.rejected().keySet()).contains("noSuchFieldAnywhere").containsAll(bad.values().keySet());
        assertThat(result.rejected().values()).allSatisfy(m -> assertThat(m).isNotBlank());
        assertThat(result.applied()).containsAll(good.values().keySet());
        assertFieldsHeld(ref, good);
    }

    @Test
    @Order(18)
    void handOffAppendsSummaryOnceAndFillsFields() {
        CaseRef ref = createCase(uniqueSubject());
        boolean fills = descriptor.supports(Capability.FILL_FIELDS);
        FieldValues values = fills ? fixture.validFieldValues() : FieldValues.of(Map.of());
        Handoff handoff = new Handoff(summary(), null, null, values);
        if (unsupported(Capability.HANDOFF, () -> connection.handOff(op(ref), ref, handoff))) {
            return;
        }
        OperationContext op = op(ref);
        FillResult first = call(() -> connection.handOff(op, ref, handoff));
        FillResult again = call(() -> connection.handOff(op.retry(), ref, handoff));
        assertThat(texts(ref)).containsOnlyOnce(handoff.summary().text());
        assertThat(first.rejected()).isEmpty();
        assertThat(again.rejected()).isEmpty();
        assertThat(first.applied()).containsExactlyInAnyOrderElementsOf(values.values().keySet());
        assertFieldsHeld(ref, values);
    }

    @Test
    @Order(19)
    void resolveIsIdempotent() {
        CaseRef ref = createCase(uniqueSubject());
        Resolution resolution = new Resolution("Sent a replacement", null, Instant.now());
        if (unsupported(Capability.RESOLVE, () -> run(() -> connection.resolve(op(ref), ref, resolution)))) {
            return;
        }
        OperationContext op = op(ref);
        call(() -> run(() -> connection.resolve(op, ref, resolution)));
        call(() -> run(() -> connection.resolve(op.retry(), ref, resolution)));
        assertThat(fixture.isResolved(ref)).isTrue();
    }

    @Test
    @Order(24)
    void appendAndHandOffWritesMessagesThenSummaryOnce() {
        CaseRef ref = createCase(uniqueSubject());
        FieldValues values = descriptor.supports(Capability.FILL_FIELDS) ? fixture.validFieldValues() : FieldValues.of(Map.of());
        Assignment to = descriptor.supports(Capability.ASSIGN) ? fixture.validAssignments().get(1) : new Assignment(null, null);
        List<Activity> due = List.of(activity(Direction.CUSTOMER, "Still no parcel " + UUID.randomUUID(), 0),
                activity(Direction.AI, "I am handing you to a colleague " + UUID.randomUUID(), 1));
        Handoff handoff = new Handoff(summaryAfter(due), to.ownerId(), to.groupId(), values);
        if (appendAndHandOffUnsupported(ref, due, handoff)) {
            return;
        }
        OperationContext op = op(ref);
        HandoffResult first = call(() -> connection.appendAndHandOff(op, ref, due, handoff));
        HandoffResult again = call(() -> connection.appendAndHandOff(op.retry(), ref, due, handoff));
        assertThat(first.caseRef().id()).as("an open case takes the messages and the handoff").isEqualTo(ref.id());
        assertThat(again.caseRef().id()).as("a retry lands where the first call did").isEqualTo(ref.id());
        assertMessagesThenSummaryOnce(ref, due, handoff);
        assertThat(first.fields().rejected()).isEmpty();
        assertThat(again.fields().rejected()).isEmpty();
        assertThat(first.fields().applied()).containsExactlyInAnyOrderElementsOf(values.values().keySet());
        assertFieldsHeld(ref, values);
        if (descriptor.supports(Capability.ASSIGN)) {
            assertThat(fixture.assignment(ref)).as("owner and group given at handoff").isEqualTo(to);
        }
    }

    // ---- webhooks ----

    @Test
    @Order(20)
    void webhookRejectsUnauthenticatedCalls() {
        if (webhooksUnsupported()) {
            return;
        }
        CaseRef ref = createCase(uniqueSubject());
        fixture.takeWebhooks(ref);
        fixture.agentReplies(ref, "Have you tried turning it off and on?");
        List<WebhookRequest> calls = fixture.takeWebhooks(ref);
        assertThat(calls).as("webhook calls after an agent reply").isNotEmpty();
        for (WebhookRequest genuine : calls) {
            call(() -> run(() -> connection.authenticateWebhook(genuine)));
            WebhookRequest anonymous = new WebhookRequest(Map.of("Content-Type", List.of("application/json")),
                    genuine.query(), genuine.body(), genuine.receivedAt());
            expect(WebhookAuthenticationException.class, () -> run(() -> connection.authenticateWebhook(anonymous)));
            Map<String, List<String>> forged = new HashMap<>();
            genuine.headers().forEach((name, values) -> forged.put(name,
                    name.equalsIgnoreCase("Content-Type") ? values : values.stream().map(v -> v + "x").toList()));
            WebhookRequest wrongSecret = new WebhookRequest(forged, genuine.query(), genuine.body(), genuine.receivedAt());
            expect(WebhookAuthenticationException.class, () -> run(() -> connection.authenticateWebhook(wrongSecret)));
        }
    }

    @Test
    @Order(21)
    void webhookIgnoresEchoesOfOwnWrites() {
        if (webhooksUnsupported()) {
            return;
        }
        CaseRef ref = createCase(uniqueSubject());
        if (descriptor.supports(Capability.APPEND_ACTIVITY)) {
            call(() -> connection.appendActivity(op(ref), ref, activity(Direction.CUSTOMER, "Where is my parcel?", 0)));
            call(() -> connection.appendActivity(op(ref), ref, activity(Direction.AI, "Let me check that for you.", 1)));
        }
        if (descriptor.supports(Capability.HANDOFF)) {
            call(() -> connection.handOff(op(ref), ref, new Handoff(summary(), null, null, null)));
        }
        if (descriptor.supports(Capability.RESOLVE)) {
            call(() -> run(() -> connection.resolve(op(ref), ref, Resolution.of("Parcel found"))));
        }
        assertThat(process(fixture.takeWebhooks(ref))).as("events from the connector's own writes").isEmpty();
    }

    @Test
    @Order(22)
    void webhookMapsAgentReply() {
        if (webhooksUnsupported()) {
            return;
        }
        CaseRef ref = createCase(uniqueSubject());
        fixture.takeWebhooks(ref);
        String text = "Your replacement ships today " + UUID.randomUUID();
        fixture.agentReplies(ref, text);
        List<HelpdeskEvent> events = new ArrayList<>();
        for (WebhookRequest request : fixture.takeWebhooks(ref)) {
            call(() -> run(() -> connection.authenticateWebhook(request)));
            OperationContext op = webhookOp();
            List<HelpdeskEvent> first = call(() -> connection.onWebhook(op, request));
            List<HelpdeskEvent> repeated = call(() -> connection.onWebhook(op.retry(), request));
            assertThat(repeated).extracting(HelpdeskEvent::eventId).as("event ids are stable")
                    .isEqualTo(first.stream().map(HelpdeskEvent::eventId).toList());
            events.addAll(first);
        }
        List<AgentReplied> replies = events.stream().filter(AgentReplied.class::isInstance)
                .map(AgentReplied.class::cast).toList();
        assertThat(replies).hasSize(1);
        assertThat(replies.get(0).text().strip()).isEqualTo(text);
        assertThat(replies.get(0).caseRef().id()).isEqualTo(ref.id());
        assertThat(replies.get(0).eventId()).isNotBlank();
        assertThat(replies.get(0).visibility()).as("a public reply").isEqualTo(Visibility.PUBLIC);
    }

    @Test
    @Order(23)
    void webhookMapsCaseClosure() {
        if (webhooksUnsupported()) {
            return;
        }
        CaseRef ref = createCase(uniqueSubject());
        fixture.takeWebhooks(ref);
        fixture.agentCloses(ref);
        assertThat(process(fixture.takeWebhooks(ref))).as("events after an agent closed the case")
                .anyMatch(e -> (e instanceof CaseClosed || e instanceof CaseResolved) && e.caseRef().id().equals(ref.id()));
    }

    // ---- errors ----

    @Test
    @Order(30)
    void serverErrorsSurfaceAsTransient() {
        ConnectorException e = failedCreateCase(InjectedFailure.SERVER_ERROR);
        assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);
        assertThat(e.retryable()).isTrue();
    }

    @Test
    @Order(31)
    void rateLimitsSurfaceWithRetryAfter() {
        ConnectorException e = failedCreateCase(InjectedFailure.RATE_LIMITED);
        assertThat(e).isInstanceOf(RateLimitedException.class);
        assertThat(((RateLimitedException) e).retryAfter()).isPositive();
        assertThat(e.retryable()).isTrue();
    }

    @Test
    @Order(32)
    void connectionResetsSurfaceAsTransient() {
        ConnectorException e = failedCreateCase(InjectedFailure.CONNECTION_RESET);
        assertThat(e.kind()).isEqualTo(ErrorKind.TRANSIENT);
    }

    @Test
    @Order(33)
    void retriedCreateCaseAfterFailureCreatesOneCase() {
        requireInjectable(InjectedFailure.SERVER_ERROR);
        String subject = uniqueSubject();
        CaseDraft draft = CaseDraft.of("conv-" + UUID.randomUUID(), subject, "", customer());
        OperationContext op = op(draft.conversationId());
        fixture.injectFailure(InjectedFailure.SERVER_ERROR, 1);
        try {
            call(() -> connection.createCase(op, draft, List.of()));
        } catch (ConnectorException e) {
            assertThat(e.retryable()).isTrue();
        } finally {
            fixture.clearFailures();
        }
        call(() -> connection.createCase(op.retry(), draft, List.of()));
        assertThat(fixture.countCasesWithSubject(subject)).isEqualTo(1);
    }

    // ---- lost answers: the write lands, the answer does not ----

    @Test
    @Order(40)
    void lostAnswerOnCreateCaseOpensOneCase() {
        requireInjectable(InjectedFailure.LOSE_ANSWER);
        String subject = uniqueSubject();
        CaseDraft draft = CaseDraft.of("conv-" + UUID.randomUUID(), subject, "Parcel missing", customer());
        List<Activity> first = List.of(activity(Direction.CUSTOMER, "Where is my parcel? " + UUID.randomUUID(), 0));
        CaseRef ref = afterLostAnswer(WriteOperation.CREATE_CASE, op(draft.conversationId()),
                (c, op) -> c.createCase(op, draft, first));
        assertThat(fixture.countCasesWithSubject(subject)).as("cases after a lost answer and a retry").isEqualTo(1);
        assertThat(texts(ref)).containsOnlyOnce(first.get(0).text());
        assertNoActivityTwice(ref);
    }

    @Test
    @Order(41)
    void lostAnswerOnAppendActivityWritesOnce() {
        CaseRef ref = createCase(uniqueSubject());
        if (unsupported(Capability.APPEND_ACTIVITY, () -> connection.appendActivity(op(ref), ref, activity(Direction.CUSTOMER, "x", 0)))) {
            return;
        }
        requireInjectable(InjectedFailure.LOSE_ANSWER);
        Activity a = activity(Direction.CUSTOMER, "Said once " + UUID.randomUUID(), 0);
        CaseRef landed = afterLostAnswer(WriteOperation.APPEND_ACTIVITY, op(ref), (c, op) -> c.appendActivity(op, ref, a));
        assertThat(landed.id()).isEqualTo(ref.id());
        assertThat(texts(ref)).containsOnlyOnce(a.text());
        assertNoActivityTwice(ref);
    }

    @Test
    @Order(42)
    void lostAnswerOnAppendActivitiesWritesEachOnce() {
        CaseRef ref = createCase(uniqueSubject());
        List<Activity> batch = List.of(activity(Direction.CUSTOMER, "One " + UUID.randomUUID(), 0),
                activity(Direction.AI, "Two " + UUID.randomUUID(), 1));
        if (unsupported(Capability.APPEND_ACTIVITY, () -> connection.appendActivities(op(ref), ref, batch))) {
            return;
        }
        requireInjectable(InjectedFailure.LOSE_ANSWER);
        afterLostAnswer(WriteOperation.APPEND_ACTIVITY, op(ref), (c, op) -> c.appendActivities(op, ref, batch));
        List<String> texts = texts(ref);
        assertThat(texts).containsSubsequence(batch.stream().map(Activity::text).toList());
        batch.forEach(a -> assertThat(texts).containsOnlyOnce(a.text()));
        assertNoActivityTwice(ref);
    }

    @Test
    @Order(43)
    void lostAnswerOnHandOffWritesSummaryOnce() {
        CaseRef ref = createCase(uniqueSubject());
        FieldValues values = descriptor.supports(Capability.FILL_FIELDS) ? fixture.validFieldValues() : FieldValues.of(Map.of());
        Assignment to = descriptor.supports(Capability.ASSIGN) ? fixture.validAssignments().get(1) : new Assignment(null, null);
        Handoff handoff = new Handoff(summary(), to.ownerId(), to.groupId(), values);
        if (unsupported(Capability.HANDOFF, () -> connection.handOff(op(ref), ref, handoff))) {
            return;
        }
        requireInjectable(InjectedFailure.LOSE_ANSWER);
        FillResult result = afterLostAnswer(WriteOperation.HAND_OFF, op(ref), (c, op) -> c.handOff(op, ref, handoff));
        assertThat(texts(ref)).containsOnlyOnce(handoff.summary().text());
        assertThat(result.rejected()).isEmpty();
        assertFieldsHeld(ref, values);
        if (descriptor.supports(Capability.ASSIGN)) {
            assertThat(fixture.assignment(ref)).isEqualTo(to);
        }
        assertNoActivityTwice(ref);
    }

    @Test
    @Order(44)
    void lostAnswerOnResolveResolvesOnce() {
        CaseRef ref = createCase(uniqueSubject());
        Resolution resolution = new Resolution("Replacement sent " + UUID.randomUUID(), null, Instant.now());
        if (unsupported(Capability.RESOLVE, () -> run(() -> connection.resolve(op(ref), ref, resolution)))) {
            return;
        }
        requireInjectable(InjectedFailure.LOSE_ANSWER);
        afterLostAnswer(WriteOperation.RESOLVE, op(ref), (c, op) -> run(() -> c.resolve(op, ref, resolution)));
        assertThat(fixture.isResolved(ref)).isTrue();
        assertNoActivityTwice(ref);
    }

    @Test
    @Order(45)
    void lostAnswerOnFillFieldsFillsOnce() {
        CaseRef ref = createCase(uniqueSubject());
        if (unsupported(Capability.FILL_FIELDS, () -> connection.fillFields(op(ref), ref, FieldValues.of(Map.of("x", "y"))))) {
            return;
        }
        requireInjectable(InjectedFailure.LOSE_ANSWER);
        FieldValues values = fixture.validFieldValues();
        FillResult result = afterLostAnswer(WriteOperation.FILL_FIELDS, op(ref), (c, op) -> c.fillFields(op, ref, values));
        assertThat(result.rejected()).as("filling after a lost answer").isEmpty();
        assertFieldsHeld(ref, values);
        assertNoActivityTwice(ref);
    }

    @Test
    @Order(46)
    void lostAnswerOnAppendAndHandOffWritesEachOnce() {
        FieldValues values = descriptor.supports(Capability.FILL_FIELDS) ? fixture.validFieldValues() : FieldValues.of(Map.of());
        Assignment to = descriptor.supports(Capability.ASSIGN) ? fixture.validAssignments().get(1) : new Assignment(null, null);
        CaseRef probe = createCase(uniqueSubject());
        if (appendAndHandOffUnsupported(probe, List.of(activity(Direction.AI, "x", 0)), new Handoff(summary(), null, null, null))) {
            return;
        }
        requireInjectable(InjectedFailure.LOSE_ANSWER);
        // the answer of the request that writes the messages, or of the one that writes the summary, is lost
        for (WriteOperation lost : List.of(WriteOperation.APPEND_ACTIVITY, WriteOperation.HAND_OFF)) {
            CaseRef ref = createCase(uniqueSubject());
            List<Activity> due = List.of(activity(Direction.AI, "Let me look " + UUID.randomUUID(), 0),
                    activity(Direction.AI, "A colleague will take over " + UUID.randomUUID(), 1));
            Handoff handoff = new Handoff(summaryAfter(due), to.ownerId(), to.groupId(), values);
            HandoffResult result = afterLostAnswer(lost, op(ref), (c, op) -> c.appendAndHandOff(op, ref, due, handoff));
            assertThat(result.caseRef().id()).as("after a lost %s answer", lost).isEqualTo(ref.id());
            assertThat(result.fields().rejected()).isEmpty();
            assertMessagesThenSummaryOnce(ref, due, handoff);
            assertFieldsHeld(ref, values);
            if (descriptor.supports(Capability.ASSIGN)) {
                assertThat(fixture.assignment(ref)).isEqualTo(to);
            }
            assertNoActivityTwice(ref);
        }
        // as the host retries: the messages' call lost its answer, and by the retry the handoff is due
        // with them, so the retry carries the messages, one more and the handoff under the handoff's key
        CaseRef ref = createCase(uniqueSubject());
        Activity said = activity(Direction.AI, "Said before the handoff " + UUID.randomUUID(), 0);
        Activity more = activity(Direction.AI, "And one more " + UUID.randomUUID(), 1);
        Handoff handoff = new Handoff(summaryAfter(List.of(said, more)), to.ownerId(), to.groupId(), values);
        fixture.loseNextAnswer(WriteOperation.APPEND_ACTIVITY);
        try {
            connection.appendActivities(op(ref), ref, List.of(said));
        } catch (ConnectorException e) {
            record(e);
            assertThat(e.retryable()).as("a lost answer must surface as a retryable failure, not %s: %s",
                    e.kind(), e.getMessage()).isTrue();
        } catch (RuntimeException e) {
            record(e);
            fail("Connectors must throw ConnectorException subclasses, not " + e.getClass().getName(), e);
        } finally {
            fixture.clearFailures();
        }
        HelpdeskConnection reopened = open(context);
        OperationContext retry = op(ref).retry();
        call(() -> reopened.appendAndHandOff(retry, ref, List.of(said, more), handoff));
        assertMessagesThenSummaryOnce(ref, List.of(said, more), handoff);
        assertNoActivityTwice(ref);
    }

    // ---- webhooks: authenticated on arrival, processed much later ----

    @Test
    @Order(50)
    void webhookAuthenticatedOnArrivalIsProcessedMuchLater() {
        if (webhooksUnsupported()) {
            return;
        }
        CaseRef ref = createCase(uniqueSubject());
        fixture.takeWebhooks(ref);
        String text = "Late but not lost " + UUID.randomUUID();
        fixture.agentReplies(ref, text);
        Instant anHourAgo = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        List<HelpdeskEvent> events = new ArrayList<>();
        for (WebhookRequest genuine : fixture.takeWebhooks(ref)) {
            WebhookRequest arrived = fixture.resignedAt(genuine, anHourAgo);
            assertThat(arrived.receivedAt()).as("ConnectorFixture.resignedAt sets receivedAt").isEqualTo(anHourAgo);
            try {
                connection.authenticateWebhook(arrived);
            } catch (WebhookAuthenticationException e) {
                record(e);
                fail("A call signed when it arrived an hour ago must authenticate against its receivedAt, not the clock"
                        + " (if the helpdesk signs a timestamp, the fixture must re-sign in resignedAt): " + e.getMessage());
            }
            try {
                events.addAll(call(() -> connection.onWebhook(webhookOp(), arrived)));
            } catch (WebhookAuthenticationException e) {
                fail("onWebhook must not authenticate again: the host authenticated the call on arrival, an hour ago: "
                        + e.getMessage());
            }
        }
        assertThat(events).as("events of a call processed an hour after it arrived")
                .anyMatch(e -> e instanceof AgentReplied r && r.text().strip().equals(text));
    }

    @Test
    @Order(51)
    void webhookWithAlteredBodyFailsAuthentication() {
        if (webhooksUnsupported()) {
            return;
        }
        Assumptions.assumeTrue(fixture.webhookSignsBody(),
                "the helpdesk does not sign the body (ConnectorFixture.webhookSignsBody), so an altered body cannot be told");
        CaseRef ref = createCase(uniqueSubject());
        fixture.takeWebhooks(ref);
        fixture.agentReplies(ref, "Signed reply " + UUID.randomUUID());
        List<WebhookRequest> calls = fixture.takeWebhooks(ref);
        assertThat(calls).as("webhook calls after an agent reply").isNotEmpty();
        for (WebhookRequest genuine : calls) {
            call(() -> run(() -> connection.authenticateWebhook(genuine)));
            String body = genuine.bodyText();
            for (String altered : List.of(body + "\n ", body.replaceFirst("[0-9a-zA-Z]", "_"))) {
                WebhookRequest forged = new WebhookRequest(genuine.headers(), genuine.query(),
                        altered.getBytes(java.nio.charset.StandardCharsets.UTF_8), genuine.receivedAt());
                expect(WebhookAuthenticationException.class, () -> run(() -> connection.authenticateWebhook(forged)));
            }
        }
    }

    // ---- customers, assignment, closure, reopen ----

    @Test
    @Order(60)
    void anonymousCustomerOpensCase() {
        String subject = uniqueSubject();
        CaseDraft draft = CaseDraft.of("conv-" + UUID.randomUUID(), subject, "Someone without a name", Customer.anonymous());
        Activity said = activity(Direction.CUSTOMER, "Hi, no name given " + UUID.randomUUID(), 0);
        CaseRef ref = call(() -> connection.createCase(op(draft.conversationId()), draft, List.of(said)));
        assertThat(ref.id()).isNotBlank();
        assertThat(fixture.countCasesWithSubject(subject)).isEqualTo(1);
        assertThat(texts(ref)).containsOnlyOnce(said.text());
    }

    @Test
    @Order(61)
    void ownerAndGroupLandOnDraftAndAtHandoff() {
        if (!descriptor.supports(Capability.ASSIGN)) {
            // Without ASSIGN the host still passes owner and group; the connector ignores them and works.
            CaseDraft draft = new CaseDraft("conv-" + UUID.randomUUID(), uniqueSubject(), "", customer(), "chat",
                    "no-such-owner", "no-such-group", null);
            assertThat(call(() -> connection.createCase(op(draft.conversationId()), draft, List.of())).id()).isNotBlank();
            return;
        }
        List<Assignment> assignments = fixture.validAssignments();
        assertThat(assignments).as("ConnectorFixture.validAssignments: at least two").hasSizeGreaterThanOrEqualTo(2);
        Assignment onDraft = assignments.get(0);
        Assignment atHandoff = assignments.get(1);
        CaseDraft draft = new CaseDraft("conv-" + UUID.randomUUID(), uniqueSubject(), "", customer(), "chat",
                onDraft.ownerId(), onDraft.groupId(), null);
        CaseRef ref = call(() -> connection.createCase(op(draft.conversationId()), draft, List.of()));
        conversationOfCase.put(ref.id(), draft.conversationId());
        assertThat(fixture.assignment(ref)).as("owner and group from the case draft").isEqualTo(onDraft);
        if (!descriptor.supports(Capability.HANDOFF)) {
            return;
        }
        call(() -> connection.handOff(op(ref), ref, new Handoff(summary(), atHandoff.ownerId(), atHandoff.groupId(), null)));
        assertThat(fixture.assignment(ref)).as("owner and group given at handoff").isEqualTo(atHandoff);
    }

    @Test
    @Order(62)
    void resolveWritesClosureCode() {
        CaseRef ref = createCase(uniqueSubject());
        if (unsupported(Capability.RESOLVE, () -> run(() -> connection.resolve(op(ref), ref, Resolution.of("x"))))) {
            return;
        }
        String code = fixture.validClosureCode().orElse(null);
        Assumptions.assumeTrue(code != null, "the helpdesk has no closure codes (ConnectorFixture.validClosureCode)");
        call(() -> run(() -> connection.resolve(op(ref), ref, new Resolution("Worked around", code, Instant.now()))));
        assertThat(fixture.isResolved(ref)).isTrue();
        assertThat(fixture.closureCode(ref)).as("closure code").hasValue(code);
    }

    @Test
    @Order(63)
    void customerMessageOnResolvedCaseIsNotLost() {
        CaseRef ref = createCase(uniqueSubject());
        if (unsupported(Capability.APPEND_ACTIVITY, () -> connection.appendActivity(op(ref), ref, activity(Direction.CUSTOMER, "x", 0)))
                || unsupported(Capability.RESOLVE, () -> run(() -> connection.resolve(op(ref), ref, Resolution.of("x"))))) {
            return;
        }
        call(() -> run(() -> connection.resolve(op(ref), ref, Resolution.of("Should be fine now"))));
        assertMessageAfterEndIsSeen(ref, "resolved");
    }

    @Test
    @Order(64)
    void customerMessageOnClosedCaseIsNotLost() {
        CaseRef ref = createCase(uniqueSubject());
        if (unsupported(Capability.APPEND_ACTIVITY, () -> connection.appendActivity(op(ref), ref, activity(Direction.CUSTOMER, "x", 0)))) {
            return;
        }
        try {
            fixture.agentCloses(ref);
        } catch (UnsupportedOperationException e) {
            Assumptions.abort("the fixture cannot close a case as an agent (ConnectorFixture.agentCloses)");
        }
        assertMessageAfterEndIsSeen(ref, "closed");
    }

    @Test
    @Order(65)
    void customerMessageAtHandoffOnClosedCaseIsNotLost() {
        CaseRef ref = createCase(uniqueSubject());
        Activity late = activity(Direction.CUSTOMER, "It broke again, I want a human " + UUID.randomUUID(), 0);
        Handoff handoff = new Handoff(summaryAfter(List.of(late)), null, null, null);
        if (appendAndHandOffUnsupported(ref, List.of(late), handoff)) {
            return;
        }
        try {
            fixture.agentCloses(ref);
        } catch (UnsupportedOperationException e) {
            Assumptions.abort("the fixture cannot close a case as an agent (ConnectorFixture.agentCloses)");
        }
        OperationContext op = op(ref);
        CaseRef landed = call(() -> connection.appendAndHandOff(op, ref, List.of(late), handoff)).caseRef();
        if (landed.id().equals(ref.id())) {
            assertThat(fixture.isResolved(ref)).as("a closed case that took a customer message is reopened").isFalse();
        } else {
            assertThat(fixture.isResolved(landed)).as("the follow-up case of a closed case is open").isFalse();
        }
        assertMessagesThenSummaryOnce(landed, List.of(late), handoff);
        CaseRef again = call(() -> connection.appendAndHandOff(op.retry(), ref, List.of(late), handoff)).caseRef();
        assertThat(again.id()).as("a retry lands where the first attempt did").isEqualTo(landed.id());
        assertMessagesThenSummaryOnce(landed, List.of(late), handoff);
    }

    // ---- threads ----

    @Test
    @Order(70)
    void manyConversationsInParallelKeepTheirOwnCasesAndMessages() throws Exception {
        int threads = 8;
        int perThread = 3;
        boolean appends = descriptor.supports(Capability.APPEND_ACTIVITY);
        record Conversation(CaseDraft draft, List<Activity> first, List<Activity> later) {}
        List<Conversation> conversations = new ArrayList<>();
        for (int i = 0; i < threads * perThread; i++) {
            String tag = UUID.randomUUID().toString();
            conversations.add(new Conversation(
                    CaseDraft.of("conv-" + tag, uniqueSubject(), "Parallel " + tag, customer()),
                    List.of(activity(Direction.CUSTOMER, "Hello " + tag, 0)),
                    List.of(activity(Direction.AI, "How can I help? " + tag, 1), activity(Direction.CUSTOMER, "My order " + tag, 2))));
        }
        Map<String, CaseRef> cases = new ConcurrentHashMap<>();
        runInParallel(threads, conversations.size(), i -> {
            Conversation conv = conversations.get(i);
            CaseRef ref = call(() -> connection.createCase(op(conv.draft().conversationId()), conv.draft(), conv.first()));
            cases.put(conv.draft().conversationId(), ref);
            if (appends) {
                for (Activity a : conv.later()) {
                    call(() -> connection.appendActivity(op(conv.draft().conversationId()), ref, a));
                }
            }
        });
        assertThat(cases.values().stream().map(CaseRef::id).distinct()).as("one case per conversation").hasSize(conversations.size());
        for (Conversation conv : conversations) {
            CaseRef ref = cases.get(conv.draft().conversationId());
            assertThat(fixture.countCasesWithSubject(conv.draft().subject())).as(conv.draft().subject()).isEqualTo(1);
            List<Activity> all = new ArrayList<>(conv.first());
            if (appends) {
                all.addAll(conv.later());
            }
            List<String> texts = texts(ref);
            assertThat(texts).as("messages of %s", conv.draft().conversationId())
                    .containsExactlyElementsOf(all.stream().map(Activity::text).toList());
        }
    }

    @Test
    @Order(71)
    void createCaseRacingItselfOpensOneCase() throws Exception {
        String subject = uniqueSubject();
        CaseDraft draft = CaseDraft.of("conv-" + UUID.randomUUID(), subject, "Racing", customer());
        HelpdeskConnection other = open(context); // another host process on the same integration and state
        OperationContext first = op(draft.conversationId());
        int racers = 8;
        List<CaseRef> refs = new CopyOnWriteArrayList<>();
        runInParallel(racers, racers, i -> {
            HelpdeskConnection c = i % 2 == 0 ? connection : other;
            OperationContext attempt = first;
            for (int n = 0; n < i / 2; n++) {
                attempt = attempt.retry();
            }
            OperationContext op = attempt;
            refs.add(call(() -> c.createCase(op, draft, List.of())));
        });
        assertThat(fixture.countCasesWithSubject(subject)).as("cases opened by %s racing calls for one conversation", racers)
                .isEqualTo(1);
        assertThat(refs.stream().map(CaseRef::id).distinct()).as("every racer gets the one case").hasSize(1);
    }

    // ---- visibility ----

    @Test
    @Order(80)
    void activitiesKeepTheirVisibility() {
        CaseRef ref = createCase(uniqueSubject());
        Activity shown = activity(Direction.CUSTOMER, "Public words " + UUID.randomUUID(), 0);
        Activity hidden = new Activity("note-" + UUID.randomUUID(), Direction.SYSTEM, "Assistant",
                "Internal words " + UUID.randomUUID(), Instant.now(), Visibility.INTERNAL);
        if (unsupported(Capability.APPEND_ACTIVITY, () -> connection.appendActivities(op(ref), ref, List.of(shown, hidden)))) {
            return;
        }
        call(() -> connection.appendActivities(op(ref), ref, List.of(shown, hidden)));
        // a public message may be kept agents-only (Visibility's javadoc); an internal one never leaks
        assertThat(visibilityOf(ref, shown.text())).as("a public message is stored").isNotNull();
        assertThat(visibilityOf(ref, hidden.text())).as("an internal note").isEqualTo(Visibility.INTERNAL);
    }

    @Test
    @Order(81)
    void handOffSummaryStaysInternal() {
        CaseRef ref = createCase(uniqueSubject());
        Handoff handoff = new Handoff(summary(), null, null, null);
        if (unsupported(Capability.HANDOFF, () -> connection.handOff(op(ref), ref, handoff))) {
            return;
        }
        call(() -> connection.handOff(op(ref), ref, handoff));
        assertThat(visibilityOf(ref, handoff.summary().text())).as("the handoff summary").isEqualTo(Visibility.INTERNAL);
    }

    @Test
    @Order(83)
    void appendAndHandOffKeepsVisibility() {
        CaseRef ref = createCase(uniqueSubject());
        Activity shown = activity(Direction.AI, "Public reply " + UUID.randomUUID(), 0);
        Activity hidden = new Activity("note-" + UUID.randomUUID(), Direction.SYSTEM, "Assistant",
                "Internal words " + UUID.randomUUID(), Instant.now(), Visibility.INTERNAL);
        Handoff handoff = new Handoff(summaryAfter(List.of(shown, hidden)), null, null, null);
        if (appendAndHandOffUnsupported(ref, List.of(shown, hidden), handoff)) {
            return;
        }
        call(() -> connection.appendAndHandOff(op(ref), ref, List.of(shown, hidden), handoff));
        assertThat(visibilityOf(ref, shown.text())).as("a public message is stored").isNotNull();
        assertThat(visibilityOf(ref, hidden.text())).as("an internal note").isEqualTo(Visibility.INTERNAL);
        assertThat(visibilityOf(ref, handoff.summary().text())).as("the handoff summary").isEqualTo(Visibility.INTERNAL);
    }

    @Test
    @Order(82)
    void agentInternalNoteComesBackInternal() {
        if (webhooksUnsupported()) {
            return;
        }
        CaseRef ref = createCase(uniqueSubject());
        fixture.takeWebhooks(ref);
        String text = "Agents only " + UUID.randomUUID();
        try {
            fixture.agentAddsInternalNote(ref, text);
        } catch (UnsupportedOperationException e) {
            Assumptions.abort("the fixture cannot add an internal note as an agent (ConnectorFixture.agentAddsInternalNote)");
        }
        List<AgentReplied> notes = process(fixture.takeWebhooks(ref)).stream().filter(AgentReplied.class::isInstance)
                .map(AgentReplied.class::cast).filter(r -> r.text().strip().equals(text)).toList();
        assertThat(notes).as("the agent's internal note as an event").hasSize(1);
        assertThat(notes.get(0).visibility()).as("an agent's internal note").isEqualTo(Visibility.INTERNAL);
    }

    // ---- capabilities and outbound policy ----

    @Test
    @Order(90)
    void capabilitiesAreKeptBothWays() {
        CaseRef ref = createCase(uniqueSubject());
        List<String> problems = new ArrayList<>();
        Activity a = activity(Direction.CUSTOMER, "Capability probe " + UUID.randomUUID(), 0);
        Activity reply = activity(Direction.AI, "Capability probe reply " + UUID.randomUUID(), 1);
        Map<String, List<Capability>> operations = new LinkedHashMap<>();
        Map<String, Supplier<?>> calls = new LinkedHashMap<>();
        operations.put("appendActivity", List.of(Capability.APPEND_ACTIVITY));
        calls.put("appendActivity", () -> connection.appendActivity(op(ref), ref, a));
        operations.put("appendActivities", List.of(Capability.APPEND_ACTIVITY));
        calls.put("appendActivities", () -> connection.appendActivities(op(ref), ref, List.of(a)));
        operations.put("handOff", List.of(Capability.HANDOFF));
        calls.put("handOff", () -> connection.handOff(op(ref), ref, new Handoff(summary(), null, null, null)));
        // with a message it needs both; the host passes none without APPEND_ACTIVITY
        operations.put("appendAndHandOff", List.of(Capability.HANDOFF, Capability.APPEND_ACTIVITY));
        calls.put("appendAndHandOff", () -> connection.appendAndHandOff(op(ref), ref, List.of(reply),
                new Handoff(summary(), null, null, null)));
        operations.put("describeFields", List.of(Capability.FILL_FIELDS));
        calls.put("describeFields", connection::describeFields);
        operations.put("fillFields", List.of(Capability.FILL_FIELDS));
        calls.put("fillFields", () -> connection.fillFields(op(ref), ref,
                descriptor.supports(Capability.FILL_FIELDS) ? fixture.validFieldValues() : FieldValues.of(Map.of("x", "y"))));
        operations.put("authenticateWebhook", List.of(Capability.WEBHOOKS));
        calls.put("authenticateWebhook", () -> run(() -> connection.authenticateWebhook(WebhookRequest.json(Map.of(), "{}"))));
        operations.put("onWebhook", List.of(Capability.WEBHOOKS));
        calls.put("onWebhook", () -> connection.onWebhook(webhookOp(), WebhookRequest.json(Map.of(), "{}")));
        operations.put("resolve", List.of(Capability.RESOLVE));
        calls.put("resolve", () -> run(() -> connection.resolve(op(ref), ref, Resolution.of("Probe"))));
        operations.forEach((name, needed) -> {
            boolean declared = needed.stream().allMatch(descriptor::supports);
            String capability = needed.stream().map(Capability::name).collect(Collectors.joining(" + "));
            try {
                calls.get(name).get();
                if (!declared) {
                    problems.add(name + " worked although " + capability + " is not declared: it must throw UnsupportedOperationException");
                }
            } catch (UnsupportedOperationException e) {
                if (declared) {
                    problems.add(name + " threw UnsupportedOperationException although " + capability + " is declared");
                }
            } catch (ConnectorException e) {
                record(e);
                if (!declared) {
                    problems.add(name + " threw " + e.getClass().getSimpleName() + " although " + capability
                            + " is not declared: it must throw UnsupportedOperationException");
                } else if (!(e instanceof WebhookAuthenticationException) && !name.equals("onWebhook")) {
                    problems.add(name + " failed although " + capability + " is declared: " + e.getMessage());
                }
            } catch (RuntimeException e) {
                record(e);
                problems.add(name + " threw " + e.getClass().getName() + ", not a ConnectorException");
            }
        });
        assertThat(problems).as("capabilities declared %s", descriptor.capabilities()).isEmpty();
    }

    @Test
    @Order(91)
    void deniedOutboundPolicyKeepsTheConnectionFromTheHelpdesk() {
        ContractIntegrationContext denied = context.withOutbound(ContractOutboundPolicies.denyAll());
        String subject = uniqueSubject();
        CaseDraft draft = CaseDraft.of("conv-" + UUID.randomUUID(), subject, "Must not arrive", customer());
        HelpdeskConnection blocked;
        try {
            blocked = connector.open(denied);
        } catch (ConnectorException e) {
            record(e); // refusing at open (the URL is not allowed) is fine
            assertThat(fixture.countCasesWithSubject(subject)).isZero();
            return;
        } catch (RuntimeException e) {
            record(e);
            fail("open() with a denying outbound policy must throw a ConnectorException (or open), not " + e, e);
            return;
        }
        opened.add(blocked);
        try {
            VerificationResult result = blocked.verify();
            observedTexts.add(result.message());
            assertThat(result.ok()).as("verify() when the outbound policy denies the helpdesk").isFalse();
        } catch (ConnectorException e) {
            record(e);
        } catch (RuntimeException e) {
            record(e);
            fail("verify() with a denying outbound policy must fail with a ConnectorException, not " + e, e);
        }
        expect(ConnectorException.class, () -> blocked.createCase(op(draft.conversationId()), draft, List.of()));
        assertThat(fixture.countCasesWithSubject(subject)).as("cases written past a denying outbound policy").isZero();
    }

    // ---- secrets, last ----

    @Test
    @Order(Integer.MAX_VALUE)
    void noSecretInLogsOrErrors() {
        assertThat(CapturedLogs.active())
                .as("SLF4J must be bound to the kit's provider: run tests with "
                        + "-Dslf4j.provider=com.helpdeskconnect.testkit.logging.CapturingServiceProvider")
                .isTrue();
        Set<String> secrets = new HashSet<>(secretValues(fixture.validSettings()));
        secrets.addAll(secretValues(fixture.wrongCredentialSettings()));
        secrets.addAll(fixture.otherSecrets());
        secrets.removeIf(s -> s == null || s.length() < 6);
        assertThat(secrets).as("secrets to look for").isNotEmpty();
        List<String> texts = new ArrayList<>(CapturedLogs.lines());
        texts.addAll(observedTexts);
        for (String secret : secrets) {
            for (String text : texts) {
                if (text != null && text.contains(secret)) {
                    fail("A secret value appeared in: " + text.replace(secret, Secret.MASK));
                }
            }
        }
    }

    // ---- helpers for the checks and for subclasses ----

    /** A new integration on {@code settings}: fresh id, empty state, the fixture's policy and webhook URL. */
    protected final ContractIntegrationContext newContext(Settings settings) {
        String id = "contract-" + UUID.randomUUID();
        return new ContractIntegrationContext(id, bind(settings), ConnectorState.inMemory(), fixture.outboundPolicy(),
                fixture.webhookUrl(id));
    }

    /** Opens a connection the suite closes after the test. */
    protected final HelpdeskConnection open(ContractIntegrationContext integration) {
        HelpdeskConnection c = call(() -> connector.open(integration));
        assertThat(c).as("open() returns a connection").isNotNull();
        opened.add(c);
        return c;
    }

    /** A first attempt of a conversation's operation on this test's integration. */
    protected final OperationContext op(String conversationId) {
        return OperationContext.forEvent(context.integrationId(), conversationId, "evt-" + UUID.randomUUID(), 1,
                Instant.now());
    }

    /** A first attempt of an operation on the conversation the case was opened for. */
    private OperationContext op(CaseRef ref) {
        return op(conversationOfCase.getOrDefault(ref.id(), "conv-of-" + ref.id()));
    }

    /** A first attempt of processing a stored webhook call. */
    protected final OperationContext webhookOp() {
        return OperationContext.forWebhook(context.integrationId(), "wh-" + UUID.randomUUID(), 1, Instant.now());
    }

    private boolean webhooksUnsupported() {
        if (unsupported(Capability.WEBHOOKS, () -> run(() -> connection.authenticateWebhook(WebhookRequest.json(Map.of(), "{}"))))) {
            unsupported(Capability.WEBHOOKS, () -> connection.onWebhook(webhookOp(), WebhookRequest.json(Map.of(), "{}")));
            return true;
        }
        return false;
    }

    /** Authenticates each call as on arrival (it must pass), then processes it. */
    private List<HelpdeskEvent> process(List<WebhookRequest> calls) {
        List<HelpdeskEvent> events = new ArrayList<>();
        for (WebhookRequest request : calls) {
            call(() -> run(() -> connection.authenticateWebhook(request)));
            events.addAll(call(() -> connection.onWebhook(webhookOp(), request)));
        }
        return events;
    }

    /**
     * Arms a lost answer for {@code write}, runs the operation (it must succeed or fail retryably), then
     * retries it with {@code attempt + 1} on a reopened connection sharing the integration's state, as
     * another host process would after a crash.
     */
    private <T> T afterLostAnswer(WriteOperation write, OperationContext first,
                                  BiFunction<HelpdeskConnection, OperationContext, T> operation) {
        fixture.loseNextAnswer(write);
        try {
            operation.apply(connection, first);
        } catch (ConnectorException e) {
            record(e);
            assertThat(e.retryable()).as("a lost answer must surface as a retryable failure, not %s: %s",
                    e.kind(), e.getMessage()).isTrue();
        } catch (UnsupportedOperationException e) {
            fail("A declared capability threw UnsupportedOperationException: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            record(e);
            fail("Connectors must throw ConnectorException subclasses, not " + e.getClass().getName(), e);
        } finally {
            fixture.clearFailures();
        }
        HelpdeskConnection reopened = open(context);
        return call(() -> operation.apply(reopened, first.retry()));
    }

    /**
     * For a connector without {@code HANDOFF} (or without {@code APPEND_ACTIVITY}, with messages), checks
     * appendAndHandOff answers with UnsupportedOperationException and returns true.
     */
    private boolean appendAndHandOffUnsupported(CaseRef ref, List<Activity> due, Handoff handoff) {
        return unsupported(Capability.HANDOFF, () -> connection.appendAndHandOff(op(ref), ref, List.of(), handoff))
                || unsupported(Capability.APPEND_ACTIVITY, () -> connection.appendAndHandOff(op(ref), ref, due, handoff));
    }

    /** The messages in order, then the summary; each once. */
    private void assertMessagesThenSummaryOnce(CaseRef ref, List<Activity> due, Handoff handoff) {
        List<String> expected = new ArrayList<>(due.stream().map(Activity::text).toList());
        expected.add(handoff.summary().text());
        List<String> texts = texts(ref);
        assertThat(texts).as("the messages, then the summary").containsSubsequence(expected);
        expected.forEach(t -> assertThat(texts).containsOnlyOnce(t));
    }

    private void assertNoActivityTwice(CaseRef ref) {
        List<String> texts = texts(ref);
        assertThat(texts).as("activities on the case after a retry").doesNotHaveDuplicates();
    }

    /** A customer writes after the case ended: the message lands on the reopened case or on a follow-up. */
    private void assertMessageAfterEndIsSeen(CaseRef ref, String how) {
        Activity late = activity(Direction.CUSTOMER, "It broke again " + UUID.randomUUID(), 0);
        OperationContext op = op(ref);
        CaseRef landed = call(() -> connection.appendActivity(op, ref, late));
        if (landed.id().equals(ref.id())) {
            assertThat(fixture.isResolved(ref)).as("a %s case that took a customer message is reopened", how).isFalse();
        } else {
            assertThat(fixture.isResolved(landed)).as("the follow-up case of a %s case is open", how).isFalse();
        }
        assertThat(texts(landed)).as("the customer's message on %s", landed.id().equals(ref.id()) ? "the reopened case"
                : "the follow-up case").containsOnlyOnce(late.text());
        CaseRef again = call(() -> connection.appendActivity(op.retry(), ref, late));
        assertThat(again.id()).as("a retry lands where the first attempt did").isEqualTo(landed.id());
        assertThat(texts(landed)).containsOnlyOnce(late.text());
    }

    private Visibility visibilityOf(CaseRef ref, String text) {
        BackendActivity stored = fixture.activities(ref).stream().filter(a -> a.text().equals(text)).findFirst()
                .orElseThrow(() -> new AssertionError("no activity with text " + text));
        Assumptions.assumeTrue(stored.visibility() != null,
                "the fixture does not report visibility (BackendActivity.visibility is null)");
        return stored.visibility();
    }

    /** Runs {@code tasks} tasks on {@code threads} threads, all released together; rethrows the first failure. */
    private static void runInParallel(int threads, int tasks, IntConsumer task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < tasks; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    start.await();
                    task.accept(index);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof Error error) {
                        throw error;
                    }
                    throw (Exception) e.getCause();
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void requireInjectable(InjectedFailure failure) {
        Assumptions.assumeTrue(fixture.injectableFailures().contains(failure),
                () -> "the fixture cannot inject " + failure + " (ConnectorFixture.injectableFailures)");
    }

    private ConnectorException failedCreateCase(InjectedFailure failure) {
        requireInjectable(failure);
        CaseDraft draft = CaseDraft.of("conv-" + UUID.randomUUID(), uniqueSubject(), "", customer());
        call(connection::verify); // a fresh token, so the failure hits the operation
        fixture.injectFailure(failure, 50);
        try {
            return expect(ConnectorException.class, () -> connection.createCase(op(draft.conversationId()), draft, List.of()));
        } finally {
            fixture.clearFailures();
        }
    }

    private void assertFieldsHeld(CaseRef ref, FieldValues values) {
        values.values().forEach((field, value) ->
                assertThat(fixture.fieldValue(ref, field)).as(field).hasValue(String.valueOf(value)));
    }

    /**
     * For an undeclared capability, checks the operation answers with UnsupportedOperationException
     * and returns true (the test ends there); for a declared one returns false.
     */
    private boolean unsupported(Capability capability, Supplier<?> operation) {
        if (descriptor.supports(capability)) {
            return false;
        }
        try {
            operation.get();
        } catch (UnsupportedOperationException expected) {
            return true;
        } catch (RuntimeException e) {
            record(e);
            fail(capability + " is not declared, so the operation must throw UnsupportedOperationException, not " + e);
        }
        fail(capability + " is not declared, so the operation must throw UnsupportedOperationException; it returned");
        return true;
    }

    private CaseRef createCase(String subject) {
        CaseDraft draft = CaseDraft.of("conv-" + UUID.randomUUID(), subject, "The customer needs help.", customer());
        CaseRef ref = call(() -> connection.createCase(op(draft.conversationId()), draft, List.of()));
        conversationOfCase.put(ref.id(), draft.conversationId());
        return ref;
    }

    private List<String> texts(CaseRef ref) {
        return fixture.activities(ref).stream().map(BackendActivity::text).toList();
    }

    /** Runs an operation; anything thrown must be a ConnectorException (UnsupportedOperationException only for undeclared capabilities). */
    private <T> T call(Supplier<T> operation) {
        T result;
        try {
            result = operation.get();
        } catch (ConnectorException e) {
            record(e);
            throw e;
        } catch (UnsupportedOperationException e) {
            fail("A declared capability threw UnsupportedOperationException: " + e.getMessage(), e);
            throw e;
        } catch (RuntimeException e) {
            record(e);
            fail("Connectors must throw ConnectorException subclasses, not " + e.getClass().getName(), e);
            throw e;
        }
        observedTexts.add(String.valueOf(result));
        return result;
    }

    private <E extends ConnectorException> E expect(Class<E> type, Supplier<?> operation) {
        try {
            Object result = operation.get();
            fail("Expected " + type.getSimpleName() + " but the call returned " + result);
            return null;
        } catch (ConnectorException e) {
            record(e);
            assertThat(e).as("%s: %s", e.getClass().getSimpleName(), e.getMessage()).isInstanceOf(type);
            return type.cast(e);
        } catch (RuntimeException e) {
            record(e);
            fail("Connectors must throw ConnectorException subclasses, not " + e.getClass().getName(), e);
            return null;
        }
    }

    private static Void run(Runnable action) {
        action.run();
        return null;
    }

    private void record(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            observedTexts.add(t.toString());
        }
    }

    private Record bind(Settings settings) {
        return SettingsBinder.bind(settings, descriptor.settingsType(), validator());
    }

    private Validator validator() {
        return validatorFactory.getValidator();
    }

    private Set<String> secretValues(Settings settings) {
        return descriptor.settings().stream().filter(SettingDescriptor::secret)
                .map(s -> settings.get(s.name()).map(String::valueOf).orElse(null))
                .filter(v -> v != null)
                .collect(Collectors.toSet());
    }

    private static String uniqueSubject() {
        return "Contract test " + UUID.randomUUID();
    }

    private static Customer customer() {
        return new Customer("Ada Lovelace", "ada." + UUID.randomUUID().toString().substring(0, 8) + "@example.com", "+44 20 7946 0000");
    }

    private static Activity activity(Direction direction, String text, int secondsAfterStart) {
        return new Activity("msg-" + UUID.randomUUID(), direction, direction == Direction.AI ? "Assistant" : "Ada Lovelace",
                text, Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(secondsAfterStart));
    }

    private static Activity summary() {
        return new Activity("handoff-" + UUID.randomUUID(), Direction.SYSTEM, "Assistant",
                "Summary: parcel lost in transit " + UUID.randomUUID(), Instant.now(), Visibility.INTERNAL);
    }

    /** A summary said a second after the last of {@code said}: the handoff follows its messages. */
    private static Activity summaryAfter(List<Activity> said) {
        Instant last = said.stream().map(Activity::occurredAt).max(Instant::compareTo).orElse(Instant.now());
        return new Activity("handoff-" + UUID.randomUUID(), Direction.SYSTEM, "Assistant",
                "Summary: parcel lost in transit " + UUID.randomUUID(), last.plusSeconds(1), Visibility.INTERNAL);
    }
}
