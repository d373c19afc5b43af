package io.carebus.fhir.smart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.carebus.support.SmartTestClients;
import org.junit.jupiter.api.Test;

/**
 * What a SMART backend reads through history, {@code $everything} and a bulk export kick-off is audited with the
 * client and the patient, as reads and searches are (HAPI's BALP interceptor audits only those).
 */
class SmartAccessAuditTest extends SmartHttpTestBase {

    private static final String PATIENT = "audit-smart-pat";

    @Test
    void historyEverythingAndAnExportKickOffNameTheClientAndThePatient() {
        assertThat(send("PUT", "Patient/" + PATIENT, engineer(), "{\"resourceType\":\"Patient\",\"id\":\"" + PATIENT
                + "\",\"name\":[{\"family\":\"Audited\"}]}").statusCode()).isIn(200, 201);
        assertThat(send("POST", "Observation", engineer(), "{\"resourceType\":\"Observation\",\"status\":\"final\","
                + "\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"8867-4\"}]},"
                + "\"subject\":{\"reference\":\"Patient/" + PATIENT + "\"},\"valueQuantity\":{\"value\":72}}")
                .statusCode()).isEqualTo(201);
        String bearer = "Bearer " + backendToken("system/*.rs");

        assertThat(send("GET", "Patient/" + PATIENT + "/_history", bearer, null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "Patient/" + PATIENT + "/$everything", bearer, null).statusCode()).isEqualTo(200);
        HttpResponse<String> kickOff = send(HttpRequest.newBuilder(URI.create(fhirBase() + "/Patient/$export?_type=Patient"))
                .header("Authorization", bearer).header("Accept", "application/fhir+json")
                .header("Prefer", "respond-async").GET().build());
        assertThat(kickOff.statusCode()).as(kickOff.body()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            List<JsonNode> events = events("client=" + SmartTestClients.BACKEND + "&patient=" + PATIENT);
            assertThat(events).extracting(e -> e.path("subtype").path(0).path("code").asText())
                    .contains("history-instance", "extended-operation-instance");
            assertThat(events).allSatisfy(e -> assertThat(e.path("outcome").asText()).isEqualTo("0"));
            List<JsonNode> exports = events("client=" + SmartTestClients.BACKEND).stream()
                    .filter(e -> e.toString().contains("$export")).toList();
            assertThat(exports).isNotEmpty();
        });
    }

    private List<JsonNode> events(String query) {
        HttpResponse<String> r = get("/api/audit/events?_count=200&" + query, "Authorization",
                basic("auditor", AUDITOR_PASSWORD));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<JsonNode> events = new ArrayList<>();
        json(r).path("entry").forEach(entry -> events.add(entry.path("resource")));
        return events;
    }
}
