package com.helpdeskconnect.testkit.reference;

import com.helpdeskconnect.testkit.ConnectorFixture;
import com.helpdeskconnect.testkit.HelpdeskConnectorContractTest;

/**
 * The suite against each {@link Mistake}, one class per mistake. Surefire does not run them (nested,
 * no Test suffix): {@link ContractKitCatchesBrokenConnectorTest} runs them and expects their failures.
 */
final class MistakeContracts {
    private MistakeContracts() {}

    static Class<? extends HelpdeskConnectorContractTest> contractFor(Mistake mistake) {
        return switch (mistake) {
            case CASE_REMEMBERED_IN_MEMORY -> CaseRememberedInMemory.class;
            case MESSAGES_REMEMBERED_IN_MEMORY -> MessagesRememberedInMemory.class;
            case RESOLUTION_NOTE_REPEATED -> ResolutionNoteRepeated.class;
            case FIELDS_NOTE_REPEATED -> FieldsNoteRepeated.class;
            case LOST_ANSWER_IS_PERMANENT -> LostAnswerIsPermanent.class;
            case REAUTHENTICATES_LATER -> ReauthenticatesLater.class;
            case REPLAY_WINDOW_ON_CLOCK -> ReplayWindowOnClock.class;
            case SIGNS_TRIMMED_BODY -> SignsTrimmedBody.class;
            case NEEDS_CUSTOMER_EMAIL -> NeedsCustomerEmail.class;
            case DROPS_DRAFT_ASSIGNMENT -> DropsDraftAssignment.class;
            case DROPS_HANDOFF_ASSIGNMENT -> DropsHandoffAssignment.class;
            case DROPS_CLOSURE_CODE -> DropsClosureCode.class;
            case NO_REOPEN -> NoReopen.class;
            case NO_FOLLOW_UP -> NoFollowUp.class;
            case RACY_CREATE -> RacyCreate.class;
            case SHARED_BUFFER -> SharedBuffer.class;
            case EVERYTHING_PUBLIC -> EverythingPublic.class;
            case NOTES_AS_PUBLIC -> NotesAsPublic.class;
            case UNDECLARED_OPERATIONS_WORK -> UndeclaredOperationsWork.class;
            case IGNORES_OUTBOUND_POLICY -> IgnoresOutboundPolicy.class;
            case SUMMARY_BEFORE_MESSAGES -> SummaryBeforeMessages.class;
        };
    }

    abstract static class MistakeContract extends HelpdeskConnectorContractTest {
        private final Mistake mistake;

        MistakeContract(Mistake mistake) {
            this.mistake = mistake;
        }

        @Override
        protected ConnectorFixture createFixture() {
            return new InMemoryFixture(new MistakenConnector(mistake));
        }
    }

    static final class CaseRememberedInMemory extends MistakeContract {
        CaseRememberedInMemory() { super(Mistake.CASE_REMEMBERED_IN_MEMORY); }
    }

    static final class MessagesRememberedInMemory extends MistakeContract {
        MessagesRememberedInMemory() { super(Mistake.MESSAGES_REMEMBERED_IN_MEMORY); }
    }

    static final class ResolutionNoteRepeated extends MistakeContract {
        ResolutionNoteRepeated() { super(Mistake.RESOLUTION_NOTE_REPEATED); }
    }

    static final class FieldsNoteRepeated extends MistakeContract {
        FieldsNoteRepeated() { super(Mistake.FIELDS_NOTE_REPEATED); }
    }

    static final class LostAnswerIsPermanent extends MistakeContract {
        LostAnswerIsPermanent() { super(Mistake.LOST_ANSWER_IS_PERMANENT); }
    }

    static final class ReauthenticatesLater extends MistakeContract {
        ReauthenticatesLater() { super(Mistake.REAUTHENTICATES_LATER); }
    }

    static final class ReplayWindowOnClock extends MistakeContract {
        ReplayWindowOnClock() { super(Mistake.REPLAY_WINDOW_ON_CLOCK); }
    }

    static final class SignsTrimmedBody extends MistakeContract {
        SignsTrimmedBody() { super(Mistake.SIGNS_TRIMMED_BODY); }
    }

    static final class NeedsCustomerEmail extends MistakeContract {
        NeedsCustomerEmail() { super(Mistake.NEEDS_CUSTOMER_EMAIL); }
    }

    static final class DropsDraftAssignment extends MistakeContract {
        DropsDraftAssignment() { super(Mistake.DROPS_DRAFT_ASSIGNMENT); }
    }

    static final class DropsHandoffAssignment extends MistakeContract {
        DropsHandoffAssignment() { super(Mistake.DROPS_HANDOFF_ASSIGNMENT); }
    }

    static final class DropsClosureCode extends MistakeContract {
        DropsClosureCode() { super(Mistake.DROPS_CLOSURE_CODE); }
    }

    static final class NoReopen extends MistakeContract {
        NoReopen() { super(Mistake.NO_REOPEN); }
    }

    static final class NoFollowUp extends MistakeContract {
        NoFollowUp() { super(Mistake.NO_FOLLOW_UP); }
    }

    static final class RacyCreate extends MistakeContract {
        RacyCreate() { super(Mistake.RACY_CREATE); }
    }

    static final class SharedBuffer extends MistakeContract {
        SharedBuffer() { super(Mistake.SHARED_BUFFER); }
    }

    static final class EverythingPublic extends MistakeContract {
        EverythingPublic() { super(Mistake.EVERYTHING_PUBLIC); }
    }

    static final class NotesAsPublic extends MistakeContract {
        NotesAsPublic() { super(Mistake.NOTES_AS_PUBLIC); }
    }

    static final class UndeclaredOperationsWork extends MistakeContract {
        UndeclaredOperationsWork() { super(Mistake.UNDECLARED_OPERATIONS_WORK); }
    }

    static final class IgnoresOutboundPolicy extends MistakeContract {
        IgnoresOutboundPolicy() { super(Mistake.IGNORES_OUTBOUND_POLICY); }
    }

    static final class SummaryBeforeMessages extends MistakeContract {
        SummaryBeforeMessages() { super(Mistake.SUMMARY_BEFORE_MESSAGES); }
    }
}
