package com.helpdeskconnect.creatio;

import com.helpdeskconnect.api.settings.Secret;
import com.helpdeskconnect.api.settings.Setting;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * An integration's Creatio settings, as an admin fills them in. URLs are normalised on the way in:
 * a trailing slash or a pasted page path ({@code /0/Nui/ViewModule.aspx#...}) is dropped, keeping
 * scheme, host and port.
 */
public record CreatioSettings(
        @Setting(label = "Instance URL",
                help = "Your Creatio site, e.g. https://acme.creatio.com. A pasted page address is fine.")
        @NotNull URI instanceUrl,
        @Setting(label = "Client ID", help = "From System Designer > OAuth 2.0 integrated applications.")
        @NotBlank String clientId,
        @Setting(label = "Client secret", help = "Shown once when the OAuth 2.0 application is saved.",
                boundTo = {"instanceUrl", "identityServerUrl", "clientId"})
        @NotNull Secret clientSecret,
        @Setting(label = "Identity service URL",
                help = "Leave empty on Creatio cloud (acme.creatio.com uses acme-is.creatio.com). On-site: the value "
                        + "of the system setting OAuth20IdentityServerUrl.")
        URI identityServerUrl,
        @Setting(label = "OData path", defaultValue = DEFAULT_ODATA_PATH,
                help = "Where the site serves OData 4: /0/odata (every cloud site, .NET Framework), "
                        + "/odata on on-site installs running on .NET Core or .NET 8.")
        @Pattern(regexp = "(/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)+", message = "must be a path such as /0/odata or /odata")
        String odataPath,
        @Setting(label = "Default Case Owner ID", help = "Contact Id of the agent who gets new cases.")
        UUID defaultCaseOwnerId,
        @Setting(label = "Default Case Group ID", help = "Id of the group (SysAdminUnit) that gets new cases.")
        UUID defaultCaseGroupId,
        @Setting(label = "Resolved Status ID",
                help = "CaseStatus Id set when a conversation is resolved; empty for the status flagged Resolved.")
        UUID resolvedStatusId,
        @Setting(label = "Reopen Status ID", defaultValue = DEFAULT_REOPEN_STATUS,
                help = "CaseStatus Id set when the customer writes on a resolved or paused case (neither resolved "
                        + "nor final); default: Creatio's standard Reopened.")
        UUID reopenStatusId,
        @Setting(label = "Case origin ID", help = "CaseOrigin Id for new cases; empty for Chat.")
        UUID caseOriginId,
        @Setting(label = "Messages as", defaultValue = "email",
                help = "email: Email activities linked to the case (every Creatio). portal_message: portal messages.")
        MessageChannel messageChannel,
        @Setting(label = "Activity category ID", help = "ActivityCategory Id for chat messages; empty for Email.")
        UUID activityCategoryId,
        @Setting(label = "Auto-fill field map",
                help = "Field name to Case column, e.g. {\"sentiment\": \"UsrSentiment\"}. "
                        + "priority and category are mapped by default.")
        Map<String, String> fieldMap,
        @Setting(label = "Webhook secret", generated = true,
                help = "The X-Helpdesk-Connect-Secret header value your Creatio business processes send; "
                        + "left empty, one is generated for you.")
        Secret webhookSecret) {

    /** The OData root of .NET Framework sites, every Creatio cloud site among them. */
    public static final String DEFAULT_ODATA_PATH = "/0/odata";
    /** Creatio's standard "Reopened" case status: neither resolved nor final. */
    public static final String DEFAULT_REOPEN_STATUS = "f063ebbe-fdc6-4982-8431-d8cfa52fedcf";

    /** How chat messages are written to Creatio. */
    public enum MessageChannel { EMAIL, PORTAL_MESSAGE }

    public CreatioSettings {
        instanceUrl = siteOf(instanceUrl);
        identityServerUrl = siteOf(identityServerUrl);
        clientId = clientId == null ? null : clientId.trim();
        odataPath = odataPath == null || odataPath.isBlank() ? DEFAULT_ODATA_PATH : trimSlashes(odataPath.trim());
        reopenStatusId = reopenStatusId == null ? UUID.fromString(DEFAULT_REOPEN_STATUS) : reopenStatusId;
        messageChannel = messageChannel == null ? MessageChannel.EMAIL : messageChannel;
        fieldMap = fieldMap == null ? Map.of() : Map.copyOf(fieldMap);
    }

    /** The OData service root: the site plus {@link #odataPath()}. */
    public URI odataRoot() {
        return URI.create(instanceUrl + odataPath);
    }

    /**
     * The site's application prefix, before {@code /Nui/...} page addresses: {@code /0} on .NET
     * Framework sites, empty on .NET Core ones (whatever stands before {@code /odata}).
     */
    public String appPrefix() {
        return odataPath.endsWith("/odata") ? odataPath.substring(0, odataPath.length() - "/odata".length()) : "/0";
    }

    /** Where tokens come from: the setting, or the Creatio cloud convention {@code acme-is.creatio.com}. */
    public URI effectiveIdentityServerUrl() {
        if (identityServerUrl != null) {
            return identityServerUrl;
        }
        String host = instanceUrl.getHost().toLowerCase(Locale.ROOT);
        if (!host.endsWith(".creatio.com")) {
            return null;
        }
        int dot = host.indexOf('.');
        return URI.create(instanceUrl.getScheme() + "://" + host.substring(0, dot) + "-is" + host.substring(dot));
    }

    /** Checked by the host's validator; named so the error lands on the instanceUrl field. */
    @AssertTrue(message = "must use https (http is accepted only for localhost)")
    public boolean isInstanceUrl() {
        return instanceUrl == null || secureOrLoopback(instanceUrl);
    }

    @AssertTrue(message = "is required when the Instance URL is not a *.creatio.com site; "
            + "copy the system setting OAuth20IdentityServerUrl, and use https (http only for localhost)")
    public boolean isIdentityServerUrl() {
        if (instanceUrl == null) {
            return true;
        }
        URI effective = effectiveIdentityServerUrl();
        return effective != null && secureOrLoopback(effective);
    }

    private static boolean secureOrLoopback(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https")) {
            return true;
        }
        if (!scheme.equals("http") || uri.getHost() == null) {
            return false;
        }
        String host = uri.getHost();
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        try {
            // Literal addresses only: no DNS lookup while validating.
            return host.matches("[0-9.]+|\\[?[0-9a-fA-F:]+]?") && InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** {@code /odata/} → {@code /odata}: one leading slash, none trailing. */
    private static String trimSlashes(String path) {
        String p = path.startsWith("/") ? path : "/" + path;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    private static URI siteOf(URI uri) {
        if (uri == null || uri.getScheme() == null || uri.getHost() == null) {
            return uri;
        }
        return URI.create(uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost().toLowerCase(Locale.ROOT)
                + (uri.getPort() == -1 ? "" : ":" + uri.getPort()));
    }
}
