package com.helpdeskconnect.creatio;

import static com.helpdeskconnect.creatio.Integrations.op;
import static org.assertj.core.api.Assertions.assertThat;

import com.helpdeskconnect.api.OperationContext;
import com.helpdeskconnect.api.cases.Activity;
import com.helpdeskconnect.api.cases.CaseDraft;
import com.helpdeskconnect.api.cases.CaseRef;
import com.helpdeskconnect.api.cases.Customer;
import com.helpdeskconnect.api.cases.Direction;
import com.helpdeskconnect.api.cases.FieldValues;
import com.helpdeskconnect.api.cases.Handoff;
import com.helpdeskconnect.api.cases.HandoffResult;
import com.helpdeskconnect.api.cases.Resolution;
import com.helpdeskconnect.api.errors.ConnectorException;
import com.helpdeskconnect.testkit.WriteOperation;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every write whose change lands and whose answer is lost (the sandbox drops the connection after
 * carrying the request out) is recovered on the spot or on the host's retry, and never written twice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LostAnswerTest {
    private SandboxFixture fixture;
    private CreatioConnection connection;

    @BeforeAll
    void start() {
        fixture = new SandboxFixture();
        connection = Integrations.open((CreatioConnector) fixture.connector(), fixture.validSettings().asMap());
        connection.verify();
    }

    @AfterAll
    void stop() {
        fixture.close();
    }

    /** The first attempt may fail retryably; the retry (same key) must then succeed. The answer was lost. */
    private <T> T atLeastOnce(Supplier<T> first, Supplier<T> retry) {
        T result;
        try {
            result = first.get();
        } catch (ConnectorException e) {
            assertThat(e.retryable()).as("a lost answer is worth retrying: %s", e.getMessage()).isTrue();
            result = retry.get();
        }
        assertThat(fixture.sandbox.faults().active()).as("the armed answer was lost").isNotEmpty()
                .allSatisfy(f -> assertThat(f.injected()).isEqualTo(1));
        fixture.clearFailures();
        return result;
    }

    private CaseRef newCase(String subject) {
        return connection.createCase(op(), CaseDraft.of("conv-" + UUID.randomUUID(), subject, "", Customer.anonymous()),
                List.of());
    }

    private List<String> texts(CaseRef ref) {
        return fixture.activities(ref).stream().map(a -> a.text()).toList();
    }

    @Test
    void createCaseWithAndWithoutMessages() {
        for (List<Activity> first : List.of(List.<Activity>of(),
                List.of(new Activity("m-" + UUID.randomUUID(), Direction.CUSTOMER, "Ada", "Lost once", Instant.now())))) {
            String subject = "Lost create " + UUID.randomUUID();
            CaseDraft draft = CaseDraft.of("conv-" + UUID.randomUUID(), subject, "",
                    new Customer("Ada", "ada." + UUID.randomUUID() + "@example.com", null));
            OperationContext op = op(draft.conversationId());
            fixture.loseNextAnswer(WriteOperation.CREATE_CASE);
            CaseRef ref = atLeastOnce(() -> connection.createCase(op, draft, first),
                    () -> connection.createCase(op.retry(), draft, first));
            assertThat(fixture.countCasesWithSubject(subject)).isEqualTo(1);
            assertThat(ref.number()).startsWith("SR");
            assertThat(texts(ref)).hasSize(first.size());
        }
    }

    @Test
    void appendOneAndSeveral() {
        CaseRef ref = newCase("Lost append " + UUID.randomUUID());
        Activity ai = new Activity("a-" + UUID.randomUUID(), Direction.AI, "", "One answer", Instant.now());
        OperationContext op = op();
        fixture.loseNextAnswer(WriteOperation.APPEND_ACTIVITY);
        atLeastOnce(() -> connection.appendActivity(op, ref, ai), () -> connection.appendActivity(op.retry(), ref, ai));

        List<Activity> due = List.of(new Activity("c-" + UUID.randomUUID(), Direction.CUSTOMER, "Ada", "First", Instant.now()),
                new Activity("c-" + UUID.randomUUID(), Direction.CUSTOMER, "Ada", "Second", Instant.now()));
        OperationContext batch = op();
        fixture.loseNextAnswer(WriteOperation.APPEND_ACTIVITY);
        atLeastOnce(() -> connection.appendActivities(batch, ref, due),
                () -> connection.appendActivities(batch.retry(), ref, due));
        assertThat(texts(ref)).containsExactlyInAnyOrder("One answer", "First", "Second");
    }

    @Test
    void handOffResolveAndFillFields() {
        CaseRef ref = newCase("Lost handoff " + UUID.randomUUID());
        Handoff handoff = new Handoff(new Activity("h-" + UUID.randomUUID(), Direction.SYSTEM, "", "Summary once",
                Instant.now()), null, null, FieldValues.of(Map.of("priority", "High")));
        OperationContext op = op();
        fixture.loseNextAnswer(WriteOperation.HAND_OFF);
        atLeastOnce(() -> connection.handOff(op, ref, handoff), () -> connection.handOff(op.retry(), ref, handoff));
        assertThat(texts(ref)).containsExactly("Summary once");
        assertThat(fixture.fieldValue(ref, "priority")).hasValue("High");

        OperationContext fill = op();
        FieldValues values = FieldValues.of(Map.of("category", "Incident"));
        fixture.loseNextAnswer(WriteOperation.FILL_FIELDS);
        atLeastOnce(() -> connection.fillFields(fill, ref, values), () -> connection.fillFields(fill.retry(), ref, values));
        assertThat(fixture.fieldValue(ref, "category")).hasValue("Incident");

        OperationContext resolve = op();
        Resolution resolution = Resolution.of("Done");
        fixture.loseNextAnswer(WriteOperation.RESOLVE);
        atLeastOnce(() -> {
            connection.resolve(resolve, ref, resolution);
            return null;
        }, () -> {
            connection.resolve(resolve.retry(), ref, resolution);
            return null;
        });
        assertThat(fixture.isResolved(ref)).isTrue();
    }

    /** The reply and the handoff's $batch lands, its answer is lost: the retry writes neither again. */
    @Test
    void replyAndHandOffInOneBatch() {
        CaseRef ref = newCase("Lost reply and handoff " + UUID.randomUUID());
        List<Activity> reply = List.of(new Activity("a-" + UUID.randomUUID(), Direction.AI, "", "Handing over", Instant.now()));
        Handoff handoff = new Handoff(new Activity("h-" + UUID.randomUUID(), Direction.SYSTEM, "", "Summary after the reply",
                Instant.now().plusSeconds(1)), null, null, FieldValues.of(Map.of("priority", "High")));
        OperationContext op = op();
        fixture.loseNextAnswer(WriteOperation.HAND_OFF);
        HandoffResult result = atLeastOnce(() -> connection.appendAndHandOff(op, ref, reply, handoff),
                () -> connection.appendAndHandOff(op.retry(), ref, reply, handoff));
        assertThat(result.caseRef().id()).isEqualTo(ref.id());
        assertThat(texts(ref)).containsExactly("Handing over", "Summary after the reply");
        assertThat(fixture.fieldValue(ref, "priority")).hasValue("High");
    }
}
