package com.helpdeskconnect.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** On-site installs on .NET Core / .NET 8 serve OData at /odata, without the /0. */
class NetCoreRootTest {
    @RegisterExtension
    static CreatioSandboxExtension creatio = new CreatioSandboxExtension(b -> b.odataRoot("/odata"));

    @Test
    void odataIsServedAtTheNetCoreRootOnly() {
        String token = Http.token(creatio.sandbox());
        assertThat(creatio.odataUrl()).isEqualTo(creatio.baseUrl() + "/odata");

        Http.Response created = Http.post(creatio.odataUrl() + "/Case", token, "{\"Subject\":\"Core\"}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("Location")).startsWith(creatio.baseUrl() + "/odata/Case(");
        assertThat(Http.get(creatio.odataUrl() + "/$metadata", token).status()).isEqualTo(200);
        assertThat(Http.get(creatio.baseUrl() + "/0/odata/CaseStatus", token).status()).isEqualTo(404);
        assertThat(creatio.inspect().requestCount("POST", "/odata/Case")).isEqualTo(1);
    }

    @Test
    void otherRootsAreRefused() {
        assertThatThrownBy(() -> CreatioSandbox.builder().odataRoot("/api/odata"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/0/odata or /odata");
    }
}
