package com.helpdeskconnect.zendesk.sandbox;

import com.helpdeskconnect.zendesk.sandbox.agent.Agent;
import com.helpdeskconnect.zendesk.sandbox.faults.FaultInjector;
import com.helpdeskconnect.zendesk.sandbox.inspection.Inspector;
import com.helpdeskconnect.zendesk.sandbox.webhooks.Webhooks;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts a {@link ZendeskSandbox} on a random port for a test class:
 *
 * <pre>{@code
 * @RegisterExtension
 * static ZendeskSandboxExtension zendesk = new ZendeskSandboxExtension();
 * }</pre>
 *
 * A static field shares one sandbox by all tests of the class (started before all, stopped after
 * all); an instance field gives each test its own. Test methods can also take a
 * {@link ZendeskSandbox} parameter.
 */
public final class ZendeskSandboxExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, ParameterResolver {
    private final Consumer<ZendeskSandbox.Builder> options;
    private ZendeskSandbox sandbox;
    private boolean perClass;

    public ZendeskSandboxExtension() {
        this(builder -> { });
    }

    /** @param options adjusts the builder before start, e.g. {@code b -> b.accountRateLimit(10)} */
    public ZendeskSandboxExtension(Consumer<ZendeskSandbox.Builder> options) {
        this.options = options;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        perClass = true;
        sandbox = startSandbox();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (sandbox == null) {
            sandbox = startSandbox();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass) {
            stop();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ZendeskSandbox.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return sandbox();
    }

    public ZendeskSandbox sandbox() {
        if (sandbox == null) {
            throw new IllegalStateException("The Zendesk sandbox runs only while a test runs");
        }
        return sandbox;
    }

    public String baseUrl() {
        return sandbox().baseUrl();
    }

    public String apiUrl() {
        return sandbox().apiUrl();
    }

    public String email() {
        return sandbox().email();
    }

    public String apiToken() {
        return sandbox().apiToken();
    }

    public String basicAuthorization() {
        return sandbox().basicAuthorization();
    }

    public String signingSecret() {
        return sandbox().signingSecret();
    }

    public void webhook(String url, String secret) {
        sandbox().webhook(url, secret);
    }

    public Inspector inspect() {
        return sandbox().inspect();
    }

    public Agent agent() {
        return sandbox().agent();
    }

    public Webhooks webhooks() {
        return sandbox().webhooks();
    }

    public FaultInjector faults() {
        return sandbox().faults();
    }

    public void advanceClock(Duration duration) {
        sandbox().advanceClock(duration);
    }

    public void reset() {
        sandbox().reset();
    }

    private ZendeskSandbox startSandbox() {
        ZendeskSandbox.Builder builder = ZendeskSandbox.builder();
        options.accept(builder);
        return builder.start();
    }

    private void stop() {
        if (sandbox != null) {
            sandbox.close();
            sandbox = null;
        }
    }
}
