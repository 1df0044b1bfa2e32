package com.helpdeskconnect.zendesk.http;

import com.helpdeskconnect.api.errors.ConflictException;
import com.helpdeskconnect.api.errors.ConnectorException;
import com.helpdeskconnect.api.errors.InvalidCredentialsException;
import com.helpdeskconnect.api.errors.InvalidSettingsException;
import com.helpdeskconnect.api.errors.NotFoundException;
import com.helpdeskconnect.api.errors.PermanentException;
import com.helpdeskconnect.api.errors.PermissionDeniedException;
import com.helpdeskconnect.api.errors.RateLimitedException;
import com.helpdeskconnect.api.errors.TransientException;
import java.time.Clock;
import java.util.Map;

/**
 * Zendesk's answers as the SPI errors the host acts on: 429 (and 503 with {@code Retry-After})
 * rate limited with Zendesk's delay; other 5xx, 409, timeouts and network failures transient;
 * 401 invalid credentials; 403 permission; 404 not found; 422 on a closed ticket conflict; other
 * 4xx permanent with Zendesk's own text. Messages name the request, never a body or credential.
 */
public final class ErrorMapper {
    private ErrorMapper() {}

    public static ConnectorException toConnector(ZendeskApiException e, Clock clock) {
        String text = e.zendeskText();
        String suffix = text.isEmpty() ? "" : ": " + text;
        return switch (e.status()) {
            case ZendeskApiException.NO_ANSWER -> switch (e.ioFailure()) {
                case DENIED_BY_POLICY -> new InvalidSettingsException(Map.of("instanceUrl",
                        "the host's outbound policy does not allow connecting to this address"));
                case TIMEOUT -> new TransientException("Zendesk did not answer in time (" + e.request() + ")");
                default -> new TransientException("Cannot reach Zendesk (" + e.request() + "): " + e.description());
            };
            case ZendeskApiException.NOT_ZENDESK -> new PermanentException("The Zendesk URL does not lead to a "
                    + "Zendesk account's API (" + e.request() + " answered " + e.error()
                    + " without Zendesk's JSON): check the instanceUrl setting");
            case 401 -> new InvalidCredentialsException("Zendesk refused the credentials (401" + suffix
                    + "): check the Agent email and API token settings");
            case 403 -> new PermissionDeniedException("The integration's Zendesk user may not do this ("
                    + e.request() + ", 403" + suffix + "): it must be an agent or admin");
            case 404 -> new NotFoundException("Not found in Zendesk (" + e.request() + ")" + suffix);
            case 409 -> new TransientException("Zendesk reported a conflicting update (" + e.request() + ")" + suffix);
            case 422 -> e.isClosedTicket()
                    ? new ConflictException("The Zendesk ticket is closed (" + e.request() + ")" + suffix)
                    : new PermanentException("Zendesk refused " + e.request() + " (422)" + suffix);
            case 429 -> new RateLimitedException("Zendesk asked us to slow down (" + e.request() + ")" + suffix,
                    RetryAfter.parse(e.retryAfter(), clock));
            case 503 -> e.retryAfter() != null
                    ? new RateLimitedException("Zendesk is unavailable (" + e.request() + ")",
                    RetryAfter.parse(e.retryAfter(), clock))
                    : new TransientException("Zendesk is unavailable (" + e.request() + ", 503)" + suffix);
            default -> e.status() >= 500
                    ? new TransientException("Zendesk answered " + e.status() + " (" + e.request() + ")" + suffix)
                    : new PermanentException("Zendesk refused " + e.request() + " (" + e.status() + ")" + suffix);
        };
    }
}
