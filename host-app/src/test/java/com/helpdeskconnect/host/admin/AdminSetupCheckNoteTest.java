package com.helpdeskconnect.host.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** How the setup check reads the rejected fields out of the note the sync leaves on the conversation. */
class AdminSetupCheckNoteTest {
    @Test
    void readsEachSentFieldsReasonEvenWhenAReasonHoldsCommasAndEquals() {
        Map<String, String> rejected = new TreeMap<>(Map.of(
                "priority", "'Low' is not one of [Critical, High]",
                "sentiment", "the Case column UsrSentiment does not exist, a=b"));
        String note = SetupCheck.FIELDS_NOT_FILLED + new TreeMap<>(rejected);
        assertThat(SetupCheck.rejectedFields(note, Set.of("priority", "category", "sentiment"))).isEqualTo(rejected);
    }

    @Test
    void noNoteOrAnotherNoteRejectsNothing() {
        assertThat(SetupCheck.rejectedFields(null, Set.of("priority"))).isEmpty();
        assertThat(SetupCheck.rejectedFields("TRANSIENT: Creatio answered 503", Set.of("priority"))).isEmpty();
        assertThat(SetupCheck.rejectedFields(SetupCheck.FIELDS_NOT_FILLED + "{}", Set.of("priority"))).isEmpty();
    }

    @Test
    void aFieldNameInsideAnotherReasonDoesNotSplitIt() {
        String note = SetupCheck.FIELDS_NOT_FILLED + "{category=unknown field; fields are [priority, category], priority=too long}";
        assertThat(SetupCheck.rejectedFields(note, Set.of("priority", "category")))
                .containsEntry("category", "unknown field; fields are [priority, category]")
                .containsEntry("priority", "too long");
    }
}
