package io.carebus.routing.fhirauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.carebus.support.EngineTestBase;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.camel.CamelContext;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A smart-backend destination's token, obtained from the engine's own SMART token endpoint: kept for the next
 * requests, and dropped once the FHIR server has answered 401 to it.
 */
class SmartBackendTokenCacheTest extends EngineTestBase {

    @Autowired
    CamelContext camel;

    @Test
    void theTokenIsReusedUntilTheServerRefusesIt() throws Exception {
        DestinationCredentials credentials = ((AuthorizingHttpClientConfigurer) camel.getRegistry()
                .lookupByNameAndType("fhirDestinationAuth-fhir-external-smart", HttpClientConfigurer.class))
                .credentials();

        String first = credentials.authorization();
        assertThat(first).startsWith("Bearer ");
        assertThat(credentials.authorization()).isEqualTo(first);

        credentials.rejected("Bearer some-older-token");    // another consumer's stale token: the cached one stays
        assertThat(credentials.authorization()).isEqualTo(first);

        credentials.rejected(first);
        String second = credentials.authorization();
        assertThat(second).startsWith("Bearer ").isNotEqualTo(first);
    }

    @Test
    void aRequestRefusedWith401ReportsTheAuthorizationItWasSentWith() throws Exception {
        List<String> refused = new CopyOnWriteArrayList<>();
        DestinationCredentials revoked = new DestinationCredentials() {
            @Override
            public String authorization() {
                return "Bearer no-longer-valid";
            }

            @Override
            public void rejected(String authorization) {
                refused.add(authorization);
            }
        };
        HttpClientBuilder builder = HttpClients.custom();
        new AuthorizingHttpClientConfigurer(revoked).configureHttpClient(builder);
        try (CloseableHttpClient client = builder.build()) {
            int status = client.execute(new HttpGet("http://127.0.0.1:" + HTTP_PORT + "/fhir/Patient"),
                    response -> response.getCode());
            assertThat(status).isEqualTo(401);
        }
        assertThat(refused).containsExactly("Bearer no-longer-valid");
    }
}
