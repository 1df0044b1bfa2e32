package com.helpdeskconnect.zendesk.cases;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.helpdeskconnect.api.cases.Activity;
import com.helpdeskconnect.api.cases.Customer;
import com.helpdeskconnect.api.cases.Direction;
import com.helpdeskconnect.api.cases.Visibility;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * How chat messages become Zendesk comments.
 *
 * <p><b>Internal notes by default ({@code public: false}).</b> Zendesk's standard triggers ("Notify
 * requester and CCs of received request / of comment update") email the requester every public
 * comment, and a comment written through the API counts as the API user's update, so a public
 * comment would mail the customer their own chat and the AI's answers. Zendesk suppresses the
 * requester and CC notification for private comments as a system rule that no trigger overrides
 * ("When a private comment is added to a ticket, the Email user + (requester and CCs) action in
 * triggers and automations is suppressed", Zendesk's article on CC notification suppression). The
 * customer already read everything in the chat. With the {@code publicChatMessages} setting, the
 * messages the customer saw ({@link Visibility#PUBLIC}) become public comments instead, and the
 * admin keeps Zendesk from mailing them with a trigger condition on our tag.
 *
 * <p><b>Author.</b> Customer messages are authored by the ticket's requester ({@code author_id}),
 * so agents see who said what; Zendesk treats the API user, not the author, as the ticket's updater,
 * which is what its triggers look at. The AI's messages, notes and mixed batches are authored by
 * the integration's user, each message labelled with its speaker.
 *
 * <p>Messages due together share one comment (Zendesk takes one comment per update): one update
 * instead of one per message, within the 30-updates-per-ticket limit. Only a batch whose messages
 * differ in visibility needs one update per run.
 *
 * <p>The format, which tests read back: one message alone is its text, preceded by
 * {@code "<label>: "} unless the requester is the author; several are
 * {@code "[HH:mm:ss UTC] <label>: <text>"} joined by blank lines (no label when the requester is the
 * author). Labels are {@code Customer}, {@code AI assistant}, {@code Agent}, {@code Note}, or a
 * name followed by {@code (customer)}, {@code (AI)}, {@code (agent)}, {@code (note)}.
 */
final class CommentBody {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private CommentBody() {}

    /**
     * The batch cut into runs of messages that share a comment: one run unless public chat messages
     * are on and visibilities differ.
     */
    static List<List<Activity>> runs(List<Activity> batch, boolean publicChatMessages) {
        List<List<Activity>> runs = new ArrayList<>();
        List<Activity> run = new ArrayList<>();
        for (Activity a : batch) {
            if (!run.isEmpty() && isPublic(run.get(0), publicChatMessages) != isPublic(a, publicChatMessages)) {
                runs.add(run);
                run = new ArrayList<>();
            }
            run.add(a);
        }
        if (!run.isEmpty()) {
            runs.add(run);
        }
        return runs;
    }

    /** Whether a message is written as a public comment. */
    static boolean isPublic(Activity a, boolean publicChatMessages) {
        return publicChatMessages && a.visibility() == Visibility.PUBLIC;
    }

    /** Whether the batch's comment is authored by the requester: only customer messages, requester known. */
    static boolean byRequester(List<Activity> batch, long requesterId) {
        return requesterId > 0 && batch.stream().allMatch(a -> a.direction() == Direction.CUSTOMER);
    }

    /** The comment object for a batch of messages. */
    static ObjectNode comment(ObjectNode target, List<Activity> batch, long requesterId, boolean isPublic) {
        boolean byRequester = byRequester(batch, requesterId);
        String body;
        if (batch.size() == 1) {
            Activity only = batch.get(0);
            body = byRequester ? only.text() : label(only) + ": " + only.text();
        } else {
            body = batch.stream()
                    .map(a -> "[" + TIME.format(a.occurredAt()) + "] " + (byRequester ? "" : label(a) + ": ") + a.text())
                    .collect(Collectors.joining("\n\n"));
        }
        target.put("body", body).put("public", isPublic);
        if (byRequester) {
            target.put("author_id", requesterId);
        }
        return target;
    }

    /** The first comment of a new ticket: the messages so far, or the draft's description. */
    static String firstComment(List<Activity> first, String description, String subject, Customer customer,
                               boolean anonymous) {
        StringBuilder body = new StringBuilder();
        if (anonymous) {
            body.append("Chat visitor without an email address");
            String who = join(customer.name(), customer.phone());
            body.append(who.isEmpty() ? "" : ": " + who).append("\n\n");
        }
        if (first.isEmpty()) {
            body.append(description.isBlank() ? subject : description);
        } else if (first.size() == 1) {
            body.append(label(first.get(0))).append(": ").append(first.get(0).text());
        } else {
            body.append(first.stream()
                    .map(a -> "[" + TIME.format(a.occurredAt()) + "] " + label(a) + ": " + a.text())
                    .collect(Collectors.joining("\n\n")));
        }
        return body.toString();
    }

    /** The handoff note. */
    static String handoffNote(Activity summary) {
        return "Handoff from the AI assistant\n\n" + summary.text();
    }

    /** Who said it, as the label in a transcript. */
    static String label(Activity a) {
        String author = a.author().isBlank() ? null : a.author().strip();
        return switch (a.direction()) {
            case CUSTOMER -> author == null ? "Customer" : author + " (customer)";
            case AI -> author == null ? "AI assistant" : author + " (AI)";
            case AGENT -> author == null ? "Agent" : author + " (agent)";
            case SYSTEM -> author == null ? "Note" : author + " (note)";
        };
    }

    private static String join(String... parts) {
        StringBuilder text = new StringBuilder();
        for (String part : parts) {
            if (part != null && !part.isBlank()) {
                text.append(text.isEmpty() ? "" : ", ").append(part.strip());
            }
        }
        return text.toString();
    }
}
