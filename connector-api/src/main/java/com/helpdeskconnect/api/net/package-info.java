/** Outbound network policy the host hands every connector. @since 2.0.0 */
package com.helpdeskconnect.api.net;
