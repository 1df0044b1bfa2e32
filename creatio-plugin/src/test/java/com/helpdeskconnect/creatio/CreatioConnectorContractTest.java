package com.helpdeskconnect.creatio;

import com.helpdeskconnect.testkit.ConnectorFixture;
import com.helpdeskconnect.testkit.HelpdeskConnectorContractTest;

/** The SPI contract, against the Creatio sandbox over HTTP. */
class CreatioConnectorContractTest extends HelpdeskConnectorContractTest {
    @Override
    protected ConnectorFixture createFixture() {
        return new SandboxFixture();
    }
}
