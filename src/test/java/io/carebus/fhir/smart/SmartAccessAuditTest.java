package io.carebus.fhir.smart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

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

    /** A POST kick-off naming its patient in the Parameters body is found by that patient. */
    @Test
    void aPostExportKickOffIsFoundByThePatientOfItsParametersBody() {
        String patient = putPatient("audit-post-export-" + UUID.randomUUID());
        String bearer = "Bearer " + backendToken("system/*.rs");
        HttpResponse<String> kickOff = send(HttpRequest.newBuilder(URI.create(fhirBase() + "/Patient/$export"))
                .header("Authorization", bearer).header("Accept", "application/fhir+json")
                .header("Content-Type", "application/fhir+json").header("Prefer", "respond-async")
                .POST(HttpRequest.BodyPublishers.ofString("{\"resourceType\":\"Parameters\",\"parameter\":["
                        + "{\"name\":\"_type\",\"valueString\":\"Patient\"},"
                        + "{\"name\":\"patient\",\"valueReference\":{\"reference\":\"Patient/" + patient
                        + "\"}}]}"))
                .build());
        assertThat(kickOff.statusCode()).as(kickOff.body()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).untilAsserted(() ->
                assertThat(events("patient=" + patient)).filteredOn(e -> e.toString().contains("$export"))
                        .singleElement().satisfies(e -> {
                            assertThat(e.path("outcome").asText()).isEqualTo("0");
                            assertThat(e.toString()).contains(SmartTestClients.BACKEND);
                        }));
    }

    /** A Group kick-off is found by each Patient member of the Group, and names the Group. */
    @Test
    void aGroupExportKickOffIsFoundByEachMember() {
        String run = UUID.randomUUID().toString();
        String ann = putPatient("audit-group-ann-" + run);
        String bob = putPatient("audit-group-bob-" + run);
        String group = "audit-group-" + run;
        assertThat(send("PUT", "Group/" + group, engineer(), "{\"resourceType\":\"Group\",\"id\":\"" + group
                + "\",\"type\":\"person\",\"actual\":true,\"member\":["
                + "{\"entity\":{\"reference\":\"Patient/" + ann + "\"}},"
                + "{\"entity\":{\"reference\":\"Patient/" + bob + "\"},\"inactive\":true}]}").statusCode())
                .isIn(200, 201);
        String bearer = "Bearer " + backendToken("system/*.rs");
        HttpResponse<String> kickOff = send(HttpRequest.newBuilder(
                        URI.create(fhirBase() + "/Group/" + group + "/$export?_type=Patient"))
                .header("Authorization", bearer).header("Accept", "application/fhir+json")
                .header("Prefer", "respond-async").GET().build());
        assertThat(kickOff.statusCode()).as(kickOff.body()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            for (String member : List.of(ann, bob)) {
                assertThat(events("client=" + SmartTestClients.BACKEND + "&patient=" + member))
                        .filteredOn(e -> e.toString().contains("$export")).singleElement()
                        .satisfies(e -> assertThat(e.toString()).contains("Group/" + group));
            }
        });
    }

    /** A system-level kick-off names no patient and says it is a system export. */
    @Test
    void aSystemExportKickOffSaysSo() {
        String bearer = "Bearer " + backendToken("system/*.rs");
        String marker = UUID.randomUUID().toString();
        String type = "&_typeFilter=" + URLEncoder.encode("Patient?_id=" + marker, StandardCharsets.UTF_8);
        HttpResponse<String> kickOff = send(HttpRequest.newBuilder(URI.create(fhirBase() + "/$export?_type=Patient"
                        + type))
                .header("Authorization", bearer).header("Accept", "application/fhir+json")
                .header("Prefer", "respond-async").GET().build());
        assertThat(kickOff.statusCode()).as(kickOff.body()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).untilAsserted(() ->
                assertThat(events("client=" + SmartTestClients.BACKEND))
                        .filteredOn(e -> e.toString().contains(marker))
                        .singleElement().satisfies(e -> {
                            assertThat(e.toString()).contains("system export");
                            assertThat(e.path("entity").findValues("role")).noneMatch(
                                    role -> role.path("code").asText().equals("1"));
                        }));
    }

    /**
     * A read or a search in a batch or transaction is one access, and leaves one AuditEvent, as the same request
     * alone does: the client, the patient, what was read or searched, the outcome. A history entry, too.
     */
    @Test
    void eachReadAndSearchOfABatchOrTransactionIsAuditedOnce() {
        String bearer = "Bearer " + backendToken("system/*.rs");
        for (String type : List.of("batch", "transaction")) {
            String read = putPatient("audit-" + type + "-read-" + UUID.randomUUID());
            String searched = putPatient("audit-" + type + "-search-" + UUID.randomUUID());
            String history = putPatient("audit-" + type + "-history-" + UUID.randomUUID());
            assertThat(send("POST", "Observation", engineer(), "{\"resourceType\":\"Observation\",\"status\":\"final\","
                    + "\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"8867-4\"}]},"
                    + "\"subject\":{\"reference\":\"Patient/" + searched + "\"},\"valueQuantity\":{\"value\":72}}")
                    .statusCode()).isEqualTo(201);
            HttpResponse<String> bundle = send("POST", "", bearer, "{\"resourceType\":\"Bundle\",\"type\":\"" + type
                    + "\",\"entry\":[{\"request\":{\"method\":\"GET\",\"url\":\"Patient/" + read + "\"}},"
                    + "{\"request\":{\"method\":\"GET\",\"url\":\"Observation?patient=" + searched + "\"}},"
                    + "{\"request\":{\"method\":\"GET\",\"url\":\"Patient/" + history + "/_history\"}}]}");
            assertThat(bundle.statusCode()).as(bundle.body()).isEqualTo(200);
            assertThat(bundle.body()).contains(read).contains("8867-4").contains(history);
            // one writer stores the events in the order they were recorded: once a later read's event is there,
            // every event of the Bundle is
            String marker = putPatient("audit-" + type + "-marker-" + UUID.randomUUID());
            assertThat(send("GET", "Patient/" + marker, bearer, null).statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() ->
                    !events("client=" + SmartTestClients.BACKEND + "&patient=" + marker).isEmpty());

            assertThat(events("client=" + SmartTestClients.BACKEND + "&patient=" + read)).as(type).singleElement()
                    .satisfies(e -> {
                        assertThat(e.path("subtype").path(0).path("code").asText()).isEqualTo("read");
                        assertThat(e.path("outcome").asText()).isEqualTo("0");
                        assertThat(e.toString()).contains("Patient/" + read);
                    });
            assertThat(events("client=" + SmartTestClients.BACKEND + "&patient=" + searched)).as(type).singleElement()
                    .satisfies(e -> {
                        assertThat(e.path("subtype").path(0).path("code").asText()).isEqualTo("search-type");
                        assertThat(e.path("outcome").asText()).isEqualTo("0");
                        assertThat(e.toString()).contains("Observation?patient=" + searched);
                    });
            assertThat(events("client=" + SmartTestClients.BACKEND + "&patient=" + history)).as(type).singleElement()
                    .satisfies(e -> assertThat(e.toString()).contains("Patient/" + history + "/_history"));
        }
    }

    private String putPatient(String id) {
        assertThat(send("PUT", "Patient/" + id, engineer(), "{\"resourceType\":\"Patient\",\"id\":\"" + id
                + "\",\"name\":[{\"family\":\"Exported\"}]}").statusCode()).isIn(200, 201);
        return id;
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
