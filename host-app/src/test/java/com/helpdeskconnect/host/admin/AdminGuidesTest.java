package com.helpdeskconnect.host.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The console's guides stay in step with the setup guide: each troubleshooting entry the Creatio
 * guide points to is a heading of docs/creatio-setup.md, and every guide has the entries the setup
 * check names.
 */
class AdminGuidesTest {
    static final List<String> CHECK_ENTRIES = List.of("cases", "messages", "fields", "webhook", "cleanup");

    @Test
    void creatioEntriesNameHeadingsOfTheSetupGuide() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "creatio-setup.md"));
        JsonNode entries = new Guides(new ObjectMapper()).guide("creatio").path("troubleshooting");
        entries.properties().forEach(e -> {
            String title = e.getValue().path("title").asText();
            assertThat(doc).as(e.getKey()).containsAnyOf("**" + title + "**", "## " + title);
            assertThat(e.getValue().path("doc").asText()).as(e.getKey()).startsWith("docs/creatio-setup.md");
        });
        assertThat(doc).contains("## 7. Troubleshooting", "## 5. AI field auto-fill");
    }

    @Test
    void everyCheckStepHasAnEntryInEveryGuideOrTheGenericOne() {
        Guides guides = new Guides(new ObjectMapper());
        for (String connector : List.of("creatio", "zendesk", "generic", "a-connector-without-a-guide")) {
            for (String key : CHECK_ENTRIES) {
                Guides.Troubleshooting entry = guides.troubleshooting(connector, key).orElseThrow();
                assertThat(entry.title()).as(connector + "/" + key).isNotBlank();
                assertThat(entry.items()).as(connector + "/" + key).isNotEmpty();
            }
            assertThat(guides.guide(connector).path("wiring").path("steps")).as(connector).isNotEmpty();
        }
        assertThat(guides.guide("a-connector-without-a-guide").path("connector").asText()).isEqualTo("generic");
        assertThat(guides.troubleshooting("zendesk", "fields").orElseThrow().title()).isEqualTo("Fields are not filled.");
    }
}
