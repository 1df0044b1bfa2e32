package com.helpdeskconnect.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.helpdeskconnect.sandbox.model.EdmType;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w3c.dom.Document;

class MetadataTest {
    @RegisterExtension
    static CreatioSandboxExtension creatio = new CreatioSandboxExtension(b -> b
            .customColumn("Case", "UsrSentiment", EdmType.STRING));

    @Test
    void metadataIsEdmxListingTypesAndCustomColumns() throws Exception {
        String token = Http.token(creatio.sandbox());
        Http.Response response = Http.get(creatio.odataUrl() + "/$metadata", token);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("application/xml");
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document xml = factory.newDocumentBuilder()
                .parse(new ByteArrayInputStream(response.body().getBytes(StandardCharsets.UTF_8)));
        var xpath = XPathFactory.newInstance().newXPath();
        assertThat(xpath.evaluate("/*[local-name()='Edmx']/@Version", xml)).isEqualTo("4.0");
        assertThat(xpath.evaluate("//*[local-name()='EntityType'][@Name='Case']"
                + "/*[local-name()='Property'][@Name='StatusId']/@Type", xml)).isEqualTo("Edm.Guid");
        assertThat(xpath.evaluate("//*[local-name()='EntityType'][@Name='Case']"
                + "/*[local-name()='Property'][@Name='UsrSentiment']/@Type", xml)).isEqualTo("Edm.String");
        assertThat(xpath.evaluate("//*[local-name()='EntityType'][@Name='Case']"
                + "/*[local-name()='Property'][@Name='RegisteredOn']/@Type", xml)).isEqualTo("Edm.DateTimeOffset");
        assertThat(((Double) xpath.evaluate("count(//*[local-name()='EntitySet'])", xml, XPathConstants.NUMBER))
                .intValue()).isGreaterThanOrEqualTo(13);
    }

    @Test
    void customColumnsRoundTrip() {
        String token = Http.token(creatio.sandbox());
        Http.Response created = Http.post(creatio.odataUrl() + "/Case", token,
                "{\"Subject\":\"Custom\",\"UsrSentiment\":\"angry\"}");

        assertThat(created.json().get("UsrSentiment").asText()).isEqualTo("angry");
        assertThat(Http.get(creatio.odataUrl() + "/Case?$filter=" + Http.encode("UsrSentiment eq 'angry'"), token)
                .json().get("value")).hasSize(1);
    }
}
