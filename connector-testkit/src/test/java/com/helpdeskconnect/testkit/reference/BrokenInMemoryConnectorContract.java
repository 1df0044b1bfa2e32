package com.helpdeskconnect.testkit.reference;

import com.helpdeskconnect.testkit.ConnectorFixture;
import com.helpdeskconnect.testkit.HelpdeskConnectorContractTest;

/** Not run by Surefire (no Test suffix): {@link ContractKitCatchesBrokenConnectorTest} runs it and expects failures. */
class BrokenInMemoryConnectorContract extends HelpdeskConnectorContractTest {
    @Override
    protected ConnectorFixture createFixture() {
        return new InMemoryFixture(new BrokenInMemoryConnector());
    }
}
