package com.helpdeskconnect.testkit.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/**
 * The kit proves itself: each deliberate mistake fails its own check. {@link BrokenInMemoryConnector}
 * makes several classic mistakes at once; each {@link Mistake} is one mistake alone, and the suite run
 * against it must fail exactly the listed checks while the older checks that could not see it still pass.
 */
class ContractKitCatchesBrokenConnectorTest {
    private static Set<String> failed;
    private static Set<String> passed;

    /** Per mistake: the checks that must fail (exactly those), the checks that must still pass, and whether to run only the failing ones. */
    record Expectation(Set<String> failing, Set<String> stillPassing, boolean alone) {
        static Expectation fails(String... checks) {
            return new Expectation(Set.of(checks), Set.of(), false);
        }

        Expectation butPasses(String... checks) {
            return new Expectation(failing, Set.of(checks), alone);
        }

        /** The mistake blocks until two calls meet: run only its check, where calls do meet. */
        Expectation runAlone() {
            return new Expectation(failing, stillPassing, true);
        }
    }

    private static final Map<Mistake, Expectation> EXPECTED = new EnumMap<>(Map.ofEntries(
            Map.entry(Mistake.CASE_REMEMBERED_IN_MEMORY,
                    Expectation.fails("lostAnswerOnCreateCaseOpensOneCase", "createCaseRacingItselfOpensOneCase")
                            .butPasses("createCaseIsIdempotentOnConversationId", "retriedCreateCaseAfterFailureCreatesOneCase")),
            Map.entry(Mistake.MESSAGES_REMEMBERED_IN_MEMORY,
                    Expectation.fails("lostAnswerOnAppendActivityWritesOnce", "lostAnswerOnAppendActivitiesWritesEachOnce",
                            "lostAnswerOnHandOffWritesSummaryOnce", "lostAnswerOnAppendAndHandOffWritesEachOnce")
                            .butPasses("appendActivityIsIdempotentOnExternalId", "appendActivitiesKeepsOrderAndWritesEachOnce",
                                    "handOffAppendsSummaryOnceAndFillsFields", "createCaseWithActivitiesOpensOneCaseWithMessagesInOrderOnce",
                                    "appendAndHandOffWritesMessagesThenSummaryOnce")),
            Map.entry(Mistake.RESOLUTION_NOTE_REPEATED,
                    Expectation.fails("lostAnswerOnResolveResolvesOnce").butPasses("resolveIsIdempotent")),
            Map.entry(Mistake.FIELDS_NOTE_REPEATED,
                    Expectation.fails("lostAnswerOnFillFieldsFillsOnce", "lostAnswerOnAppendAndHandOffWritesEachOnce")
                            .butPasses("fillFieldsAppliesValidValues", "appendAndHandOffWritesMessagesThenSummaryOnce")),
            Map.entry(Mistake.LOST_ANSWER_IS_PERMANENT,
                    Expectation.fails("lostAnswerOnCreateCaseOpensOneCase", "lostAnswerOnAppendActivityWritesOnce",
                            "lostAnswerOnAppendActivitiesWritesEachOnce", "lostAnswerOnHandOffWritesSummaryOnce",
                            "lostAnswerOnResolveResolvesOnce", "lostAnswerOnFillFieldsFillsOnce",
                            "lostAnswerOnAppendAndHandOffWritesEachOnce")
                            .butPasses("serverErrorsSurfaceAsTransient", "connectionResetsSurfaceAsTransient")),
            Map.entry(Mistake.REAUTHENTICATES_LATER,
                    Expectation.fails("webhookAuthenticatedOnArrivalIsProcessedMuchLater")
                            .butPasses("webhookMapsAgentReply", "webhookRejectsUnauthenticatedCalls")),
            Map.entry(Mistake.REPLAY_WINDOW_ON_CLOCK,
                    Expectation.fails("webhookAuthenticatedOnArrivalIsProcessedMuchLater")
                            .butPasses("webhookMapsAgentReply", "webhookRejectsUnauthenticatedCalls")),
            Map.entry(Mistake.SIGNS_TRIMMED_BODY,
                    Expectation.fails("webhookWithAlteredBodyFailsAuthentication").butPasses("webhookRejectsUnauthenticatedCalls")),
            Map.entry(Mistake.NEEDS_CUSTOMER_EMAIL,
                    Expectation.fails("anonymousCustomerOpensCase").butPasses("createCaseReturnsReference")),
            Map.entry(Mistake.DROPS_DRAFT_ASSIGNMENT,
                    Expectation.fails("ownerAndGroupLandOnDraftAndAtHandoff").butPasses("handOffAppendsSummaryOnceAndFillsFields")),
            Map.entry(Mistake.DROPS_HANDOFF_ASSIGNMENT,
                    Expectation.fails("ownerAndGroupLandOnDraftAndAtHandoff", "lostAnswerOnHandOffWritesSummaryOnce",
                                    "appendAndHandOffWritesMessagesThenSummaryOnce", "lostAnswerOnAppendAndHandOffWritesEachOnce")
                            .butPasses("handOffAppendsSummaryOnceAndFillsFields", "appendAndHandOffKeepsVisibility")),
            Map.entry(Mistake.DROPS_CLOSURE_CODE,
                    Expectation.fails("resolveWritesClosureCode").butPasses("resolveIsIdempotent")),
            Map.entry(Mistake.NO_REOPEN,
                    Expectation.fails("customerMessageOnResolvedCaseIsNotLost").butPasses("customerMessageOnClosedCaseIsNotLost")),
            Map.entry(Mistake.NO_FOLLOW_UP,
                    Expectation.fails("customerMessageOnClosedCaseIsNotLost", "customerMessageAtHandoffOnClosedCaseIsNotLost")
                            .butPasses("customerMessageOnResolvedCaseIsNotLost", "appendAndHandOffWritesMessagesThenSummaryOnce")),
            Map.entry(Mistake.RACY_CREATE,
                    Expectation.fails("createCaseRacingItselfOpensOneCase").runAlone()),
            Map.entry(Mistake.SHARED_BUFFER,
                    Expectation.fails("manyConversationsInParallelKeepTheirOwnCasesAndMessages").runAlone()),
            Map.entry(Mistake.EVERYTHING_PUBLIC,
                    Expectation.fails("activitiesKeepTheirVisibility", "handOffSummaryStaysInternal", "appendAndHandOffKeepsVisibility")
                            .butPasses("agentInternalNoteComesBackInternal", "appendActivityKeepsOrder")),
            Map.entry(Mistake.NOTES_AS_PUBLIC,
                    Expectation.fails("agentInternalNoteComesBackInternal").butPasses("webhookMapsAgentReply")),
            Map.entry(Mistake.UNDECLARED_OPERATIONS_WORK,
                    Expectation.fails("capabilitiesAreKeptBothWays", "appendActivityKeepsOrder", "appendActivityIsIdempotentOnExternalId",
                            "appendActivitiesKeepsOrderAndWritesEachOnce", "fillFieldsAppliesValidValues",
                            "fillFieldsRejectsUnknownFieldsAndBadValuesPerField", "handOffAppendsSummaryOnceAndFillsFields",
                            "resolveIsIdempotent", "webhookRejectsUnauthenticatedCalls", "webhookIgnoresEchoesOfOwnWrites",
                            "webhookMapsAgentReply", "webhookMapsCaseClosure", "lostAnswerOnAppendActivityWritesOnce",
                            "lostAnswerOnAppendActivitiesWritesEachOnce", "lostAnswerOnHandOffWritesSummaryOnce",
                            "lostAnswerOnResolveResolvesOnce", "lostAnswerOnFillFieldsFillsOnce",
                            "webhookAuthenticatedOnArrivalIsProcessedMuchLater", "webhookWithAlteredBodyFailsAuthentication",
                            "resolveWritesClosureCode", "activitiesKeepTheirVisibility", "handOffSummaryStaysInternal",
                            "agentInternalNoteComesBackInternal", "customerMessageOnResolvedCaseIsNotLost",
                            "customerMessageOnClosedCaseIsNotLost", "appendAndHandOffWritesMessagesThenSummaryOnce",
                            "customerMessageAtHandoffOnClosedCaseIsNotLost", "appendAndHandOffKeepsVisibility",
                            "lostAnswerOnAppendAndHandOffWritesEachOnce")
                            .butPasses("createCaseReturnsReference")),
            Map.entry(Mistake.IGNORES_OUTBOUND_POLICY,
                    Expectation.fails("deniedOutboundPolicyKeepsTheConnectionFromTheHelpdesk").butPasses("verifyAcceptsValidSettings")),
            Map.entry(Mistake.SUMMARY_BEFORE_MESSAGES,
                    Expectation.fails("appendAndHandOffWritesMessagesThenSummaryOnce", "lostAnswerOnAppendAndHandOffWritesEachOnce",
                                    "customerMessageAtHandoffOnClosedCaseIsNotLost")
                            .butPasses("handOffAppendsSummaryOnceAndFillsFields", "appendActivitiesKeepsOrderAndWritesEachOnce",
                                    "appendAndHandOffKeepsVisibility"))));

    @BeforeAll
    static void runBrokenContract() {
        Events events = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(BrokenInMemoryConnectorContract.class))
                .execute()
                .testEvents();
        failed = names(events.failed());
        passed = names(events.succeeded());
    }

    @Test
    void nonIdempotentCreateCaseFails() {
        assertThat(failed).contains("createCaseIsIdempotentOnConversationId", "retriedCreateCaseAfterFailureCreatesOneCase");
    }

    @Test
    void loggedSecretFails() {
        assertThat(failed).contains("noSecretInLogsOrErrors");
    }

    @Test
    void unauthenticatedWebhookAcceptedFails() {
        assertThat(failed).contains("webhookRejectsUnauthenticatedCalls");
    }

    @Test
    void rawExceptionFails() {
        assertThat(failed).contains("serverErrorsSurfaceAsTransient");
    }

    @Test
    void declaredButUnsupportedCapabilityFails() {
        assertThat(failed).contains("resolveIsIdempotent", "capabilitiesAreKeptBothWays");
    }

    @Test
    void unbrokenBehaviourStillPasses() {
        assertThat(passed).contains("describeIsWellFormed", "appendActivityKeepsOrder", "appendActivityIsIdempotentOnExternalId",
                "webhookMapsAgentReply", "rateLimitsSurfaceWithRetryAfter", "fillFieldsAppliesValidValues");
    }

    @Test
    void everyMistakeHasAnExpectation() {
        assertThat(EXPECTED.keySet()).containsExactlyInAnyOrder(Mistake.values());
    }

    @ParameterizedTest
    @EnumSource(Mistake.class)
    void eachMistakeFailsExactlyItsChecks(Mistake mistake) {
        Expectation expected = EXPECTED.get(mistake);
        Class<?> contract = MistakeContracts.contractFor(mistake);
        EngineTestKit.Builder run = EngineTestKit.engine("junit-jupiter");
        if (expected.alone()) {
            run.selectors(expected.failing().stream().map(m -> selectMethod(contract, m))
                    .toArray(org.junit.platform.engine.DiscoverySelector[]::new));
        } else {
            run.selectors(selectClass(contract));
        }
        EngineExecutionResults results = run.execute();
        Events tests = results.testEvents();
        assertThat(tests.started().count()).as("checks run against %s", mistake).isPositive();
        assertThat(names(tests.failed())).as("checks failed by the connector with mistake %s", mistake)
                .containsExactlyInAnyOrderElementsOf(expected.failing());
        assertThat(names(tests.succeeded())).as("older checks that cannot see %s", mistake)
                .containsAll(expected.stillPassing());
        assertThat(names(tests.aborted())).as("checks skipped against %s", mistake).isEmpty();
        assertThat(results.containerEvents().failed().count()).as("class-level failures for %s", mistake).isZero();
    }

    private static Set<String> names(Events events) {
        return events.stream()
                .map(Event::getTestDescriptor)
                .map(d -> d.getDisplayName().replace("()", ""))
                .collect(Collectors.toSet());
    }
}
