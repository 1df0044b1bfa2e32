package com.helpdeskconnect.creatio;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.helpdeskconnect.api.VerificationResult;
import com.helpdeskconnect.api.errors.ConnectorException;
import com.helpdeskconnect.api.errors.ErrorKind;
import com.helpdeskconnect.api.errors.InvalidCredentialsException;
import com.helpdeskconnect.api.errors.InvalidSettingsException;
import com.helpdeskconnect.api.errors.NotFoundException;
import com.helpdeskconnect.api.errors.PermanentException;
import com.helpdeskconnect.api.errors.PermissionDeniedException;
import com.helpdeskconnect.api.settings.SettingDescriptor;
import com.helpdeskconnect.creatio.CreatioConnection.CaseStatus;
import com.helpdeskconnect.creatio.auth.TokenProvider;
import com.helpdeskconnect.creatio.fields.FieldFiller;
import com.helpdeskconnect.creatio.net.Failures;
import com.helpdeskconnect.creatio.odata.EntityModel;
import com.helpdeskconnect.creatio.odata.ODataClient;
import com.helpdeskconnect.creatio.odata.ReadRetry;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Proves an integration will work with the cheapest calls, writing nothing: a token, the case
 * statuses (the Instance URL serves OData to this token), the configured ids, the field map's
 * columns and the right to create cases.
 *
 * <p>Three outcomes, told apart by the failure's type and status, never by its text: a setting to
 * fix (a result naming it), an outage (5xx, 429, refused or timed-out connections: the retryable
 * exception is thrown, so the host says "try again"), or success. Reads are retried within
 * {@link ReadRetry}'s short budget first, so one dropped connection does not fail a save.
 */
final class CreatioVerifier {
    private static final Map<String, String> LABELS = SettingDescriptor.describe(CreatioSettings.class).stream()
            .collect(Collectors.toMap(SettingDescriptor::name, SettingDescriptor::label));

    private CreatioVerifier() {}

    static VerificationResult verify(CreatioConnection connection, TokenProvider tokens, ODataClient odata) {
        CreatioSettings settings = connection.settings();
        try {
            ReadRetry.read(tokens::token);
        } catch (InvalidCredentialsException e) {
            return VerificationResult.failure(ErrorKind.INVALID_CREDENTIALS,
                    "Invalid credentials: check the Client ID and Client secret", "clientSecret");
        } catch (ConnectorException e) {
            return settingOrOutage(e, "identityServerUrl", "Creatio's identity service");
        }
        Map<UUID, CaseStatus> statuses;
        try {
            statuses = ReadRetry.read(() -> CreatioConnection.readStatuses(odata));
        } catch (InvalidCredentialsException e) {
            return VerificationResult.failure(ErrorKind.INVALID_CREDENTIALS, "Invalid credentials: the Instance URL "
                    + "should point at your Creatio site, and the OAuth application must belong to it", "instanceUrl");
        } catch (NotFoundException e) {
            boolean defaultPath = settings.odataPath().equals(CreatioSettings.DEFAULT_ODATA_PATH);
            return VerificationResult.failure(ErrorKind.INVALID_SETTINGS, "The Instance URL should point at your "
                    + "Creatio site: " + settings.instanceUrl().getAuthority() + " has no OData service at "
                    + settings.odataPath() + " (on-site installs on .NET Core or .NET 8 serve it at /odata: "
                    + "set the OData path)", defaultPath ? "instanceUrl" : "odataPath");
        } catch (PermissionDeniedException e) {
            return VerificationResult.failure(ErrorKind.PERMISSION_DENIED, "The OAuth application's Creatio user may "
                    + "not read case statuses: grant it read access to CaseStatus in the object permissions", "clientId");
        } catch (ConnectorException e) {
            return settingOrOutage(e, "instanceUrl", "Creatio");
        }
        try {
            VerificationResult ids = checkIds(settings, statuses, odata);
            if (!ids.ok()) {
                return ids;
            }
            VerificationResult fields = checkFieldMap(connection, odata);
            if (!fields.ok()) {
                return fields;
            }
            return checkCreateCaseRight(odata);
        } catch (ConnectorException e) {
            return settingOrOutage(e, "instanceUrl", "Creatio");
        }
    }

    /** A setting the host's outbound policy or the server's answer showed to be wrong. */
    static VerificationResult refused(InvalidSettingsException e) {
        Map.Entry<String, String> first = new TreeMap<>(e.fieldErrors()).firstEntry();
        String label = LABELS.getOrDefault(first.getKey(), first.getKey());
        return VerificationResult.failure(ErrorKind.INVALID_SETTINGS, label + " " + first.getValue(), first.getKey());
    }

    /**
     * An outage is thrown (the host says "try again"); a setting to fix is returned naming it.
     *
     * @throws ConnectorException the failure itself when it is retryable
     */
    private static VerificationResult settingOrOutage(ConnectorException e, String urlSetting, String what) {
        if (e instanceof InvalidSettingsException invalid) {
            return refused(invalid);
        }
        if (Failures.unresolvedHost(e)) {
            return VerificationResult.failure(ErrorKind.INVALID_SETTINGS, LABELS.get(urlSetting) + ": the host name of "
                    + what + " does not resolve; check the address", urlSetting);
        }
        if (e.retryable()) {
            throw e;
        }
        return VerificationResult.failure(e.kind(), e.getMessage(), urlSetting);
    }

    private static VerificationResult checkIds(CreatioSettings s, Map<UUID, CaseStatus> statuses, ODataClient odata) {
        if (s.resolvedStatusId() != null && !statuses.containsKey(s.resolvedStatusId())) {
            return notFound("Resolved Status ID " + s.resolvedStatusId() + " was not found among Creatio's case statuses",
                    "resolvedStatusId");
        }
        CaseStatus reopen = statuses.get(s.reopenStatusId());
        if (reopen == null) {
            return notFound("Reopen Status ID " + s.reopenStatusId() + " was not found among Creatio's case statuses; "
                    + "choose a status agents work on (neither resolved nor final)", "reopenStatusId");
        }
        if (reopen.isFinal() || reopen.isResolved()) {
            return VerificationResult.failure(ErrorKind.INVALID_SETTINGS, "Reopen Status ID " + s.reopenStatusId()
                    + " (" + reopen.name() + ") is a " + (reopen.isFinal() ? "final" : "resolved") + " status; choose "
                    + "one agents work on (neither resolved nor final)", "reopenStatusId");
        }
        VerificationResult owner = exists(odata, "Contact", s.defaultCaseOwnerId(),
                "Default Case Owner ID " + s.defaultCaseOwnerId() + " was not found among Creatio's contacts",
                "defaultCaseOwnerId");
        if (!owner.ok()) {
            return owner;
        }
        return exists(odata, "SysAdminUnit", s.defaultCaseGroupId(),
                "Default Case Group ID " + s.defaultCaseGroupId() + " was not found among Creatio's groups and roles",
                "defaultCaseGroupId");
    }

    private static VerificationResult checkFieldMap(CreatioConnection connection, ODataClient odata) {
        EntityModel model = ReadRetry.read(() -> EntityModel.parse(odata.metadata(), "Case"));
        for (Map.Entry<String, String> e : FieldFiller.fieldMap(connection).entrySet()) {
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
     * required Subject answers 403 without the right and a validation error (400, nothing written)
     * with it. A 5xx or 429 proves nothing: it is thrown as the outage it is. Not retried: a POST.
     */
    private static VerificationResult checkCreateCaseRight(ODataClient odata) {
        ObjectNode probe = odata.json().createObjectNode();
        probe.put("Id", UUID.randomUUID().toString());
        try {
            odata.post("Case", probe);
            return VerificationResult.success();
        } catch (PermissionDeniedException e) {
            return VerificationResult.failure(ErrorKind.PERMISSION_DENIED, "The OAuth application's Creatio user is "
                    + "missing permission to create Case records: grant it in the object permissions of Case", "clientId");
        } catch (PermanentException expectedValidationError) {
            return VerificationResult.success();
        }
    }

    private static VerificationResult exists(ODataClient odata, String collection, UUID id, String message, String field) {
        if (id == null) {
            return VerificationResult.success();
        }
        try {
            ReadRetry.read(() -> odata.get(collection + "(" + id + ")", Map.of("$select", "Id")));
            return VerificationResult.success();
        } catch (NotFoundException e) {
            return notFound(message, field);
        }
    }

    private static VerificationResult notFound(String message, String field) {
        return VerificationResult.failure(ErrorKind.NOT_FOUND, message, field);
    }
}
