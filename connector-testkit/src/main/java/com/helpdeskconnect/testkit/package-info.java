/**
 * The contract-test kit: extend {@link com.helpdeskconnect.testkit.HelpdeskConnectorContractTest}
 * and implement {@link com.helpdeskconnect.testkit.ConnectorFixture} against your helpdesk's
 * double; the suite checks every promise of the SPI.
 */
package com.helpdeskconnect.testkit;
