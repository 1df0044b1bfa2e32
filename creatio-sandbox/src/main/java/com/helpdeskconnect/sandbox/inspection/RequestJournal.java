package com.helpdeskconnect.sandbox.inspection;

import java.util.regex.Pattern;

/**
 * The sandbox's request journal: the shared one, over its {@link RecordedRequest}s, plus how this
 * helpdesk's paths fold into endpoint templates.
 */
public final class RequestJournal
        extends com.helpdeskconnect.sandbox.support.RequestJournal<RecordedRequest> {
    private static final Pattern KEYED = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\(.*\\)(/.*)?");
    private static final String ODATA_ROOT = "/0/odata/";
    private static final String NET_CORE_ODATA_ROOT = "/odata/";

    public RequestJournal() {
        super(RecordedRequest::endpoint);
    }

    /**
     * {@code /0/odata/Case(ae5f…)} becomes {@code /0/odata/Case({id})} (and so under the .NET Core
     * root {@code /odata/}); other paths stay as they are.
     */
    public static String template(String decodedPath) {
        String root = decodedPath.startsWith(ODATA_ROOT) ? ODATA_ROOT
                : decodedPath.startsWith(NET_CORE_ODATA_ROOT) ? NET_CORE_ODATA_ROOT : null;
        if (root == null) {
            return decodedPath;
        }
        String resource = decodedPath.substring(root.length());
        var matcher = KEYED.matcher(resource);
        if (matcher.matches()) {
            return root + matcher.group(1) + "({id})" + (matcher.group(2) == null ? "" : matcher.group(2));
        }
        return decodedPath;
    }
}
