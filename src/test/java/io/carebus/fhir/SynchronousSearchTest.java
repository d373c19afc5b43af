package io.carebus.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BasicAuthInterceptor;
import io.carebus.support.EngineTestBase;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/** REST searches answered by one query with _offset paging, without saving the search (synchronous-search). */
class SynchronousSearchTest extends EngineTestBase {

    @LocalServerPort
    int port;

    @Autowired
    FhirContext fhirContext;

    @Autowired
    JdbcTemplate jdbc;

    IGenericClient client;

    @BeforeEach
    void client() {
        fhirContext.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        client = fhirContext.newRestfulGenericClient("http://localhost:" + port + "/fhir");
        client.registerInterceptor(new BasicAuthInterceptor("engineer", ENGINEER_PASSWORD));
    }

    private long savedSearches() {
        return jdbc.queryForObject("select count(*) from hfj_search", Long.class);
    }

    @Test
    void plainSearchIsNotSavedAndPagesByOffset() {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem("urn:carebus:test:mrn").setValue(UUID.randomUUID().toString());
        IdType patientId = (IdType) client.create().resource(patient).execute().getId().toUnqualifiedVersionless();
        for (String code : new String[] {"2339-0", "718-7", "2160-0"}) {
            Observation observation = new Observation();
            observation.setStatus(Observation.ObservationStatus.FINAL);
            observation.addCategory(new CodeableConcept(new Coding(
                    "http://terminology.hl7.org/CodeSystem/observation-category", "laboratory", null)));
            observation.setCode(new CodeableConcept(new Coding("http://loinc.org", code, null)));
            observation.setSubject(new Reference(patientId));
            client.create().resource(observation).execute();
        }

        long before = savedSearches();
        Bundle page1 = client.search().byUrl("Observation?patient=" + patientId.getIdPart()
                + "&category=laboratory&_count=2").returnBundle(Bundle.class).execute();
        assertThat(page1.getEntry()).hasSize(2);
        assertThat(page1.getLink(Bundle.LINK_NEXT).getUrl()).contains("_offset=2").doesNotContain("_getpages");
        Bundle page2 = client.loadPage().next(page1).execute();
        assertThat(page2.getEntry()).hasSize(1);
        assertThat(page2.getLink(Bundle.LINK_NEXT)).isNull();
        assertThat(savedSearches()).isEqualTo(before);

        // _include keeps HAPI's saved search (its pages mix matches and included resources)
        Bundle included = client.search().byUrl("Observation?patient=" + patientId.getIdPart()
                + "&_include=Observation:subject&_count=2").returnBundle(Bundle.class).execute();
        assertThat(included.getEntry()).anyMatch(e -> e.getResource() instanceof Patient);
        assertThat(savedSearches()).isGreaterThan(before);
    }
}
