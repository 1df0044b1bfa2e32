package com.helpdeskconnect.zendesk.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.helpdeskconnect.api.net.OutboundDeniedException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Zendesk's Ticketing REST API ({@code /api/v2}) for one integration: API-token Basic auth, JSON
 * in and out, and every refusal as a {@link ZendeskApiException} with Zendesk's error text. A
 * write may carry a <em>marker</em> in its {@code User-Agent}: Zendesk keeps the writer's
 * User-Agent as the audit's and comment's {@code metadata.system.client}, so a retried write can
 * find out whether an earlier try whose answer was lost got through (see {@code cases/Markers}).
 */
public final class ZendeskClient {
    private static final Logger LOG = LoggerFactory.getLogger(ZendeskClient.class);
    private static final MediaType JSON_TYPE = MediaType.get("application/json; charset=utf-8");
    private static final int MAX_PAGES = 50;

    private final OkHttpClient http;
    private final HttpUrl root;
    private final String authorization;
    private final String userAgent;
    private final ObjectMapper json;
    private final AtomicLong requests = new AtomicLong();

    /**
     * @param root      the account root, {@code https://acme.zendesk.com}
     * @param userAgent {@code helpdesk-connect-zendesk/1.0}: how our writes are recognised
     */
    public ZendeskClient(OkHttpClient http, URI root, String email, String apiToken, String userAgent,
                         ObjectMapper json) {
        this.http = http;
        this.root = HttpUrl.get(root.toString());
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(
                (email + "/token:" + apiToken).getBytes(StandardCharsets.UTF_8));
        this.userAgent = userAgent;
        this.json = json;
    }

    public ObjectMapper json() {
        return json;
    }

    /** The account root as configured, {@code https://acme.zendesk.com}. */
    public String root() {
        String text = root.toString();
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }

    /** Requests sent so far. */
    public long requestCount() {
        return requests.get();
    }

    /** GET {@code /api/v2/<path>} → the JSON answer. */
    public JsonNode get(String path, Map<String, String> query) {
        return send(new Request.Builder().url(url(path, query)).get(), null).body();
    }

    /** GET, or empty on 404. */
    public Optional<JsonNode> find(String path, Map<String, String> query) {
        try {
            return Optional.of(get(path, query));
        } catch (ZendeskApiException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * Every item of a cursor-paginated list ({@code page[size]=100}, following {@code links.next}
     * while {@code meta.has_more}), at most {@value #MAX_PAGES} pages.
     */
    public List<JsonNode> getAll(String path, Map<String, String> query, String arrayName) {
        List<JsonNode> items = new ArrayList<>();
        HttpUrl.Builder first = url(path, query).newBuilder().setQueryParameter("page[size]", "100");
        HttpUrl next = first.build();
        for (int page = 0; page < MAX_PAGES && next != null; page++) {
            JsonNode answer = send(new Request.Builder().url(next).get(), null).body();
            answer.path(arrayName).forEach(items::add);
            next = null;
            if (answer.path("meta").path("has_more").asBoolean(false)) {
                HttpUrl link = HttpUrl.parse(answer.path("links").path("next").asText(""));
                // Only ever follow a link to the same account: the credentials go with it.
                if (link != null && link.host().equals(root.host()) && link.port() == root.port()) {
                    next = link;
                }
            }
        }
        return items;
    }

    /** POST a JSON body given as bytes (so a retry sends exactly the same bytes). */
    public Answer post(String path, byte[] body, Map<String, String> headers, String marker) {
        Request.Builder request = new Request.Builder().url(url(path, Map.of()))
                .post(RequestBody.create(body, JSON_TYPE));
        headers.forEach(request::header);
        return send(request, marker);
    }

    /** PUT a JSON body; {@code marker} goes into the User-Agent (null for none). */
    public JsonNode put(String path, ObjectNode body, String marker) {
        return send(new Request.Builder().url(url(path, Map.of())).put(RequestBody.create(bytes(body), JSON_TYPE)),
                marker).body();
    }

    public byte[] bytes(JsonNode body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot serialise a JSON body", e);
        }
    }

    /** A successful answer: its JSON and the headers callers look at. */
    public record Answer(int status, JsonNode body, String idempotencyLookup) {}

    private HttpUrl url(String path, Map<String, String> query) {
        HttpUrl.Builder builder = root.newBuilder().addPathSegments("api/v2").addPathSegments(path);
        query.forEach(builder::addQueryParameter);
        return builder.build();
    }

    private Answer send(Request.Builder builder, String marker) {
        builder.header("Authorization", authorization)
                .header("Accept", "application/json")
                .header("User-Agent", marker == null ? userAgent : userAgent + " (" + marker + ")");
        Request request = builder.build();
        String described = request.method() + " " + request.url().encodedPath();
        requests.incrementAndGet();
        try (Response response = http.newCall(request).execute()) {
            String body = response.body().string();
            String contentType = response.header("Content-Type", "");
            LOG.debug("Zendesk {} → {}", described, response.code());
            boolean isJson = contentType.contains("json");
            if (response.isSuccessful() && (isJson || body.isEmpty())) {
                return new Answer(response.code(), body.isEmpty() ? json.createObjectNode() : readTree(body, described),
                        response.header("x-idempotency-lookup"));
            }
            if (response.code() < 400) {
                // A redirect or a web page: not an account's API (a wrong subdomain or URL).
                throw new ZendeskApiException(ZendeskApiException.NOT_ZENDESK, described,
                        String.valueOf(response.code()), "", null, null, ZendeskApiException.Kind.NONE);
            }
            throw refusal(response.code(), described, isJson ? body : null, isJson ? null : body,
                    response.header("Retry-After"));
        } catch (OutboundDeniedException e) {
            throw new ZendeskApiException(ZendeskApiException.NO_ANSWER, described, "", e.getMessage(), null, null,
                    ZendeskApiException.Kind.DENIED_BY_POLICY);
        } catch (InterruptedIOException e) {
            throw new ZendeskApiException(ZendeskApiException.NO_ANSWER, described, "", "no answer in time", null,
                    null, ZendeskApiException.Kind.TIMEOUT);
        } catch (IOException e) {
            if (deniedByPolicy(e)) {
                throw new ZendeskApiException(ZendeskApiException.NO_ANSWER, described, "",
                        "the host's outbound policy does not allow " + root.host(), null, null,
                        ZendeskApiException.Kind.DENIED_BY_POLICY);
            }
            throw new ZendeskApiException(ZendeskApiException.NO_ANSWER, described, "",
                    (e instanceof UnknownHostException ? "unknown host " + root.host() : e.getClass().getSimpleName()),
                    null, null, ZendeskApiException.Kind.UNREACHABLE);
        }
    }

    private JsonNode readTree(String body, String described) {
        try {
            JsonNode node = json.readTree(body);
            return node == null ? json.createObjectNode() : node;
        } catch (IOException e) {
            throw new ZendeskApiException(ZendeskApiException.NOT_ZENDESK, described, "", "unreadable JSON", null, null,
                    ZendeskApiException.Kind.NONE);
        }
    }

    private ZendeskApiException refusal(int status, String described, String jsonBody, String textBody,
                                        String retryAfter) {
        String error = "";
        String description = "";
        JsonNode details = null;
        if (jsonBody != null && !jsonBody.isBlank()) {
            try {
                JsonNode node = json.readTree(jsonBody);
                JsonNode errorNode = node.path("error");
                if (errorNode.isObject()) {
                    // 403's shape: {"error":{"title":"Forbidden","message":"You do not have access …"}}
                    error = errorNode.path("title").asText("");
                    description = errorNode.path("message").asText("");
                } else {
                    error = errorNode.asText("");
                    description = node.path("description").asText("");
                }
                details = node.path("details").isObject() ? node.get("details") : null;
            } catch (IOException unreadable) {
                description = "";
            }
        } else if (textBody != null) {
            // 429 and maintenance answers are text/plain; an HTML error page says nothing useful.
            description = textBody.trim().startsWith("<") ? "" : ZendeskApiException.clip(textBody);
        }
        return new ZendeskApiException(status, described, error, description, details, retryAfter,
                ZendeskApiException.Kind.NONE);
    }

    private static boolean deniedByPolicy(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OutboundDeniedException) {
                return true;
            }
            for (Throwable suppressed : t.getSuppressed()) {
                if (suppressed instanceof OutboundDeniedException) {
                    return true;
                }
            }
        }
        return false;
    }
}
