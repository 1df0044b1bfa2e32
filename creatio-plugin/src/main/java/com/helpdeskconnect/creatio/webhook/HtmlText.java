package com.helpdeskconnect.creatio.webhook;

import java.util.regex.Pattern;

/** Agents reply in Creatio's HTML email editor; customers read plain text. */
final class HtmlText {
    private static final Pattern BREAKS = Pattern.compile("(?i)<br\\s*/?>|</p>|</div>|</li>");
    private static final Pattern TAGS = Pattern.compile("<[^>]*>");
    private static final Pattern BLANK_LINES = Pattern.compile("\\n{3,}");

    private HtmlText() {}

    static String toPlain(String html) {
        String text = BREAKS.matcher(html).replaceAll("\n");
        text = TAGS.matcher(text).replaceAll("");
        text = text.replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&");
        return BLANK_LINES.matcher(text.replace("\r", "")).replaceAll("\n\n").strip();
    }
}
