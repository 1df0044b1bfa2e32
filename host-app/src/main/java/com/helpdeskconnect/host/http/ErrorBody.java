package com.helpdeskconnect.host.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/** The one JSON shape of every error answer. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ErrorBody(String error, String message, Map<String, String> fields) {}
