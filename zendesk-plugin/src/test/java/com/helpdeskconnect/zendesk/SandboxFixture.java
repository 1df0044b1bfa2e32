package com.helpdeskconnect.zendesk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.helpdeskconnect.api.HelpdeskConnector;
import com.helpdeskconnect.api.cases.CaseRef;
import com.helpdeskconnect.api.cases.Direction;
import com.helpdeskconnect.api.cases.FieldValues;
import com.helpdeskconnect.api.cases.Visibility;
import com.helpdeskconnect.api.settings.Settings;
import com.helpdeskconnect.api.webhook.WebhookRequest;
import com.helpdeskconnect.testkit.Assignment;
import com.helpdeskconnect.testkit.BackendActivity;
import com.helpdeskconnect.testkit.ConnectorFixture;
import com.helpdeskconnect.testkit.InjectedFailure;
import com.helpdeskconnect.testkit.WriteOperation;
import com.helpdeskconnect.zendesk.sandbox.ZendeskSandbox;
import com.helpdeskconnect.zendesk.sandbox.faults.FaultRule;
import com.helpdeskconnect.zendesk.sandbox.inspection.TicketView;
import com.helpdeskconnect.zendesk.sandbox.model.Comment;
import com.helpdeskconnect.zendesk.sandbox.model.FieldOption;
import com.helpdeskconnect.zendesk.sandbox.model.SeedData;
import com.helpdeskconnect.zendesk.sandbox.model.Status;
import com.helpdeskconnect.zendesk.sandbox.model.Ticket;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Zendesk connector against a sandbox on a random port, whose trigger posts to a receiver here.
 *
 * <p>The suite runs with {@code publicChatMessages} on: its visibility checks expect a message the
 * customer saw to be public in the helpdesk, which in Zendesk is the opt-in mode (by default every
 * chat message is an internal note, so Zendesk never emails the customer their own chat: the
 * plugin's own tests cover that mode).
 *
 * <p>{@link #activities} reads the tickets' comments back into messages: a comment written by the
 * connector (its User-Agent is the comment's {@code metadata.system.client}) holds one message or a
 * transcript of several in the format {@code cases/CommentBody} documents; anyone else's comment is
 * one message.
 */
class SandboxFixture implements ConnectorFixture {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TIME = Pattern.compile("\\[\\d\\d:\\d\\d:\\d\\d UTC] ");
    private static final Pattern LABEL = Pattern.compile(
            "^(Customer|AI assistant|Agent|Note|.{1,120}? \\((customer|AI|agent|note)\\)): (.*)$", Pattern.DOTALL);
    private static final Pattern CLOSURE = Pattern.compile("\n\nClosure code: (.*)$");

    final ZendeskSandbox sandbox;
    final WebhookReceiver receiver = new WebhookReceiver();
    private final ZendeskConnector connector = new ZendeskConnector();
    private final List<WebhookRequest> pending = new ArrayList<>();

    SandboxFixture() {
        sandbox = ZendeskSandbox.builder().webhook(receiver.url(), null).webhookRetryDelay(Duration.ofMillis(10)).start();
    }

    @Override
    public HelpdeskConnector connector() {
        return connector;
    }

    @Override
    public Settings validSettings() {
        Map<String, Object> settings = new LinkedHashMap<>();
        // as an admin pastes it: an agent page of the account
        settings.put("instanceUrl", sandbox.baseUrl() + "/agent/dashboard");
        settings.put("email", sandbox.email());
        settings.put("apiToken", sandbox.apiToken());
        settings.put("webhookSigningSecret", sandbox.signingSecret());
        settings.put("fieldMap", Map.of("sentiment", "Sentiment", "order", Long.toString(SeedData.FIELD_ORDER_NUMBER)));
        settings.put("publicChatMessages", true);
        return Settings.of(settings);
    }

    @Override
    public Settings wrongCredentialSettings() {
        return validSettings().with("apiToken", "wrong" + sandbox.apiToken().substring(5));
    }

    @Override
    public int countCasesWithSubject(String subject) {
        return (int) sandbox.inspect().tickets().stream().filter(t -> subject.equals(t.ticket().subject())).count();
    }

    @Override
    public List<BackendActivity> activities(CaseRef caseRef) {
        TicketView view = view(caseRef);
        List<BackendActivity> result = new ArrayList<>();
        for (Comment comment : view.comments()) {
            Visibility visibility = comment.isPublic() ? Visibility.PUBLIC : Visibility.INTERNAL;
            if (comment.client() == null || !comment.client().startsWith(ZendeskConnector.USER_AGENT_PRODUCT)) {
                Direction direction = comment.authorId() == view.ticket().requesterId() ? Direction.CUSTOMER
                        : Direction.AGENT;
                result.add(new BackendActivity(comment.body(), direction, visibility));
                continue;
            }
            readOwn(comment, view.ticket().requesterId(), visibility, result);
        }
        return result;
    }

    /** The messages of a comment the connector wrote. */
    private static void readOwn(Comment comment, long requesterId, Visibility visibility, List<BackendActivity> into) {
        String body = comment.body();
        if (body.startsWith("Chat visitor without an email address")) {
            int cut = body.indexOf("\n\n");
            body = cut < 0 ? "" : body.substring(cut + 2);
        }
        for (String note : List.of("Handoff from the AI assistant\n\n", "Resolved by the AI assistant\n\n")) {
            if (body.startsWith(note)) {
                into.add(new BackendActivity(CLOSURE.matcher(body.substring(note.length())).replaceFirst(""),
                        Direction.SYSTEM, visibility));
                return;
            }
        }
        for (String chunk : body.split("\n\n(?=" + TIME.pattern() + ")")) {
            String message = TIME.matcher(chunk).lookingAt() ? chunk.substring(chunk.indexOf("] ") + 2) : chunk;
            Matcher labelled = LABEL.matcher(message);
            if (labelled.matches()) {
                into.add(new BackendActivity(labelled.group(3), direction(labelled.group(1), labelled.group(2)),
                        visibility));
            } else {
                into.add(new BackendActivity(message,
                        comment.authorId() == requesterId ? Direction.CUSTOMER : Direction.SYSTEM, visibility));
            }
        }
    }

    private static Direction direction(String label, String suffix) {
        String kind = suffix != null ? suffix : label;
        return switch (kind) {
            case "customer", "Customer" -> Direction.CUSTOMER;
            case "AI", "AI assistant" -> Direction.AI;
            case "agent", "Agent" -> Direction.AGENT;
            default -> Direction.SYSTEM;
        };
    }

    @Override
    public boolean isResolved(CaseRef caseRef) {
        Status status = view(caseRef).ticket().status();
        return status == Status.SOLVED || status == Status.CLOSED;
    }

    @Override
    public FieldValues validFieldValues() {
        return FieldValues.of(Map.of("priority", "High", "sentiment", "Negative", "order", "A-1001"));
    }

    @Override
    public FieldValues invalidFieldValues() {
        return FieldValues.of(Map.of("sentiment", "Ecstatic"));
    }

    /** The value as an agent reads it: an option's name, or the text. */
    @Override
    public Optional<String> fieldValue(CaseRef caseRef, String field) {
        Ticket ticket = view(caseRef).ticket();
        return switch (field) {
            case "priority" -> Optional.ofNullable(ticket.priority()).map(p -> optionName(SeedData.FIELD_PRIORITY, p));
            case "type" -> Optional.ofNullable(ticket.type()).map(t -> optionName(SeedData.FIELD_TYPE, t));
            case "sentiment" -> Optional.ofNullable(ticket.customFields().get(SeedData.FIELD_SENTIMENT))
                    .map(v -> optionName(SeedData.FIELD_SENTIMENT, String.valueOf(v)));
            case "order" -> Optional.ofNullable(ticket.customFields().get(SeedData.FIELD_ORDER_NUMBER)).map(String::valueOf);
            default -> Optional.empty();
        };
    }

    private String optionName(long fieldId, String value) {
        return sandbox.desk().ticketField(fieldId).flatMap(f -> f.options().stream()
                .filter(o -> o.value().equals(value)).map(FieldOption::name).findFirst()).orElse(value);
    }

    /** Agents and the groups they are in: Alice in Support, Bob in Billing. */
    @Override
    public List<Assignment> validAssignments() {
        return List.of(new Assignment(Long.toString(SeedData.USER_ALICE), Long.toString(SeedData.GROUP_SUPPORT)),
                new Assignment(Long.toString(SeedData.USER_BOB), Long.toString(SeedData.GROUP_BILLING)));
    }

    @Override
    public Assignment assignment(CaseRef caseRef) {
        Ticket ticket = view(caseRef).ticket();
        return new Assignment(ticket.assigneeId() == null ? null : Long.toString(ticket.assigneeId()),
                ticket.groupId() == null ? null : Long.toString(ticket.groupId()));
    }

    /** Zendesk has no closure codes: the connector writes the code into the resolution note. */
    @Override
    public Optional<String> validClosureCode() {
        return Optional.of("Replacement sent");
    }

    @Override
    public Optional<String> closureCode(CaseRef caseRef) {
        List<Comment> comments = view(caseRef).comments();
        for (int i = comments.size() - 1; i >= 0; i--) {
            String body = comments.get(i).body();
            if (body.startsWith("Resolved by the AI assistant")) {
                Matcher code = CLOSURE.matcher(body);
                return code.find() ? Optional.of(code.group(1)) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    @Override
    public void agentReplies(CaseRef caseRef, String text) {
        sandbox.agent().reply(id(caseRef), text);
    }

    @Override
    public void agentAddsInternalNote(CaseRef caseRef, String text) {
        sandbox.agent().note(id(caseRef), text);
    }

    /** Solved by the agent, then closed by Zendesk's automation. */
    @Override
    public void agentCloses(CaseRef caseRef) {
        sandbox.agent().solve(id(caseRef));
        sandbox.agent().close(id(caseRef));
    }

    @Override
    public synchronized List<WebhookRequest> takeWebhooks(CaseRef caseRef) {
        pending.addAll(receiver.take(sandbox));
        List<WebhookRequest> taken = new ArrayList<>();
        for (Iterator<WebhookRequest> it = pending.iterator(); it.hasNext(); ) {
            WebhookRequest request = it.next();
            if (ticketOf(request) == id(caseRef)) {
                taken.add(request);
                it.remove();
            }
        }
        return taken;
    }

    /** Re-signed as Zendesk would have signed it at {@code sentAt}. */
    @Override
    public WebhookRequest resignedAt(WebhookRequest genuine, Instant sentAt) {
        String timestamp = sentAt.truncatedTo(ChronoUnit.SECONDS).toString();
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(genuine.headers());
        headers.put("X-Zendesk-Webhook-Signature-Timestamp", List.of(timestamp));
        headers.put("X-Zendesk-Webhook-Signature", List.of(sign(sandbox.signingSecret(), timestamp, genuine.body())));
        return new WebhookRequest(headers, genuine.query(), genuine.body(), sentAt);
    }

    @Override
    public boolean webhookSignsBody() {
        return true;
    }

    @Override
    public Set<InjectedFailure> injectableFailures() {
        return Set.of(InjectedFailure.values());
    }

    @Override
    public void injectFailure(InjectedFailure failure, int count) {
        FaultRule.Target every = FaultRule.on("*", "/api/v2");
        sandbox.faults().add(switch (failure) {
            case SERVER_ERROR -> every.status(503).times(count);
            case RATE_LIMITED -> every.tooManyRequests(Duration.ofSeconds(7)).times(count);
            case CONNECTION_RESET -> every.resetConnection().times(count);
            case LOSE_ANSWER -> throw new IllegalArgumentException("armed with loseNextAnswer");
        });
    }

    /** Creating a ticket is its POST; every other write is a ticket update (PUT). */
    @Override
    public void loseNextAnswer(WriteOperation write) {
        String method = write == WriteOperation.CREATE_CASE ? "POST" : "PUT";
        sandbox.faults().add(FaultRule.on(method, "/api/v2/tickets").loseAnswer().times(1));
    }

    @Override
    public void clearFailures() {
        sandbox.faults().clear();
    }

    @Override
    public void close() {
        connector.close();
        sandbox.close();
        receiver.close();
    }

    static String sign(String secret, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update(timestamp.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private TicketView view(CaseRef caseRef) {
        return sandbox.inspect().ticket(id(caseRef)).orElseThrow();
    }

    private static long id(CaseRef caseRef) {
        return Long.parseLong(caseRef.id());
    }

    private static long ticketOf(WebhookRequest request) {
        try {
            JsonNode body = JSON.readTree(request.body());
            return body.path("ticket_id").asLong(-1);
        } catch (IOException e) {
            return -1;
        }
    }
}
