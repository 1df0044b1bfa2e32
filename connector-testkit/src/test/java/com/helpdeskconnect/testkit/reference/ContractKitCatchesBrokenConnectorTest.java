package com.helpdeskconnect.testkit.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/** The kit proves itself: each deliberate mistake in {@link BrokenInMemoryConnector} fails its own check. */
class ContractKitCatchesBrokenConnectorTest {
    private static Set<String> failed;
    private static Set<String> passed;

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
        assertThat(failed).contains("resolveIsIdempotent");
    }

    @Test
    void unbrokenBehaviourStillPasses() {
        assertThat(passed).contains("describeIsWellFormed", "appendActivityKeepsOrder", "appendActivityIsIdempotentOnExternalId",
                "webhookMapsAgentReply", "rateLimitsSurfaceWithRetryAfter", "fillFieldsAppliesValidValues");
    }

    private static Set<String> names(Events events) {
        return events.stream()
                .map(Event::getTestDescriptor)
                .map(d -> d.getDisplayName().replace("()", ""))
                .collect(Collectors.toSet());
    }

}
