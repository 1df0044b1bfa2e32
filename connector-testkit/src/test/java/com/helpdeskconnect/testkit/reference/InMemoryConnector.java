package com.helpdeskconnect.testkit.reference;

import com.helpdeskconnect.api.Capability;
import com.helpdeskconnect.api.ConnectorDescriptor;
import com.helpdeskconnect.api.HelpdeskConnector;
import com.helpdeskconnect.api.Integration;
import com.helpdeskconnect.api.VerificationResult;
import com.helpdeskconnect.api.cases.Activity;
import com.helpdeskconnect.api.cases.ActivityRef;
import com.helpdeskconnect.api.cases.CaseDraft;
import com.helpdeskconnect.api.cases.CaseRef;
import com.helpdeskconnect.api.cases.FieldDescriptor;
import com.helpdeskconnect.api.cases.FieldType;
import com.helpdeskconnect.api.cases.FieldValues;
import com.helpdeskconnect.api.cases.FillResult;
import com.helpdeskconnect.api.cases.Resolution;
import com.helpdeskconnect.api.errors.ErrorKind;
import com.helpdeskconnect.api.errors.InvalidCredentialsException;
import com.helpdeskconnect.api.errors.NotFoundException;
import com.helpdeskconnect.api.errors.RateLimitedException;
import com.helpdeskconnect.api.errors.TransientException;
import com.helpdeskconnect.api.errors.WebhookAuthenticationException;
import com.helpdeskconnect.api.webhook.AgentReplied;
import com.helpdeskconnect.api.webhook.CaseClosed;
import com.helpdeskconnect.api.webhook.CaseReopened;
import com.helpdeskconnect.api.webhook.CaseResolved;
import com.helpdeskconnect.api.webhook.HelpdeskEvent;
import com.helpdeskconnect.api.webhook.WebhookRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The reference connector the kit proves itself with: every capability, over {@link InMemoryHelpdesk}. */
public class InMemoryConnector implements HelpdeskConnector {
    private static final Logger LOG = LoggerFactory.getLogger(InMemoryConnector.class);
    private static final List<String> PRIORITIES = List.of("Low", "Medium", "High");
    private static final ConnectorDescriptor DESCRIPTOR = ConnectorDescriptor.of("in-memory", "In-memory helpdesk",
            "1.0.0", "A helpdesk in memory, for the kit's own tests.", InMemorySettings.class,
            EnumSet.allOf(Capability.class));

    @Override
    public ConnectorDescriptor describe() {
        return DESCRIPTOR;
    }

    @Override
    public VerificationResult verify(Integration integration) {
        try {
            helpdesk(integration);
            LOG.info("Verified integration {}", integration.id());
            return VerificationResult.success();
        } catch (InvalidCredentialsException e) {
            return VerificationResult.failure(ErrorKind.INVALID_CREDENTIALS,
                    "Invalid credentials: check the API key", "apiKey");
        }
    }

    @Override
    public CaseRef createCase(Integration integration, CaseDraft draft) {
        InMemoryHelpdesk helpdesk = helpdesk(integration);
        return guarded(() -> {
            synchronized (helpdesk) {
                InMemoryHelpdesk.StoredCase existing = helpdesk.caseByConversation(draft.conversationId());
                InMemoryHelpdesk.StoredCase c = existing != null ? existing
                        : helpdesk.createCase(draft.subject(), draft.conversationId());
                return new CaseRef(c.id, c.number, null);
            }
        });
    }

    @Override
    public ActivityRef appendActivity(Integration integration, CaseRef caseRef, Activity activity) {
        InMemoryHelpdesk helpdesk = helpdesk(integration);
        return guarded(() -> {
            synchronized (helpdesk) {
                InMemoryHelpdesk.StoredCase c = existing(helpdesk, caseRef);
                for (InMemoryHelpdesk.StoredActivity a : c.activities) {
                    if (activity.externalId().equals(a.externalId())) {
                        return new ActivityRef(a.id());
                    }
                }
                return new ActivityRef(helpdesk.addActivity(c.id, activity.externalId(), activity.text(),
                        activity.direction(), InMemoryHelpdesk.CONNECTOR_USER).id());
            }
        });
    }

    @Override
    public void resolve(Integration integration, CaseRef caseRef, Resolution resolution) {
        InMemoryHelpdesk helpdesk = helpdesk(integration);
        guarded(() -> {
            synchronized (helpdesk) {
                if (!existing(helpdesk, caseRef).status.equals("Resolved")) {
                    helpdesk.setStatus(caseRef.id(), "Resolved", InMemoryHelpdesk.CONNECTOR_USER);
                }
                return null;
            }
        });
    }

    @Override
    public List<FieldDescriptor> describeFields(Integration integration) {
        return List.of(new FieldDescriptor("priority", "Priority", FieldType.LOOKUP, PRIORITIES, "How urgent the case is"),
                new FieldDescriptor("topic", "Topic", FieldType.TEXT, List.of(), "What the case is about"));
    }

    @Override
    public FillResult fillFields(Integration integration, CaseRef caseRef, FieldValues values) {
        InMemoryHelpdesk helpdesk = helpdesk(integration);
        Map<String, String> rejected = new LinkedHashMap<>();
        Map<String, String> accepted = new LinkedHashMap<>();
        values.values().forEach((field, value) -> {
            switch (field) {
                case "priority" -> {
                    if (PRIORITIES.contains(String.valueOf(value))) {
                        accepted.put(field, String.valueOf(value));
                    } else {
                        rejected.put(field, "'" + value + "' is not one of " + PRIORITIES);
                    }
                }
                case "topic" -> accepted.put(field, String.valueOf(value));
                default -> rejected.put(field, "unknown field");
            }
        });
        guarded(() -> {
            synchronized (helpdesk) {
                existing(helpdesk, caseRef).fields.putAll(accepted);
                return null;
            }
        });
        return new FillResult(new LinkedHashSet<>(accepted.keySet()), rejected);
    }

    @Override
    public List<HelpdeskEvent> onWebhook(Integration integration, WebhookRequest request) {
        InMemorySettings settings = integration.settings(InMemorySettings.class);
        if (!settings.webhookSecret().matches(request.header(InMemoryHelpdesk.WEBHOOK_HEADER).orElse(null))) {
            throw new WebhookAuthenticationException("The webhook call did not carry the integration's webhook secret");
        }
        InMemoryHelpdesk helpdesk = helpdesk(integration);
        String body = request.bodyText();
        String caseId = field(body, "caseId");
        return guarded(() -> {
            synchronized (helpdesk) {
                InMemoryHelpdesk.StoredCase c = helpdesk.find(caseId);
                if (c == null) {
                    return List.of();
                }
                CaseRef ref = new CaseRef(c.id, c.number, null);
                if ("activity".equals(field(body, "event"))) {
                    InMemoryHelpdesk.StoredActivity a = helpdesk.activity(caseId, field(body, "recordId"));
                    if (a == null || InMemoryHelpdesk.CONNECTOR_USER.equals(a.createdBy())) {
                        return List.of();
                    }
                    return List.of(new AgentReplied(a.id(), ref, a.createdBy(), a.text(), Instant.now()));
                }
                if (InMemoryHelpdesk.CONNECTOR_USER.equals(c.statusChangedBy)) {
                    return List.of();
                }
                String eventId = caseId + ":" + field(body, "seq");
                return switch (String.valueOf(field(body, "status"))) {
                    case "Resolved" -> List.of(new CaseResolved(eventId, ref, ""));
                    case "Closed" -> List.of(new CaseClosed(eventId, ref, "Closed"));
                    case "Reopened" -> List.of(new CaseReopened(eventId, ref, "Reopened"));
                    default -> List.of();
                };
            }
        });
    }

    /** The helpdesk the settings point at, after presenting the API key like a login. */
    protected InMemoryHelpdesk helpdesk(Integration integration) {
        InMemorySettings settings = integration.settings(InMemorySettings.class);
        InMemoryHelpdesk helpdesk = InMemoryHelpdesk.REGISTRY.get(settings.helpdesk());
        if (helpdesk == null) {
            throw new NotFoundException("No helpdesk named " + settings.helpdesk());
        }
        guarded(() -> {
            helpdesk.request(settings.apiKey().reveal());
            return null;
        });
        return helpdesk;
    }

    /** Maps the helpdesk's failures to SPI errors, as a real connector maps HTTP statuses. */
    protected <T> T guarded(Supplier<T> call) {
        try {
            return call.get();
        } catch (InMemoryHelpdesk.Fault fault) {
            throw switch (fault.failure) {
                case RATE_LIMITED -> new RateLimitedException("The helpdesk asked us to slow down", Duration.ofSeconds(2));
                case SERVER_ERROR -> new TransientException("The helpdesk answered with an error");
                case CONNECTION_RESET -> new TransientException("The connection to the helpdesk was reset");
            };
        } catch (SecurityException e) {
            throw new InvalidCredentialsException("Invalid credentials: check the API key");
        }
    }

    private static InMemoryHelpdesk.StoredCase existing(InMemoryHelpdesk helpdesk, CaseRef caseRef) {
        InMemoryHelpdesk.StoredCase c = helpdesk.find(caseRef.id());
        if (c == null) {
            throw new NotFoundException("Case " + caseRef.id() + " does not exist");
        }
        return c;
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\":\"?([^\",}]*)").matcher(json);
        return m.find() ? m.group(1) : null;
    }
}
