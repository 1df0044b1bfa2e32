package com.helpdeskconnect.zendesk;

import com.helpdeskconnect.testkit.ConnectorFixture;
import com.helpdeskconnect.testkit.HelpdeskConnectorContractTest;

/** The SPI's contract, checked by the kit against the Zendesk sandbox. */
class ZendeskConnectorContractTest extends HelpdeskConnectorContractTest {
    @Override
    protected ConnectorFixture createFixture() {
        return new SandboxFixture();
    }
}
