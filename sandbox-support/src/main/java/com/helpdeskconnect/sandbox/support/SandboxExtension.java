package com.helpdeskconnect.sandbox.support;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The JUnit 5 lifecycle of a sandbox: registered in a static field, one sandbox serves every test of
 * the class (started before all, stopped after all); in an instance field, each test gets its own.
 * Test methods can also take the sandbox as a parameter.
 *
 * @param <S> the sandbox
 */
public abstract class SandboxExtension<S> implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, ParameterResolver {
    private final Class<S> type;
    private final String name;
    private S sandbox;
    private boolean perClass;

    /** @param name for the message when the sandbox is asked for outside a test, e.g. {@code "Creatio"} */
    protected SandboxExtension(Class<S> type, String name) {
        this.type = type;
        this.name = name;
    }

    protected abstract S startSandbox();

    protected abstract void stopSandbox(S sandbox);

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
        return parameter.getParameter().getType() == type;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return sandbox();
    }

    public S sandbox() {
        if (sandbox == null) {
            throw new IllegalStateException("The " + name + " sandbox runs only while a test runs");
        }
        return sandbox;
    }

    private void stop() {
        if (sandbox != null) {
            stopSandbox(sandbox);
            sandbox = null;
        }
    }
}
