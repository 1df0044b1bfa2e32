package com.helpdeskconnect.creatio;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.helpdeskconnect.api.VerificationResult;
import com.helpdeskconnect.api.errors.ConnectorException;
import com.helpdeskconnect.api.errors.ErrorKind;
import com.helpdeskconnect.api.errors.NotFoundException;
import com.helpdeskconnect.api.errors.PermissionDeniedException;
import com.helpdeskconnect.api.errors.TransientException;
import com.helpdeskconnect.creatio.fields.FieldFiller;
import java.util.Map;
import java.util.UUID;

/**
 * Proves an integration will work with the cheapest calls, writing nothing: a token, the case
 * statuses (the Instance URL serves OData to this token), the configured ids, and the right to
 * create cases.
 */
final class CreatioVerifier {
    private CreatioVerifier() {}

    static VerificationResult verify(CreatioSession session) {
        CreatioSettings settings = session.settings();
        try {
            session.tokens().token();
        } catch (TransientException e) {
            return VerificationResult.failure(ErrorKind.TRANSIENT, "Cannot reach Creatio's identity service at "
                    + settings.effectiveIdentityServerUrl().getHost() + ": check the Identity service URL",
                    "identityServerUrl");
        } catch (ConnectorException e) {
            boolean page = e.getMessage().contains("web page");
            return VerificationResult.failure(ErrorKind.INVALID_CREDENTIALS,
                    page ? e.getMessage() : "Invalid credentials: check the Client ID and Client secret",
                    page ? "identityServerUrl" : "clientSecret");
        }
        try {
            session.statuses(null);
        } catch (TransientException e) {
            return VerificationResult.failure(ErrorKind.TRANSIENT, "Cannot reach Creatio at "
                    + settings.instanceUrl().getHost() + ": check the Instance URL", "instanceUrl");
        } catch (ConnectorException e) {
            return VerificationResult.failure(e.kind() == ErrorKind.PERMISSION_DENIED ? ErrorKind.PERMISSION_DENIED
                    : ErrorKind.INVALID_CREDENTIALS, "Invalid credentials: the Instance URL should point at your Creatio "
                    + "site, and the OAuth application must belong to it (" + e.getMessage() + ")", "instanceUrl");
        }
        VerificationResult ids = checkIds(session);
        if (!ids.ok()) {
            return ids;
        }
        VerificationResult fields = checkFieldMap(session);
        if (!fields.ok()) {
            return fields;
        }
        return checkCreateCaseRight(session);
    }

    private static VerificationResult checkIds(CreatioSession session) {
        CreatioSettings s = session.settings();
        if (s.resolvedStatusId() != null && !session.statuses(s.resolvedStatusId()).containsKey(s.resolvedStatusId())) {
            return notFound("Resolved Status ID " + s.resolvedStatusId() + " was not found among Creatio's case statuses",
                    "resolvedStatusId");
        }
        VerificationResult owner = exists(session, "Contact", s.defaultCaseOwnerId(),
                "Default Case Owner ID " + s.defaultCaseOwnerId() + " was not found among Creatio's contacts",
                "defaultCaseOwnerId");
        if (!owner.ok()) {
            return owner;
        }
        return exists(session, "SysAdminUnit", s.defaultCaseGroupId(),
                "Default Case Group ID " + s.defaultCaseGroupId() + " was not found among Creatio's groups and roles",
                "defaultCaseGroupId");
    }

    private static VerificationResult checkFieldMap(CreatioSession session) {
        var model = session.caseModel();
        for (Map.Entry<String, String> e : FieldFiller.fieldMap(session).entrySet()) {
            String column = e.getValue();
            if (model.propertyType(column).isEmpty() && model.lookupTarget(column).isEmpty()) {
                return VerificationResult.failure(ErrorKind.INVALID_SETTINGS, "Auto-fill field '" + e.getKey()
                        + "' maps to the Case column " + column + ", which does not exist in Creatio", "fieldMap");
            }
        }
        return VerificationResult.success();
    }

    /**
     * Creatio checks the right to insert before it validates the record, so an insert without the
     * required Subject answers 403 without the right and a validation error (nothing written) with it.
     */
    private static VerificationResult checkCreateCaseRight(CreatioSession session) {
        ObjectNode probe = session.odata().json().createObjectNode();
        probe.put("Id", UUID.randomUUID().toString());
        try {
            session.odata().post("Case", probe);
            return VerificationResult.success();
        } catch (PermissionDeniedException e) {
            return VerificationResult.failure(ErrorKind.PERMISSION_DENIED, "The OAuth application's Creatio user is "
                    + "missing permission to create Case records: grant it in the object permissions of Case", "clientId");
        } catch (ConnectorException expectedValidationError) {
            return VerificationResult.success();
        }
    }

    private static VerificationResult exists(CreatioSession session, String collection, UUID id, String message, String field) {
        if (id == null) {
            return VerificationResult.success();
        }
        try {
            session.odata().get(collection + "(" + id + ")", Map.of("$select", "Id"));
            return VerificationResult.success();
        } catch (NotFoundException e) {
            return notFound(message, field);
        }
    }

    private static VerificationResult notFound(String message, String field) {
        return VerificationResult.failure(ErrorKind.NOT_FOUND, message, field);
    }
}
