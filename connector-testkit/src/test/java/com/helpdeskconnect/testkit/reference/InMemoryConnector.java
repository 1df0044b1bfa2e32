package com.helpdeskconnect.testkit.reference;

import com.helpdeskconnect.api.Capability;
import com.helpdeskconnect.api.ConnectorDescriptor;
import com.helpdeskconnect.api.HelpdeskConnection;
import com.helpdeskconnect.api.HelpdeskConnector;
import com.helpdeskconnect.api.IntegrationContext;
import java.util.EnumSet;
import java.util.Set;

/** The reference connector the kit proves itself with: every capability, over {@link InMemoryHelpdesk}. */
public class InMemoryConnector implements HelpdeskConnector {
    private final ConnectorDescriptor descriptor;

    public InMemoryConnector() {
        this(EnumSet.allOf(Capability.class));
    }

    /** A connector declaring only some capabilities (CREATE_CASE is always there). */
    protected InMemoryConnector(Set<Capability> capabilities) {
        EnumSet<Capability> declared = EnumSet.of(Capability.CREATE_CASE);
        declared.addAll(capabilities);
        descriptor = ConnectorDescriptor.of("in-memory", "In-memory helpdesk", "2.0.0",
                "A helpdesk in memory, for the kit's own tests.", InMemorySettings.class, declared);
    }

    @Override
    public ConnectorDescriptor describe() {
        return descriptor;
    }

    @Override
    public HelpdeskConnection open(IntegrationContext context) {
        return new InMemoryConnection(context, descriptor.capabilities());
    }
}
