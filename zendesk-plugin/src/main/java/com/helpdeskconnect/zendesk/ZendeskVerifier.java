package com.helpdeskconnect.zendesk;

import com.helpdeskconnect.api.VerificationResult;
import com.helpdeskconnect.api.errors.ErrorKind;
import com.helpdeskconnect.zendesk.fields.FieldCatalog;
import com.helpdeskconnect.zendesk.fields.FieldMapper;
import com.helpdeskconnect.zendesk.http.ErrorMapper;
import com.helpdeskconnect.zendesk.http.ZendeskApiException;
import java.util.Map;
import java.util.Optional;

/**
 * {@code verify}: the cheapest reads that prove the settings work, each failure naming the setting
 * to fix. {@code GET /users/me} proves the URL is a Zendesk account and the email and token are
 * accepted, and says whether the user is an agent; then the default group and assignee are read,
 * and the field map is resolved against {@code /ticket_fields}. Nothing is written. An outage or a
 * rate limit is thrown (retryable), so the host says "try again" rather than "wrong settings".
 */
final class ZendeskVerifier {
    private ZendeskVerifier() {}

    static VerificationResult verify(Session session, FieldMapper mapper, String urlProblem) {
        if (urlProblem != null) {
            return VerificationResult.failure(ErrorKind.INVALID_SETTINGS, "Zendesk URL: " + urlProblem, "instanceUrl");
        }
        ZendeskSettings settings = session.settings();
        String step = "users/me";
        try {
            Users.User me = session.users().me();
            if (me.id() <= 0) {
                return credentials();
            }
            if (!me.isStaff()) {
                return VerificationResult.failure(ErrorKind.PERMISSION_DENIED, "Zendesk user " + settings.email()
                        + " is an end user (role " + me.role() + "): use an agent's or admin's email and API token",
                        "email");
            }
            step = "group";
            if (settings.defaultGroupId() != null
                    && session.client().find("groups/" + settings.defaultGroupId(), Map.of()).isEmpty()) {
                return VerificationResult.failure(ErrorKind.NOT_FOUND, "Zendesk has no group with id "
                        + settings.defaultGroupId() + " (Admin Center > People > Team > Groups)", "defaultGroupId");
            }
            step = "assignee";
            if (settings.defaultAssigneeId() != null) {
                Optional<Users.User> assignee = session.users().get(settings.defaultAssigneeId());
                if (assignee.isEmpty() || !assignee.get().isStaff()) {
                    return VerificationResult.failure(ErrorKind.NOT_FOUND, "Zendesk has no agent with user id "
                            + settings.defaultAssigneeId(), "defaultAssigneeId");
                }
            }
            step = "fields";
            if (!settings.fieldMap().isEmpty()) {
                FieldCatalog.Fields fields = session.fields().fields();
                for (String name : settings.fieldMap().keySet()) {
                    String problem = mapper.resolve(name, fields).problem();
                    if (problem != null) {
                        return VerificationResult.failure(ErrorKind.NOT_FOUND, "fieldMap '" + name + "': " + problem,
                                "fieldMap");
                    }
                }
            }
            return VerificationResult.success();
        } catch (ZendeskApiException e) {
            return failure(e, step, session);
        }
    }

    private static VerificationResult failure(ZendeskApiException e, String step, Session session) {
        String url = session.settings().instanceUrl();
        switch (e.status()) {
            case 401:
                return credentials();
            case 403:
                return VerificationResult.failure(ErrorKind.PERMISSION_DENIED, "Zendesk user "
                        + session.settings().email() + " lacks a permission the integration needs (" + e.request()
                        + ": " + e.zendeskText() + "): use an agent or admin", "email");
            case 404:
                if (step.equals("users/me")) {
                    return wrongUrl(url);
                }
                break;
            case ZendeskApiException.NOT_ZENDESK:
                return wrongUrl(url);
            case ZendeskApiException.NO_ANSWER:
                if (e.ioFailure() == ZendeskApiException.Kind.DENIED_BY_POLICY) {
                    return VerificationResult.failure(ErrorKind.INVALID_SETTINGS, "Zendesk URL: the host's outbound "
                            + "policy does not allow connecting to " + url, "instanceUrl");
                }
                if (e.description().startsWith("unknown host")) {
                    return VerificationResult.failure(ErrorKind.INVALID_SETTINGS, "Zendesk URL: " + url
                            + " does not resolve: check the subdomain", "instanceUrl");
                }
                break;
            default:
                break;
        }
        var error = ErrorMapper.toConnector(e, session.clock());
        if (error.retryable()) {
            throw error; // an outage or a rate limit: try again later
        }
        return VerificationResult.failure(error.kind(), error.getMessage(), null);
    }

    private static VerificationResult credentials() {
        return VerificationResult.failure(ErrorKind.INVALID_CREDENTIALS, "Zendesk refused the agent email and API "
                + "token: check both, and that token access is on (Admin Center > Apps and integrations > APIs)",
                "apiToken");
    }

    private static VerificationResult wrongUrl(String url) {
        return VerificationResult.failure(ErrorKind.INVALID_SETTINGS, "No Zendesk account answers at " + url
                + ": check the subdomain (https://<subdomain>.zendesk.com)", "instanceUrl");
    }
}
