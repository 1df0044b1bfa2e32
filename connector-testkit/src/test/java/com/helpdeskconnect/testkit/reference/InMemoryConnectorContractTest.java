package com.helpdeskconnect.testkit.reference;

import com.helpdeskconnect.testkit.ConnectorFixture;
import com.helpdeskconnect.testkit.HelpdeskConnectorContractTest;

/** The kit passes against its own reference connector. */
class InMemoryConnectorContractTest extends HelpdeskConnectorContractTest {
    @Override
    protected ConnectorFixture createFixture() {
        return new InMemoryFixture(new InMemoryConnector());
    }
}
