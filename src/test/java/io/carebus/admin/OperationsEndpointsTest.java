package io.carebus.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.carebus.support.EngineTestBase;
import io.carebus.support.MllpClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/** What operators and analysts watch: health per part, per-route metrics, the OpenAPI document, Hawtio. */
class OperationsEndpointsTest extends EngineTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    TestRestTemplate http;

    @Test
    void healthReportsTheBrokerTheDatabaseAndTheMllpListener() throws Exception {
        ResponseEntity<String> health = http.withBasicAuth("analyst", ANALYST_PASSWORD)
                .getForEntity("/actuator/health", String.class);
        assertThat(health.getStatusCode()).as(health.getBody()).isEqualTo(HttpStatus.OK);
        JsonNode components = JSON.readTree(health.getBody()).path("components");
        for (String part : new String[] {"db", "jms", "mllpListener"}) {
            assertThat(components.path(part).path("status").asText()).as(part).isEqualTo("UP");
        }
        // without a signed-in user: the overall status only, no details
        JsonNode anonymous = JSON.readTree(http.getForEntity("/actuator/health", String.class).getBody());
        assertThat(anonymous.path("status").asText()).isEqualTo("UP");
        assertThat(anonymous.has("components")).isFalse();
    }

    @Test
    void prometheusCountsExchangesPerRoute() throws Exception {
        String controlId = "OPS" + UUID.randomUUID().toString().substring(0, 8);
        try (MllpClient client = new MllpClient(MLLP_PORT)) {
            assertThat(client.send(adt(controlId, "OPS-1"))).contains("MSA|AA|" + controlId);
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            ResponseEntity<String> metrics = http.withBasicAuth("analyst", ANALYST_PASSWORD)
                    .getForEntity("/actuator/prometheus", String.class);
            assertThat(metrics.getStatusCode()).isEqualTo(HttpStatus.OK);
            assertThat(metrics.getBody()).containsPattern(
                    "camel_exchanges_total\\{[^}]*routeId=\"inbound-mllp-hl7v2\"[^}]*\\} [1-9]");
            assertThat(metrics.getBody()).containsPattern(
                    "camel_exchanges_total\\{[^}]*routeId=\"transform-hl7v2\"[^}]*\\} [1-9]");
        });
        assertThat(http.getForEntity("/actuator/prometheus", String.class).getStatusCode())
                .isEqualTo(HttpStatus.UNAUTHORIZED);
    }

    @Test
    void theAdminApiIsDescribedByOpenApi() throws Exception {
        ResponseEntity<String> docs = http.getForEntity("/v3/api-docs", String.class);
        assertThat(docs.getStatusCode()).isEqualTo(HttpStatus.OK);
        JsonNode paths = JSON.readTree(docs.getBody()).path("paths");
        assertThat(paths.has("/api/journal")).isTrue();
        assertThat(paths.fieldNames()).toIterable().anyMatch(path -> path.contains("/replay"));
    }

    @Test
    void hawtioIsServedToAnalystsOnly() {
        ResponseEntity<String> console = http.withBasicAuth("analyst", ANALYST_PASSWORD)
                .getForEntity("/actuator/hawtio/", String.class);
        assertThat(console.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(console.getBody()).containsIgnoringCase("hawtio");
        assertThat(http.getForEntity("/actuator/hawtio/", String.class).getStatusCode())
                .isEqualTo(HttpStatus.UNAUTHORIZED);
    }
}
