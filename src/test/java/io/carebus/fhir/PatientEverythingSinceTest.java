package io.carebus.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BasicAuthInterceptor;
import io.carebus.support.EngineTestBase;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * {@code Patient/[id]/$everything} with {@code _since} (FHIR R4 OperationDefinition Patient-everything: "Resources
 * updated after this period will be included in the response"), over real HTTP.
 */
class PatientEverythingSinceTest extends EngineTestBase {

    @LocalServerPort
    int port;
    @Autowired
    FhirContext fhirContext;

    IGenericClient client;

    @BeforeEach
    void client() {
        fhirContext.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        client = fhirContext.newRestfulGenericClient("http://localhost:" + port + "/fhir");
        client.registerInterceptor(new BasicAuthInterceptor("engineer", ENGINEER_PASSWORD));
    }

    @Test
    void onlyWhatChangedSinceIsReturned() {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem("urn:carebus:test:mrn").setValue(UUID.randomUUID().toString());
        patient.addName().setFamily("Since");
        IdType patientId = ((IdType) client.create().resource(patient).execute().getId()).toUnqualifiedVersionless();
        IdType before = create(observation(patientId, 60));
        Encounter encounter = new Encounter().setStatus(Encounter.EncounterStatus.INPROGRESS)
                .setSubject(new Reference(patientId));
        encounter.setClass_(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "IMP", "inpatient"));
        IdType encounterId = create(encounter);

        Instant since = lastUpdated(client.read().resource(Encounter.class).withId(encounterId).execute())
                .plusMillis(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> Instant.now().isAfter(since));
        IdType after = create(observation(patientId, 61));
        encounter.setId(encounterId);
        client.update().resource(encounter.setStatus(Encounter.EncounterStatus.FINISHED)).execute();

        String sinceParam = new InstantType(java.util.Date.from(since)).getValueAsString();
        List<String> everything = everything(patientId, "");
        assertThat(everything).contains(patientId.getValue(), before.getValue(), after.getValue(),
                encounterId.getValue());
        List<String> changed = everything(patientId, "_since=" + sinceParam.replace("+", "%2B"));
        assertThat(changed).containsExactlyInAnyOrder(after.getValue(), encounterId.getValue());
        // page by page (saved-search paging): the same resources, the page links carrying _since on
        Bundle first = client.search().byUrl(everythingUrl(patientId) + "?_since=" + sinceParam.replace("+", "%2B")
                + "&_count=1").returnBundle(Bundle.class).execute();
        assertThat(first.getLink(Bundle.LINK_NEXT).getUrl()).contains("_getpages=").contains("_since=");
        assertThat(everything(patientId, "_since=" + sinceParam.replace("+", "%2B") + "&_count=1"))
                .containsExactlyInAnyOrder(after.getValue(), encounterId.getValue());
    }

    /** The versionless ids of every resource of every page of Patient/[id]/$everything?{query}. */
    private List<String> everything(IdType patient, String query) {
        List<String> ids = new ArrayList<>();
        Bundle page = client.search().byUrl(everythingUrl(patient) + (query.isEmpty() ? "" : "?" + query))
                .returnBundle(Bundle.class).execute();
        while (true) {
            page.getEntry().forEach(e -> ids.add(e.getResource().getIdElement().toUnqualifiedVersionless().getValue()));
            if (page.getLink(Bundle.LINK_NEXT) == null) {
                return ids;
            }
            page = client.loadPage().next(page).execute();
        }
    }

    @Test
    void aSinceThatIsNotAnInstantIsRefused() throws Exception {
        Patient patient = new Patient();
        patient.addName().setFamily("Since");
        IdType patientId = ((IdType) client.create().resource(patient).execute().getId()).toUnqualifiedVersionless();
        java.net.http.HttpResponse<String> answer = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(everythingUrl(patientId) + "?_since=yesterday"))
                        .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                                ("engineer:" + ENGINEER_PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("OperationOutcome").contains("_since must be an instant");
    }

    private String everythingUrl(IdType patient) {
        return "http://localhost:" + port + "/fhir/" + patient.getValue() + "/$everything";
    }

    private IdType create(org.hl7.fhir.r4.model.Resource resource) {
        return ((IdType) client.create().resource(resource).execute().getId()).toUnqualifiedVersionless();
    }

    private static Instant lastUpdated(org.hl7.fhir.r4.model.Resource resource) {
        return resource.getMeta().getLastUpdated().toInstant();
    }

    private static Observation observation(IdType patient, int value) {
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.addCategory(new CodeableConcept(new Coding(
                "http://terminology.hl7.org/CodeSystem/observation-category", "vital-signs", "Vital Signs")));
        observation.setCode(new CodeableConcept(new Coding("http://loinc.org", "8867-4", "Heart rate")));
        observation.setSubject(new Reference(patient));
        observation.setValue(new org.hl7.fhir.r4.model.Quantity().setValue(value).setUnit("/min")
                .setSystem("http://unitsofmeasure.org").setCode("/min"));
        return observation;
    }
}
