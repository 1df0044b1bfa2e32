/** The durable per-integration state a connection keeps in the host: {@link com.helpdeskconnect.api.state.ConnectorState}. */
package com.helpdeskconnect.api.state;
