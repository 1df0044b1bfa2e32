package com.helpdeskconnect.testkit.reference;

import com.helpdeskconnect.api.Capability;
import com.helpdeskconnect.testkit.ConnectorFixture;
import com.helpdeskconnect.testkit.HelpdeskConnectorContractTest;
import java.util.EnumSet;

/** A connector with createCase only passes too: every optional check holds it to "undeclared throws". */
class MinimalInMemoryConnectorContractTest extends HelpdeskConnectorContractTest {
    @Override
    protected ConnectorFixture createFixture() {
        return new InMemoryFixture(new InMemoryConnector(EnumSet.of(Capability.CREATE_CASE)) {});
    }
}
