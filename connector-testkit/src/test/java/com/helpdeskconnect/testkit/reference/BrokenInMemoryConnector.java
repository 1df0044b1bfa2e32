package com.helpdeskconnect.testkit.reference;

import com.helpdeskconnect.api.Integration;
import com.helpdeskconnect.api.VerificationResult;
import com.helpdeskconnect.api.cases.CaseDraft;
import com.helpdeskconnect.api.cases.CaseRef;
import com.helpdeskconnect.api.cases.Resolution;
import com.helpdeskconnect.api.webhook.HelpdeskEvent;
import com.helpdeskconnect.api.webhook.WebhookRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The reference connector with one classic mistake per contract rule; the kit must catch each. */
final class BrokenInMemoryConnector extends InMemoryConnector {
    private static final Logger LOG = LoggerFactory.getLogger(BrokenInMemoryConnector.class);

    /** Logs its credential. */
    @Override
    public VerificationResult verify(Integration integration) {
        LOG.debug("Verifying with key {}", integration.settings(InMemorySettings.class).apiKey().reveal());
        return super.verify(integration);
    }

    /** Forgets the idempotency key: every retry opens another case. */
    @Override
    public CaseRef createCase(Integration integration, CaseDraft draft) {
        InMemoryHelpdesk helpdesk = helpdesk(integration);
        return guarded(() -> {
            InMemoryHelpdesk.StoredCase c = helpdesk.createCase(draft.subject(), draft.conversationId());
            return new CaseRef(c.id, c.number, null);
        });
    }

    /** Declares RESOLVE but does not implement it. */
    @Override
    public void resolve(Integration integration, CaseRef caseRef, Resolution resolution) {
        throw new UnsupportedOperationException("resolve");
    }

    /** Trusts every caller. */
    @Override
    public List<HelpdeskEvent> onWebhook(Integration integration, WebhookRequest request) {
        Map<String, List<String>> headers = new HashMap<>(request.headers());
        headers.put(InMemoryHelpdesk.WEBHOOK_HEADER,
                List.of(integration.settings(InMemorySettings.class).webhookSecret().reveal()));
        return super.onWebhook(integration, new WebhookRequest(headers, request.query(), request.body()));
    }

    /** Lets server errors escape raw. */
    @Override
    protected <T> T guarded(Supplier<T> call) {
        try {
            return super.guarded(call);
        } catch (com.helpdeskconnect.api.errors.TransientException e) {
            throw new IllegalStateException("HTTP 500 from helpdesk");
        }
    }
}
