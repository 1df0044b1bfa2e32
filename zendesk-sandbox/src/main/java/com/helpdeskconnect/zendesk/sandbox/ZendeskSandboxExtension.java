package com.helpdeskconnect.zendesk.sandbox;

import com.helpdeskconnect.sandbox.support.SandboxExtension;
import com.helpdeskconnect.zendesk.sandbox.agent.Agent;
import com.helpdeskconnect.zendesk.sandbox.faults.FaultInjector;
import com.helpdeskconnect.zendesk.sandbox.inspection.Inspector;
import com.helpdeskconnect.zendesk.sandbox.webhooks.Webhooks;
import java.time.Duration;
import java.util.function.Consumer;

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
public final class ZendeskSandboxExtension extends SandboxExtension<ZendeskSandbox> {
    private final Consumer<ZendeskSandbox.Builder> options;

    public ZendeskSandboxExtension() {
        this(builder -> { });
    }

    /** @param options adjusts the builder before start, e.g. {@code b -> b.accountRateLimit(10)} */
    public ZendeskSandboxExtension(Consumer<ZendeskSandbox.Builder> options) {
        super(ZendeskSandbox.class, "Zendesk");
        this.options = options;
    }

    /** Overridden so classes compiled against the extension before it had a base class still link. */
    @Override
    public ZendeskSandbox sandbox() {
        return super.sandbox();
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

    @Override
    protected ZendeskSandbox startSandbox() {
        ZendeskSandbox.Builder builder = ZendeskSandbox.builder();
        options.accept(builder);
        return builder.start();
    }

    @Override
    protected void stopSandbox(ZendeskSandbox sandbox) {
        sandbox.close();
    }
}
