package com.helpdeskconnect.creatio;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import com.helpdeskconnect.api.cases.FieldValues;
import com.helpdeskconnect.api.cases.FillResult;
import com.helpdeskconnect.api.cases.Handoff;
import com.helpdeskconnect.api.cases.Resolution;
import com.helpdeskconnect.api.errors.ConnectorException;
import com.helpdeskconnect.api.errors.PermanentException;
import com.helpdeskconnect.api.webhook.HelpdeskEvent;
import com.helpdeskconnect.api.webhook.WebhookRequest;
import com.helpdeskconnect.creatio.cases.ActivityWriter;
import com.helpdeskconnect.creatio.cases.CaseWriter;
import com.helpdeskconnect.creatio.cases.HandoffWriter;
import com.helpdeskconnect.creatio.fields.FieldFiller;
import com.helpdeskconnect.creatio.webhook.WebhookReader;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import org.pf4j.Extension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Creatio (Service Creatio) connector: OAuth 2.0 client credentials and OData 4. */
@Extension
public final class CreatioConnector implements HelpdeskConnector {
    private static final Logger LOG = LoggerFactory.getLogger(CreatioConnector.class);
    private static final ConnectorDescriptor DESCRIPTOR = ConnectorDescriptor.of("creatio", "Creatio",
            version(), "Service Creatio cases over OAuth 2.0 client credentials and OData 4.",
            CreatioSettings.class, EnumSet.allOf(Capability.class));

    private final OkHttpClient http;
    private final ObjectMapper json = new ObjectMapper();
    private final Clock clock;
    private final Map<String, CreatioSession> sessions = new ConcurrentHashMap<>();

    public CreatioConnector() {
        this(Clock.systemUTC(), Duration.ofSeconds(30));
    }

    CreatioConnector(Clock clock) {
        this(clock, Duration.ofSeconds(30));
    }

    /** @param readTimeout how long a silent Creatio is waited for; a whole call gets twice that */
    CreatioConnector(Clock clock, Duration readTimeout) {
        this.clock = clock;
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(256);
        dispatcher.setMaxRequestsPerHost(64);
        this.http = new OkHttpClient.Builder()
                .connectionPool(new ConnectionPool(32, 5, TimeUnit.MINUTES))
                .dispatcher(dispatcher)
                .connectTimeout(Duration.ofSeconds(10))
                .readTimeout(readTimeout)
                .writeTimeout(readTimeout)
                .callTimeout(readTimeout.multipliedBy(2))
                .followRedirects(false)
                .build();
    }

    @Override
    public ConnectorDescriptor describe() {
        return DESCRIPTOR;
    }

    @Override
    public VerificationResult verify(Integration integration) {
        return guard(() -> CreatioVerifier.verify(session(integration)));
    }

    @Override
    public CaseRef createCase(Integration integration, CaseDraft draft) {
        return guard(() -> CaseWriter.create(session(integration), draft));
    }

    @Override
    public CaseRef createCaseWithActivities(Integration integration, CaseDraft draft, List<Activity> firstActivities) {
        return guard(() -> CaseWriter.create(session(integration), draft, firstActivities));
    }

    @Override
    public ActivityRef appendActivity(Integration integration, CaseRef caseRef, Activity activity) {
        return guard(() -> ActivityWriter.append(session(integration), caseRef, activity));
    }

    @Override
    public FillResult handOff(Integration integration, CaseRef caseRef, Handoff handoff) {
        return guard(() -> HandoffWriter.handOff(session(integration), caseRef, handoff));
    }

    @Override
    public void resolve(Integration integration, CaseRef caseRef, Resolution resolution) {
        guard(() -> {
            CaseWriter.resolve(session(integration), caseRef, resolution);
            return null;
        });
    }

    @Override
    public List<FieldDescriptor> describeFields(Integration integration) {
        return guard(() -> FieldFiller.describe(session(integration)));
    }

    @Override
    public FillResult fillFields(Integration integration, CaseRef caseRef, FieldValues values) {
        return guard(() -> FieldFiller.fill(session(integration), caseRef, values));
    }

    @Override
    public List<HelpdeskEvent> onWebhook(Integration integration, WebhookRequest request) {
        return guard(() -> {
            CreatioSession session = session(integration);
            WebhookReader.authenticate(session, request);
            return WebhookReader.read(session, request);
        });
    }

    @Override
    public void release(String integrationId) {
        sessions.remove(integrationId);
    }

    @Override
    public void close() {
        sessions.clear();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    /** The session for an integration; a changed integration (other settings) gets a new one. */
    CreatioSession session(Integration integration) {
        CreatioSettings settings = integration.settings(CreatioSettings.class);
        return sessions.compute(integration.id(), (id, current) -> current != null && current.settings().equals(settings)
                ? current : new CreatioSession(id, settings, http, json, clock));
    }

    /** Nothing but SPI errors leaves the connector. */
    private static <T> T guard(Supplier<T> call) {
        try {
            return call.get();
        } catch (ConnectorException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warn("Unexpected failure in the Creatio connector: {}", e.getClass().getName());
            throw new PermanentException("Unexpected failure in the Creatio connector (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static String version() {
        String v = CreatioConnector.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0" : v;
    }
}
