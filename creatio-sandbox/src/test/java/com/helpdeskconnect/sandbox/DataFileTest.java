package com.helpdeskconnect.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.helpdeskconnect.sandbox.model.EdmType;
import com.helpdeskconnect.sandbox.model.StandardRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataFileTest {
    @TempDir
    Path folder;

    @Test
    void aRestartedSandboxKeepsCasesActivitiesAndTheCaseCounter() throws Exception {
        Path file = folder.resolve("creatio.json");
        String caseId;
        try (CreatioSandbox first = CreatioSandbox.builder().dataFile(file)
                .customColumn("Case", "UsrSentiment", EdmType.STRING).start()) {
            String token = Http.token(first);
            caseId = Http.post(first.odataUrl() + "/Case", token, "{\"Subject\":\"Kept\",\"UsrSentiment\":\"calm\"}")
                    .json().get("Id").asText();
            first.agent().reply(caseId, "We are on it");
        }

        try (CreatioSandbox second = CreatioSandbox.builder().dataFile(file)
                .customColumn("Case", "UsrSentiment", EdmType.STRING).start()) {
            String token = Http.token(second);
            JsonNode kept = Http.get(second.odataUrl() + "/Case(" + caseId + ")", token).json();
            assertThat(kept.get("Subject").asText()).isEqualTo("Kept");
            assertThat(kept.get("UsrSentiment").asText()).isEqualTo("calm");
            assertThat(kept.get("Number").asText()).isEqualTo("SR00000001");
            assertThat(kept.get("StatusId").asText()).isEqualTo(StandardRows.STATUS_NEW);
            assertThat(second.inspect().findCase(caseId).orElseThrow().activities())
                    .extracting(a -> a.get("Body")).containsExactly("We are on it");
            assertThat(Http.post(second.odataUrl() + "/Activity", token,
                    "{\"Title\":\"Still linked\",\"CaseId\":\"" + caseId + "\"}").status()).isEqualTo(201);
            assertThat(Http.post(second.odataUrl() + "/Case", token, "{\"Subject\":\"Next\"}").json()
                    .get("Number").asText()).isEqualTo("SR00000002");
        }
    }

    @Test
    void changesReachTheFileWhileTheSandboxRuns() throws Exception {
        Path file = folder.resolve("live.json");
        try (CreatioSandbox sandbox = CreatioSandbox.builder().dataFile(file).start()) {
            Http.post(sandbox.odataUrl() + "/Case", Http.token(sandbox), "{\"Subject\":\"Soon on disk\"}");

            Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
            while (!Files.readString(file).contains("Soon on disk") && Instant.now().isBefore(deadline)) {
                Thread.sleep(50);
            }
            JsonNode saved = new ObjectMapper().readTree(file.toFile());
            assertThat(saved.get("format").asInt()).isEqualTo(1);
            assertThat(saved.at("/tables/Case/0/Subject").asText()).isEqualTo("Soon on disk");
            assertThat(saved.get("lastCaseNumber").asInt()).isEqualTo(1);
            try (var files = Files.list(folder)) {
                assertThat(files).containsExactly(file);
            }
        }
    }

    @Test
    void aFileThatIsNotSandboxDataIsRefusedWithItsName() throws Exception {
        Path file = folder.resolve("other.json");
        Files.writeString(file, "{\"hello\":1}");

        assertThatThrownBy(() -> CreatioSandbox.builder().dataFile(file).start())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("other.json")
                .hasMessageContaining("not a Creatio sandbox data file");
        assertThat(Files.readString(file)).isEqualTo("{\"hello\":1}");
    }
}
