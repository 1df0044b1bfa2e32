package com.helpdeskconnect.zendesk;

import com.helpdeskconnect.api.settings.Secret;
import com.helpdeskconnect.api.settings.Setting;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An integration's Zendesk settings, as an admin fills them in. The names are the API contract
 * (issue 13). {@code instanceUrl} is text, not a URL setting, because a bare subdomain ({@code acme})
 * is accepted: it is normalised here to {@code https://acme.zendesk.com}, and a pasted agent-UI
 * address ({@code https://acme.zendesk.com/agent/tickets/5}) is cut back to scheme, host and port.
 */
public record ZendeskSettings(
        @Setting(label = "Zendesk URL",
                help = "Your Zendesk address, e.g. https://acme.zendesk.com, or just the subdomain (acme). "
                        + "A pasted agent page address is fine.")
        @NotBlank String instanceUrl,
        @Setting(label = "Agent email",
                help = "Email of the Zendesk agent or admin the integration acts as (the API token's user).")
        @NotBlank @Email String email,
        @Setting(label = "API token",
                help = "Admin Center > Apps and integrations > APIs > Zendesk API > Add API token.",
                boundTo = {"instanceUrl", "email"})
        @NotNull Secret apiToken,
        @Setting(label = "Default group ID", help = "Id of the group new tickets go to; empty for Zendesk's routing.")
        @Positive Long defaultGroupId,
        @Setting(label = "Default assignee ID",
                help = "User id of the agent who gets new tickets; must be a member of the default group.")
        @Positive Long defaultAssigneeId,
        @Setting(label = "Webhook signing secret",
                help = "From the webhook's page in Admin Center (Webhooks > your webhook > Signing secret > Reveal "
                        + "secret). Without it every webhook call is refused.",
                boundTo = {"instanceUrl"})
        Secret webhookSigningSecret,
        @Setting(label = "Auto-fill field map",
                help = "AI field name to 'priority', 'type', or a custom ticket field's id or title, e.g. "
                        + "{\"sentiment\": \"Sentiment\", \"order\": \"360000020004\"}. priority and type are mapped "
                        + "by default.")
        Map<String, String> fieldMap,
        @Setting(label = "Status on resolve", defaultValue = "solved",
                help = "solved: the AI's resolution solves the ticket. pending: agents confirm it first.")
        SolvedStatus solvedStatus,
        @Setting(label = "Public chat messages", defaultValue = "false",
                help = "Off: every chat message is an internal note, so Zendesk never emails the customer their own "
                        + "chat. On: messages the customer saw become public comments (also in the help center); then add "
                        + "'Tags contains none of helpdesk_connect' to the triggers that notify the requester.")
        boolean publicChatMessages,
        @Setting(label = "Anonymous requester email", defaultValue = DEFAULT_ANONYMOUS_EMAIL,
                help = "Requester for chats without an email address: one shared end user. The default's "
                        + ".invalid domain never receives mail.")
        @Email String anonymousRequesterEmail) {

    /** RFC 2606's {@code .invalid}: no mail is ever delivered there. */
    public static final String DEFAULT_ANONYMOUS_EMAIL = "anonymous-chat@helpdesk-connect.invalid";

    private static final Pattern SUBDOMAIN = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");

    /** The status {@code resolve} sets. */
    public enum SolvedStatus {
        SOLVED, PENDING;

        /** Zendesk's wire name. */
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ZendeskSettings {
        instanceUrl = normalise(instanceUrl);
        email = email == null ? null : email.trim();
        fieldMap = fieldMap == null ? Map.of() : Map.copyOf(fieldMap);
        solvedStatus = solvedStatus == null ? SolvedStatus.SOLVED : solvedStatus;
        anonymousRequesterEmail = anonymousRequesterEmail == null || anonymousRequesterEmail.isBlank()
                ? DEFAULT_ANONYMOUS_EMAIL : anonymousRequesterEmail.trim();
    }

    /** The account root, {@code https://acme.zendesk.com}. Valid only when {@link #isInstanceUrl()} holds. */
    public URI instanceUri() {
        return URI.create(instanceUrl);
    }

    /**
     * Checked by the host's validator; named so the error lands on the instanceUrl field. https, or
     * http to a local address (a sandbox): the host's outbound policy then decides whether that
     * address may be reached at all.
     */
    @AssertTrue(message = "must be your Zendesk address, e.g. https://acme.zendesk.com or acme, over https "
            + "(http only for a local sandbox address)")
    public boolean isInstanceUrl() {
        if (instanceUrl == null || instanceUrl.isBlank()) {
            return true; // @NotBlank reports it
        }
        try {
            URI uri = new URI(instanceUrl);
            if (uri.getHost() == null || uri.getRawPath() != null && !uri.getRawPath().isEmpty()) {
                return false;
            }
            return "https".equals(uri.getScheme()) || "http".equals(uri.getScheme()) && isLocal(uri.getHost());
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /**
     * {@code acme} → {@code https://acme.zendesk.com}; {@code acme.zendesk.com/agent/…} →
     * {@code https://acme.zendesk.com}; {@code http://127.0.0.1:8080/} → {@code http://127.0.0.1:8080}.
     * Anything unreadable is returned trimmed, for {@link #isInstanceUrl()} to refuse.
     */
    static String normalise(String raw) {
        if (raw == null) {
            return null;
        }
        String text = raw.trim();
        if (text.isEmpty()) {
            return text;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        if (SUBDOMAIN.matcher(lower).matches()) {
            return "https://" + lower + ".zendesk.com";
        }
        if (!lower.contains("://")) {
            text = "https://" + text;
        }
        try {
            URI uri = new URI(text);
            if (uri.getScheme() == null || uri.getHost() == null) {
                return raw.trim();
            }
            return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost().toLowerCase(Locale.ROOT)
                    + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
        } catch (URISyntaxException e) {
            return raw.trim();
        }
    }

    private static boolean isLocal(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        // Literal addresses only: no DNS lookup while validating.
        if (!host.matches("[0-9.]+|\\[?[0-9a-fA-F:]+]?")) {
            return false;
        }
        try {
            InetAddress address = InetAddress.getByName(host);
            return address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
