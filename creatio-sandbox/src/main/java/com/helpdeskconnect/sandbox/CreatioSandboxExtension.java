package com.helpdeskconnect.sandbox;

import com.helpdeskconnect.sandbox.agent.Agent;
import com.helpdeskconnect.sandbox.faults.FaultInjector;
import com.helpdeskconnect.sandbox.inspection.Inspector;
import com.helpdeskconnect.sandbox.webhooks.Webhooks;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

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
public final class CreatioSandboxExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, ParameterResolver {
    private final Consumer<CreatioSandbox.Builder> options;
    private CreatioSandbox sandbox;
    private boolean perClass;

    public CreatioSandboxExtension() {
        this(builder -> { });
    }

    /** @param options adjusts the builder before start, e.g. {@code b -> b.tokenLifetime(Duration.ofSeconds(2))} */
    public CreatioSandboxExtension(Consumer<CreatioSandbox.Builder> options) {
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
        return parameter.getParameter().getType() == CreatioSandbox.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return sandbox();
    }

    public CreatioSandbox sandbox() {
        if (sandbox == null) {
            throw new IllegalStateException("The Creatio sandbox runs only while a test runs");
        }
        return sandbox;
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

    private CreatioSandbox startSandbox() {
        CreatioSandbox.Builder builder = CreatioSandbox.builder();
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
