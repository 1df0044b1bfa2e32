/** Calls from the helpdesk and the typed events they mean. */
package com.helpdeskconnect.api.webhook;
