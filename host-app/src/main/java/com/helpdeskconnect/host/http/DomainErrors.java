package com.helpdeskconnect.host.http;

import com.helpdeskconnect.host.errors.HelpdeskErrorException;
import com.helpdeskconnect.host.errors.HelpdeskUnavailableException;
import com.helpdeskconnect.host.errors.HostException;
import com.helpdeskconnect.host.errors.IntegrationRejectedException;
import com.helpdeskconnect.host.errors.InvalidRequestException;
import com.helpdeskconnect.host.errors.NotSupportedException;
import com.helpdeskconnect.host.errors.ResourceNotFoundException;
import java.util.Locale;

/**
 * The one place a domain exception becomes an HTTP answer: its status and JSON error code. The
 * message and fields are the exception's own (written for admins, never a secret).
 */
final class DomainErrors {
    private DomainErrors() {}

    /** Status and error code of an answer. */
    record Answer(int status, String code) {}

    static Answer answer(HostException e) {
        if (e instanceof InvalidRequestException) {
            return new Answer(400, "invalid_request");
        }
        if (e instanceof ResourceNotFoundException) {
            return new Answer(404, "not_found");
        }
        if (e instanceof IntegrationRejectedException rejected) {
            return new Answer(422, code(rejected.reason()));
        }
        if (e instanceof HelpdeskUnavailableException unavailable) {
            return new Answer(503, code(unavailable.reason()));
        }
        if (e instanceof NotSupportedException) {
            return new Answer(501, "not_supported");
        }
        if (e instanceof HelpdeskErrorException helpdesk) {
            return new Answer(helpdesk.retryable() ? 503 : 502, "helpdesk_error");
        }
        return new Answer(500, "internal_error");
    }

    /** {@code VERIFY_TIMEOUT} → {@code verify_timeout}. */
    private static String code(Enum<?> reason) {
        return reason.name().toLowerCase(Locale.ROOT);
    }
}
