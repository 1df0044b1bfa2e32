package com.helpdeskconnect.sandbox.odata;

import com.helpdeskconnect.sandbox.identity.BearerAuthenticator;
import com.helpdeskconnect.sandbox.identity.Caller;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The HTTP face of {@link ODataService}: every method under the service root, {@code /0/odata/}
 * (.NET Framework sites, all of Creatio cloud) or {@code /odata/} (on-site .NET Core / .NET 8).
 */
public final class ODataEndpoint implements Handler {
    /** The root of .NET Framework sites, every cloud site among them. */
    public static final String ROOT = "/0/odata";
    /** The root of on-site installs that run on .NET Core or .NET 8. */
    public static final String NET_CORE_ROOT = "/odata";

    private final ODataService service;
    private final BearerAuthenticator authenticator;
    private final String root;

    /** @param root {@link #ROOT} or {@link #NET_CORE_ROOT} */
    public ODataEndpoint(ODataService service, BearerAuthenticator authenticator, String root) {
        this.service = service;
        this.authenticator = authenticator;
        this.root = root;
    }

    @Override
    public void handle(Context ctx) {
        Caller caller = authenticator.authenticate(ctx.header("Authorization"))
                .orElseThrow(ODataException::unauthorized);
        Map<String, String> query = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> entry : ctx.queryParamMap().entrySet()) {
            query.put(entry.getKey(), entry.getValue().isEmpty() ? "" : entry.getValue().get(0));
        }
        ODataRequest request = new ODataRequest(ctx.method().name(), resourceOf(root, ctx.path()), query, ctx.body(),
                ctx.header("Prefer"));
        write(ctx, service.execute(request, caller));
    }

    /** The single error mapper of the site: every {@link ODataException} becomes Creatio's error body. */
    public static void writeError(ODataException e, Context ctx) {
        write(ctx, ODataResponse.error(e));
    }

    static String resourceOf(String root, String path) {
        String resource = path.length() > root.length() ? path.substring(root.length() + 1) : "";
        return URLDecoder.decode(resource.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static void write(Context ctx, ODataResponse response) {
        ctx.status(response.status());
        response.headers().forEach(ctx::header);
        if (response.status() == 401) {
            ctx.header("WWW-Authenticate", "Bearer");
        }
        if (response.json() != null) {
            ctx.contentType(response.contentType()).result(response.json().toString());
        } else if (response.text() != null) {
            ctx.contentType(response.contentType()).result(response.text());
        }
    }
}
