package com.helpdeskconnect.zendesk.sandbox.inspection;

/**
 * The sandbox's request journal: the shared one, over its {@link RecordedRequest}s, plus how this
 * helpdesk's paths fold into endpoint templates.
 */
public final class RequestJournal
        extends com.helpdeskconnect.sandbox.support.RequestJournal<RecordedRequest> {
    public RequestJournal() {
        super(RecordedRequest::endpoint);
    }

    /**
     * {@code /api/v2/tickets/12.json} becomes {@code /api/v2/tickets/{id}}: the {@code .json} suffix
     * goes and numeric segments become {@code {id}}, so both spellings count as one endpoint.
     */
    public static String template(String path) {
        String bare = path.endsWith(".json") ? path.substring(0, path.length() - 5) : path;
        return bare.replaceAll("/\\d+(?=/|$)", "/{id}");
    }
}
