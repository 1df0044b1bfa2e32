package com.helpdeskconnect.host.http;

import com.helpdeskconnect.host.security.ApiKeys;
import com.helpdeskconnect.host.security.BootstrapToken;
import com.helpdeskconnect.host.security.ChatLinks;
import com.helpdeskconnect.host.security.Principal;
import com.helpdeskconnect.host.security.RateLimiter;
import com.helpdeskconnect.host.security.Scope;
import io.javalin.http.Context;
import io.javalin.security.RouteRole;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The access manager: runs before the matched route ({@code beforeMatched}) and enforces its
 * {@link Access} rule. Deny by default: a route without exactly one rule, a missing or wrong
 * credential, a missing scope all stop the request before its handler. Integration coverage is
 * answered with 404, as if the resource did not exist, so a key never learns what another
 * integration holds.
 */
final class Authorizer {
    static final String PRINCIPAL = "helpdesk-connect.principal";
    /** The rate limiter that charged the request (absent for the bootstrap admin, who is not limited). */
    private static final String LIMITER = "helpdesk-connect.limiter";
    private static final String BEARER = "Bearer ";

    private final BootstrapToken bootstrap;
    private final ApiKeys keys;
    private final ChatLinks links;
    private final RateLimiter limiter;
    /** A chat page posts a message now and then and opens a stream: a few requests a second is plenty. */
    private final RateLimiter linkLimiter = new RateLimiter(5, 30, System::nanoTime);

    Authorizer(BootstrapToken bootstrap, ApiKeys keys, ChatLinks links, RateLimiter limiter) {
        this.bootstrap = bootstrap;
        this.keys = keys;
        this.links = links;
        this.limiter = limiter;
    }

    void check(Context ctx) {
        Set<RouteRole> roles = ctx.routeRoles();
        if (roles.size() != 1 || !(roles.iterator().next() instanceof Access access)) {
            throw new ApiException(403, "forbidden", "This route has no access rule");
        }
        if (access == Access.PUBLIC || access == Access.WEBHOOK) {
            return;
        }
        boolean linkAllowed = access == Access.CHAT_PAGE || access == Access.STREAM || access == Access.EVENTS_WRITE;
        Principal principal = authenticate(ctx, linkAllowed);
        // the bootstrap admin is the operator's own break-glass credential: limiting it protects nothing
        RateLimiter charged = principal.id().equals(Principal.BOOTSTRAP_ID) ? null
                : principal.chatLink().isPresent() ? linkLimiter : limiter;
        if (charged != null) {
            refuseIfWaiting(ctx, charged.acquire(principal.id()));
            ctx.attribute(LIMITER, charged);
        }
        ctx.attribute(PRINCIPAL, principal);
        if (principal.chatLink().isPresent()) {
            ChatLinks.Link link = principal.chatLink().get();
            String conversation = access == Access.CHAT_PAGE ? ctx.queryParam("conversation") : pathParam(ctx, "conversationId");
            if (conversation != null && !conversation.equals(link.conversationId())) {
                throw ApiException.notFound("No conversation '" + conversation + "'");
            }
            return; // CHAT_PAGE, STREAM or EVENTS_WRITE (the handler allows customer messages only)
        }
        switch (access) {
            case ANY_KEY -> { }
            case ADMIN -> require(principal, Scope.ADMIN);
            case METRICS -> require(principal, Scope.METRICS_READ);
            case INTEGRATIONS, CONVERSATION_ADMIN -> require(principal, Scope.INTEGRATIONS_ADMIN);
            case INTEGRATION_ADMIN -> {
                require(principal, Scope.INTEGRATIONS_ADMIN);
                String id = pathParam(ctx, "id");
                String integration = id != null ? id : pathParam(ctx, "integrationId");
                if (integration == null || !principal.covers(integration)) {
                    throw ApiException.notFound("No integration '" + integration + "'");
                }
            }
            case EVENTS_WRITE -> require(principal, Scope.EVENTS_WRITE);
            case CONVERSATION_READ, STREAM -> require(principal, Scope.CONVERSATIONS_READ);
            case CHAT_PAGE -> throw new ApiException(401, "unauthorized", "The chat page needs a chat link (?token=...)");
            default -> throw new ApiException(403, "forbidden", "This route has no access rule");
        }
    }

    /**
     * Charges a request that carries {@code events} events one token per event (the check charged the
     * first), at most a full bucket: an event costs the host about as much in a batch as alone. 429
     * when the credential's bucket lacks them; nothing of the request is written then.
     */
    static void chargeEvents(Context ctx, int events) {
        RateLimiter charged = ctx.attribute(LIMITER);
        int more = charged == null ? 0 : Math.min(events, charged.burst()) - 1;
        if (more > 0) {
            refuseIfWaiting(ctx, charged.acquire(principal(ctx).id(), more));
        }
    }

    private static void refuseIfWaiting(Context ctx, OptionalLong wait) {
        if (wait.isPresent()) {
            ctx.header("Retry-After", Long.toString(Math.max(1, wait.getAsLong())));
            throw new ApiException(429, "rate_limited", "Too many requests for this credential; retry after "
                    + Math.max(1, wait.getAsLong()) + " s");
        }
    }

    private Principal authenticate(Context ctx, boolean linkAllowed) {
        String header = ctx.header("Authorization");
        String presented = null;
        if (header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            presented = header.substring(BEARER.length()).trim();
        } else if (linkAllowed && header == null) {
            presented = ctx.queryParam("token"); // EventSource and a plain page load cannot send headers
        }
        if (presented == null || presented.isEmpty()) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new ApiException(401, "unauthorized", "This API needs 'Authorization: Bearer <API key or admin token>'");
        }
        Optional<Principal> principal;
        if (presented.startsWith(ChatLinks.PREFIX)) {
            String id = "link:" + fingerprint(presented);
            principal = linkAllowed ? links.verify(presented).map(l -> Principal.of(l, id)) : Optional.empty();
        } else if (presented.startsWith(ApiKeys.PREFIX)) {
            principal = keys.authenticate(presented);
        } else {
            principal = bootstrap.matches(presented) ? Optional.of(Principal.bootstrapAdmin()) : Optional.empty();
        }
        return principal.orElseThrow(() -> {
            ctx.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            return new ApiException(401, "unauthorized", "The credential is not valid (unknown, revoked or expired)");
        });
    }

    private static void require(Principal principal, Scope scope) {
        if (!principal.has(scope)) {
            throw new ApiException(403, "forbidden", "This credential lacks the '" + scope.wire() + "' scope");
        }
    }

    private static String pathParam(Context ctx, String name) {
        return ctx.pathParamMap().get(name);
    }

    private static String fingerprint(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The request's principal, set by {@link #check}; only routes with a credential rule have one. */
    static Principal principal(Context ctx) {
        Principal p = ctx.attribute(PRINCIPAL);
        if (p == null) {
            throw new IllegalStateException("No principal on " + ctx.endpointHandlerPath());
        }
        return p;
    }

    /**
     * The integration a conversation request acts on: the chat link's, the one named ({@code
     * integrationId} in the body or query) if the credential covers it, else the credential's only
     * integration. Not covered answers 404, like an unknown integration.
     */
    static String integrationFor(Context ctx, String requested) {
        Principal p = principal(ctx);
        if (p.chatLink().isPresent()) {
            String own = p.chatLink().get().integrationId();
            if (requested != null && !requested.equals(own)) {
                throw ApiException.notFound("No integration '" + requested + "'");
            }
            return own;
        }
        if (requested != null) {
            if (!p.covers(requested)) {
                throw ApiException.notFound("No integration '" + requested + "'");
            }
            return requested;
        }
        return p.soleIntegration().orElseThrow(() -> ApiException.badRequest(
                "This credential covers several integrations: name one with integrationId",
                Map.of("integrationId", "is required with this credential")));
    }
}
