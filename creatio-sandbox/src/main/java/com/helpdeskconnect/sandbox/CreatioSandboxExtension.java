package com.helpdeskconnect.sandbox;

import com.helpdeskconnect.sandbox.support.SandboxExtension;
import com.helpdeskconnect.sandbox.agent.Agent;
import com.helpdeskconnect.sandbox.faults.FaultInjector;
import com.helpdeskconnect.sandbox.inspection.Inspector;
import com.helpdeskconnect.sandbox.webhooks.Webhooks;
import java.util.function.Consumer;

/**
 * Starts a {@link CreatioSandbox} on random ports for a test class:
 *
 * <pre>{@code
 * @RegisterExtension
 * static CreatioSandboxExtension creatio = new CreatioSandboxExtension();
 * }</pre>
 *
 * A static field shares one sandbox by all tests of the class (started before all, stopped after
 * all); an instance field gives each test its own. Test methods can also take a
 * {@link CreatioSandbox} parameter.
 */
public final class CreatioSandboxExtension extends SandboxExtension<CreatioSandbox> {
    private final Consumer<CreatioSandbox.Builder> options;

    public CreatioSandboxExtension() {
        this(builder -> { });
    }

    /** @param options adjusts the builder before start, e.g. {@code b -> b.tokenLifetime(Duration.ofSeconds(2))} */
    public CreatioSandboxExtension(Consumer<CreatioSandbox.Builder> options) {
        super(CreatioSandbox.class, "Creatio");
        this.options = options;
    }

    /** Overridden so classes compiled against the extension before it had a base class still link. */
    @Override
    public CreatioSandbox sandbox() {
        return super.sandbox();
    }

    public String baseUrl() {
        return sandbox().baseUrl();
    }

    public String odataUrl() {
        return sandbox().odataUrl();
    }

    public String identityUrl() {
        return sandbox().identityUrl();
    }

    public String tokenUrl() {
        return sandbox().tokenUrl();
    }

    public String clientId() {
        return sandbox().clientId();
    }

    public String clientSecret() {
        return sandbox().clientSecret();
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

    public void reset() {
        sandbox().reset();
    }

    @Override
    protected CreatioSandbox startSandbox() {
        CreatioSandbox.Builder builder = CreatioSandbox.builder();
        options.accept(builder);
        return builder.start();
    }

    @Override
    protected void stopSandbox(CreatioSandbox sandbox) {
        sandbox.close();
    }
}
