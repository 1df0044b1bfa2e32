package com.helpdeskconnect.zendesk;

import com.helpdeskconnect.api.HelpdeskConnection;
import com.helpdeskconnect.api.OperationContext;
import com.helpdeskconnect.api.VerificationResult;
import com.helpdeskconnect.api.cases.Activity;
import com.helpdeskconnect.api.cases.CaseDraft;
import com.helpdeskconnect.api.cases.CaseRef;
import com.helpdeskconnect.api.cases.FieldDescriptor;
import com.helpdeskconnect.api.cases.FieldValues;
import com.helpdeskconnect.api.cases.FillResult;
import com.helpdeskconnect.api.cases.Handoff;
import com.helpdeskconnect.api.cases.Resolution;
import com.helpdeskconnect.api.errors.ConnectorException;
import com.helpdeskconnect.api.errors.InvalidSettingsException;
import com.helpdeskconnect.api.errors.PermanentException;
import com.helpdeskconnect.api.webhook.HelpdeskEvent;
import com.helpdeskconnect.api.webhook.WebhookRequest;
import com.helpdeskconnect.zendesk.cases.CommentWriter;
import com.helpdeskconnect.zendesk.cases.TicketUpdates;
import com.helpdeskconnect.zendesk.cases.TicketWriter;
import com.helpdeskconnect.zendesk.cases.UpdateBudget;
import com.helpdeskconnect.zendesk.fields.FieldMapper;
import com.helpdeskconnect.zendesk.http.ErrorMapper;
import com.helpdeskconnect.zendesk.http.ZendeskApiException;
import com.helpdeskconnect.zendesk.webhook.WebhookReader;
import com.helpdeskconnect.zendesk.webhook.WebhookSignature;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One integration's connection to its Zendesk account. Thread-safe: every part is. */
public final class ZendeskConnection implements HelpdeskConnection {
    private static final Logger LOG = LoggerFactory.getLogger(ZendeskConnection.class);

    private final Session session;
    private final String urlProblem;
    private final UpdateBudget budget;
    private final FieldMapper mapper;
    private final WebhookReader webhooks;

    /** @param urlProblem why the outbound policy refuses the instance URL; null when it is fine */
    ZendeskConnection(Session session, String urlProblem, UpdateBudget budget,
                      String userAgentProduct) {
        this.session = session;
        this.urlProblem = urlProblem;
        this.budget = budget;
        this.mapper = new FieldMapper(session.settings().fieldMap());
        this.webhooks = new WebhookReader(session, userAgentProduct);
    }

    /** For tests: the session (client, ledger, caches). */
    public Session session() {
        return session;
    }

    @Override
    public VerificationResult verify() {
        return guard(() -> ZendeskVerifier.verify(session, mapper, urlProblem), false);
    }

    @Override
    public CaseRef createCase(OperationContext operation, CaseDraft draft, List<Activity> firstActivities) {
        return guard(() -> TicketWriter.create(session, budget, operation, draft, firstActivities), true);
    }

    @Override
    public CaseRef appendActivity(OperationContext operation, CaseRef caseRef, Activity activity) {
        return appendActivities(operation, caseRef, List.of(activity));
    }

    @Override
    public CaseRef appendActivities(OperationContext operation, CaseRef caseRef, List<Activity> activities) {
        if (activities.isEmpty()) {
            return caseRef;
        }
        return guard(() -> CommentWriter.append(session, budget, operation, caseRef, activities), true);
    }

    @Override
    public FillResult handOff(OperationContext operation, CaseRef caseRef, Handoff handoff) {
        return guard(() -> TicketUpdates.handOff(session, budget, mapper, operation, caseRef, handoff), true);
    }

    @Override
    public void resolve(OperationContext operation, CaseRef caseRef, Resolution resolution) {
        guard(() -> {
            TicketUpdates.resolve(session, budget, operation, caseRef, resolution);
            return null;
        }, true);
    }

    @Override
    public List<FieldDescriptor> describeFields() {
        return guard(() -> mapper.describe(session.fields().fields()), true);
    }

    @Override
    public FillResult fillFields(OperationContext operation, CaseRef caseRef, FieldValues values) {
        return guard(() -> TicketUpdates.fill(session, budget, mapper, caseRef, values), true);
    }

    @Override
    public void authenticateWebhook(WebhookRequest request) {
        WebhookSignature.verify(session.settings().webhookSigningSecret(), request);
    }

    @Override
    public List<HelpdeskEvent> onWebhook(OperationContext operation, WebhookRequest request) {
        return guard(() -> webhooks.read(operation, request), true);
    }

    @Override
    public void close() {
        // Nothing to release: the connection pool and dispatcher are the connector's, shared by every
        // connection, and idle sockets time out there.
    }

    /** Nothing but SPI errors leaves the connection; a refused URL stops every call before it starts. */
    private <T> T guard(Supplier<T> call, boolean needsUrl) {
        if (needsUrl && urlProblem != null) {
            throw new InvalidSettingsException(Map.of("instanceUrl", urlProblem));
        }
        try {
            return call.get();
        } catch (ZendeskApiException e) {
            ConnectorException mapped = ErrorMapper.toConnector(e, session.clock());
            LOG.debug("Zendesk call failed: {}", mapped.getMessage());
            throw mapped;
        } catch (ConnectorException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warn("Unexpected failure in the Zendesk connector: {}", e.getClass().getName());
            throw new PermanentException("Unexpected failure in the Zendesk connector (" + e.getClass().getSimpleName()
                    + ")");
        }
    }
}
