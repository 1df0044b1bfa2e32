package com.helpdeskconnect.host.demo;

import java.util.List;
import java.util.Map;

/**
 * The helpdesk side of the demo: its sandbox's command line, the ids an admin looks up with the
 * setup guide, what "the helpdesk" shows, and what its agent does. The script itself is {@link Demo}'s.
 */
abstract class DemoDesk {
    final Demo demo;

    DemoDesk(Demo demo) {
        this.demo = demo;
    }

    /** "Creatio", "Zendesk". */
    abstract String name();

    /** The connector id of its plugin. */
    abstract String connector();

    /** The sandbox's arguments after {@code java -jar <jar>}; its webhooks go to {@code webhookUrl}. */
    abstract List<String> sandboxArgs(String webhookUrl);

    /** Takes the sandbox's first output line; false when it is not the line a started sandbox prints. */
    abstract boolean started(String firstLine);

    /** Where the sandbox listens, for the story. */
    abstract String startedLine();

    /** How the helpdesk reaches the host back, for the story. */
    abstract String webhookLine(String webhookUrl);

    /** The step that looks the ids up, as the setup guide shows; returns the integration's settings. */
    abstract String idsTitle();

    abstract Map<String, Object> settings() throws Exception;

    /** The handoff's fields, owner and group, in this helpdesk's terms. */
    abstract Map<String, Object> handoff();

    /** "Case", "Ticket". */
    abstract String caseNoun();

    abstract String aiReplyLine(String number);

    abstract void showCase(String caseId);

    abstract String agentReplyTitle();

    abstract void agentReply(String caseId, String text);

    abstract String agentResolveTitle();

    abstract void agentResolve(String caseId);

    /** What the case or ticket holds at the end, one line per activity or comment. */
    abstract void showRecords(String caseId);

    /** The "try it yourself" line. */
    abstract String linkLine();
}
