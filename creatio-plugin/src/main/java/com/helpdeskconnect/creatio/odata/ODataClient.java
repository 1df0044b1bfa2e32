package com.helpdeskconnect.creatio.odata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.helpdeskconnect.api.errors.ConflictException;
import com.helpdeskconnect.api.errors.ConnectorException;
import com.helpdeskconnect.api.errors.InvalidCredentialsException;
import com.helpdeskconnect.api.errors.InvalidSettingsException;
import com.helpdeskconnect.api.errors.NotFoundException;
import com.helpdeskconnect.api.errors.PermanentException;
import com.helpdeskconnect.api.errors.PermissionDeniedException;
import com.helpdeskconnect.api.errors.RateLimitedException;
import com.helpdeskconnect.api.errors.TransientException;
import com.helpdeskconnect.creatio.auth.TokenUnavailableException;
import com.helpdeskconnect.creatio.net.Failures;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Creatio's OData 4 service for one integration. Every failure leaves as an SPI
 * {@link ConnectorException}: 401 (after one token refresh) invalid credentials, 403 permission,
 * 404 not found, 409 conflict, 429 rate limited, 5xx and I/O transient, other 4xx permanent.
 */
public final class ODataClient {
    private static final MediaType JSON_TYPE = MediaType.get("application/json; charset=utf-8");
    private static final int MAX_MESSAGE = 300;
    /** Entries Creatio accepts in one {@code $batch}. */
    public static final int MAX_BATCH = 100;

    private final OkHttpClient http;
    private final HttpUrl serviceRoot;
    private final ObjectMapper json;
    private final Clock clock;
    private final AtomicLong requests = new AtomicLong();

    /** @param serviceRoot {@code https://acme.creatio.com/0/odata} */
    public ODataClient(OkHttpClient http, URI serviceRoot, ObjectMapper json, Clock clock) {
        this.http = http;
        this.serviceRoot = HttpUrl.get(serviceRoot.toString());
        this.json = json;
        this.clock = clock;
    }

    /** The service root, {@code https://acme.creatio.com/0/odata}. */
    public String root() {
        return serviceRoot.toString();
    }

    public ObjectMapper json() {
        return json;
    }

    /** Requests sent so far, batches counted once. */
    public long requestCount() {
        return requests.get();
    }

    /** GET a record or collection: {@code path} such as {@code Case(<id>)} or {@code Contact}. */
    public JsonNode get(String path, Map<String, String> query) {
        return readJson(send(new Request.Builder().url(url(path, query)).get()));
    }

    /** GET a record; empty when Creatio answers 404. */
    public Optional<JsonNode> find(String path, Map<String, String> query) {
        try {
            return Optional.of(get(path, query));
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    /** The {@code value} array of a collection query. */
    public List<JsonNode> list(String collection, Map<String, String> query) {
        List<JsonNode> rows = new ArrayList<>();
        get(collection, query).path("value").forEach(rows::add);
        return rows;
    }

    /** POST a new record; returns the created record (201 body). */
    public JsonNode post(String collection, ObjectNode body) {
        return readJson(send(new Request.Builder().url(url(collection, Map.of())).post(jsonBody(body))));
    }

    /**
     * POSTs a record with a client-chosen {@code id}; if that fails, reads the record back, since a
     * failure may hide an earlier try (or this one) that got through. Safe to repeat.
     *
     * @return the created record, or the existing one with {@code select} columns
     */
    public JsonNode insertOnce(String collection, UUID id, ObjectNode body, String select) {
        try {
            return post(collection, body);
        } catch (ConnectorException e) {
            return find(collection + "(" + id + ")", Map.of("$select", select)).orElseThrow(() -> e);
        }
    }

    /** PATCH the given columns of a record (204). */
    public void patch(String entity, ObjectNode body) {
        send(new Request.Builder().url(url(entity, Map.of())).patch(jsonBody(body)));
    }

    /** The service's EDMX document. */
    public String metadata() {
        return send(new Request.Builder().url(url("$metadata", Map.of())).header("Accept", "application/xml").get()).body;
    }

    /**
     * Sends sub-requests in one {@code $batch} (JSON form). Answers in request order; a failed
     * sub-request is returned with its status, not thrown.
     */
    public List<BatchResponse> batch(List<BatchRequest> batch, boolean continueOnError) {
        if (batch.size() > MAX_BATCH) {
            // Creatio refuses more than 100 entries: send them in slices, in order.
            List<BatchResponse> all = new ArrayList<>();
            for (int from = 0; from < batch.size(); from += MAX_BATCH) {
                all.addAll(batch(batch.subList(from, Math.min(batch.size(), from + MAX_BATCH)), continueOnError));
            }
            return all;
        }
        ObjectNode envelope = json.createObjectNode();
        ArrayNode array = envelope.putArray("requests");
        for (int i = 0; i < batch.size(); i++) {
            BatchRequest r = batch.get(i);
            ObjectNode node = array.addObject();
            node.put("id", String.valueOf(i + 1));
            node.put("method", r.method());
            node.put("url", r.url());
            ObjectNode headers = node.putObject("headers");
            headers.put("Content-Type", "application/json;odata.metadata=minimal");
            headers.put("Accept", "application/json");
            if (r.body() != null) {
                node.set("body", r.body());
            }
        }
        Request.Builder request = new Request.Builder().url(url("$batch", Map.of())).post(jsonBody(envelope));
        if (continueOnError) {
            request.header("Prefer", "continue-on-error");
        }
        JsonNode answer = readJson(send(request));
        BatchResponse[] ordered = new BatchResponse[batch.size()];
        for (JsonNode response : answer.path("responses")) {
            int index = Integer.parseInt(response.path("id").asText("0")) - 1;
            if (index >= 0 && index < ordered.length) {
                JsonNode body = response.path("body");
                ordered[index] = new BatchResponse(response.path("status").asInt(), body,
                        response.path("status").asInt() >= 400 ? errorFor(response.path("status").asInt(), body, null) : null);
            }
        }
        List<BatchResponse> result = new ArrayList<>();
        for (BatchResponse r : ordered) {
            // Creatio stops at the first failure unless told otherwise: the rest were not run.
            result.add(r != null ? r : new BatchResponse(0, null, null));
        }
        return result;
    }

    private HttpUrl url(String path, Map<String, String> query) {
        HttpUrl.Builder builder = serviceRoot.newBuilder().addPathSegments(path);
        query.forEach(builder::addQueryParameter);
        return builder.build();
    }

    private RequestBody jsonBody(JsonNode body) {
        try {
            return RequestBody.create(json.writeValueAsBytes(body), JSON_TYPE);
        } catch (IOException e) {
            throw new PermanentException("Cannot serialise an OData body", e);
        }
    }

    private record Answer(int code, String contentType, String body) {}

    private Answer send(Request.Builder builder) {
        Request request = builder.build();
        if (request.header("Accept") == null) {
            request = request.newBuilder().header("Accept", "application/json").build();
        }
        requests.incrementAndGet();
        try (Response response = http.newCall(request).execute()) {
            String body = response.body().string();
            String contentType = response.header("Content-Type", "");
            if (response.isSuccessful()) {
                if (!body.isEmpty() && contentType.contains("text/html")) {
                    throw new InvalidSettingsException(Map.of("instanceUrl", "should point at your Creatio site: "
                            + where() + serviceRoot.encodedPath() + " answered with a web page instead of OData "
                            + "(check the Instance URL and the OData path)"));
                }
                return new Answer(response.code(), contentType, body);
            }
            JsonNode error = null;
            if (contentType.contains("json") && !body.isEmpty()) {
                try {
                    error = json.readTree(body);
                } catch (IOException unreadable) {
                    error = null;
                }
            }
            throw errorFor(response.code(), error, response.header("Retry-After"));
        } catch (TokenUnavailableException e) {
            throw e.connectorException();
        } catch (IOException e) {
            throw Failures.ofIo(e, "Creatio", where(), "instanceUrl");
        }
    }

    /** Host and port of the site: what messages name. */
    private String where() {
        return serviceRoot.host() + ":" + serviceRoot.port();
    }

    private JsonNode readJson(Answer answer) {
        if (answer.body().isEmpty()) {
            return json.createObjectNode();
        }
        try {
            return json.readTree(answer.body());
        } catch (IOException e) {
            throw new PermanentException("Creatio answered with unreadable JSON");
        }
    }

    /** Maps an HTTP status and OData error body to the SPI error the host acts on. */
    ConnectorException errorFor(int status, JsonNode errorBody, String retryAfter) {
        String detail = message(errorBody);
        String suffix = detail.isEmpty() ? "" : ": " + detail;
        return switch (status) {
            case 401 -> new InvalidCredentialsException("Invalid credentials: Creatio refused the access token"
                    + " (check the Client ID, Client secret and that the OAuth application is active)");
            case 403 -> new PermissionDeniedException("The integration's Creatio user lacks a permission" + suffix);
            case 404 -> new NotFoundException("Not found in Creatio" + suffix);
            case 409 -> new ConflictException("Creatio refused the change" + suffix);
            case 429 -> new RateLimitedException("Creatio asked us to slow down", RetryAfter.parse(retryAfter, clock));
            case 503 -> retryAfter != null
                    ? new RateLimitedException("Creatio is unavailable", RetryAfter.parse(retryAfter, clock))
                    : new TransientException("Creatio is unavailable (503)" + suffix);
            default -> status >= 500
                    ? new TransientException("Creatio answered " + status + suffix)
                    : new PermanentException("Creatio refused the request (" + status + ")" + suffix);
        };
    }

    /** Creatio's most useful error text: inner exception, inner error, then the top message. */
    static String message(JsonNode body) {
        if (body == null) {
            return "";
        }
        JsonNode error = body.path("error");
        String text = error.path("innererror").path("internalexception").path("message").asText("");
        if (text.isBlank()) {
            text = error.path("innererror").path("message").asText("");
        }
        if (text.isBlank()) {
            text = error.path("message").asText("");
        }
        text = text.strip();
        return text.length() > MAX_MESSAGE ? text.substring(0, MAX_MESSAGE) + "…" : text;
    }
}
