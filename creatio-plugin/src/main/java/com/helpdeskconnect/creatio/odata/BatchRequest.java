package com.helpdeskconnect.creatio.odata;

import com.fasterxml.jackson.databind.JsonNode;

/** One sub-request of a {@code $batch}; {@code url} is relative to the service root ({@code Activity}). */
public record BatchRequest(String method, String url, JsonNode body) {}
