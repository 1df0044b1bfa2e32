package com.helpdeskconnect.testkit.reference;

import com.helpdeskconnect.api.Capability;
import com.helpdeskconnect.api.HelpdeskConnection;
import com.helpdeskconnect.api.IntegrationContext;
import com.helpdeskconnect.api.OperationContext;
import com.helpdeskconnect.api.VerificationResult;
import com.helpdeskconnect.api.cases.CaseDraft;
import com.helpdeskconnect.api.cases.CaseRef;
import com.helpdeskconnect.api.cases.Resolution;
import com.helpdeskconnect.api.errors.TransientException;
import com.helpdeskconnect.api.webhook.WebhookRequest;
import java.util.EnumSet;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The reference connector with one classic mistake per contract rule; the kit must catch each. */
final class BrokenInMemoryConnector extends InMemoryConnector {

    @Override
    public HelpdeskConnection open(IntegrationContext context) {
        return new Broken(context);
    }

    private static final class Broken extends InMemoryConnection {
        private static final Logger LOG = LoggerFactory.getLogger(Broken.class);

        Broken(IntegrationContext context) {
            super(context, EnumSet.allOf(Capability.class));
        }

        /** Logs its credential. */
        @Override
        public VerificationResult verify() {
            LOG.debug("Verifying with key {}", settings.apiKey().reveal());
            return super.verify();
        }

        /** Forgets the idempotency key: every retry opens another case. */
        @Override
        protected InMemoryHelpdesk.StoredCase openCase(InMemoryHelpdesk helpdesk, CaseDraft draft) {
            return helpdesk.createCase(draft.conversationId(), draft.subject(), draft.customer().email());
        }

        /** Declares RESOLVE but does not implement it. */
        @Override
        public void resolve(OperationContext operation, CaseRef caseRef, Resolution resolution) {
            throw new UnsupportedOperationException("resolve");
        }

        /** Trusts every caller. */
        @Override
        public void authenticateWebhook(WebhookRequest request) {}

        /** Lets server errors escape raw. */
        @Override
        protected <T> T guarded(Supplier<T> call) {
            try {
                return super.guarded(call);
            } catch (TransientException e) {
                throw new IllegalStateException("HTTP 500 from helpdesk");
            }
        }
    }
}
