/** The case model: what the host asks a helpdesk to write, and the references it gets back. */
package com.helpdeskconnect.api.cases;
