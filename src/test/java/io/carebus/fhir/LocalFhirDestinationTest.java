package io.carebus.fhir;

import static io.carebus.support.MllpClient.field;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import io.carebus.support.EngineTestBase;
import io.carebus.support.MllpClient;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The spine's FHIR destination pointed at the engine's own FHIR server ("local"): HL7 v2 in, FHIR resources stored. */
class LocalFhirDestinationTest extends EngineTestBase {

    @Autowired
    DaoRegistry daos;
    @Autowired
    io.carebus.journal.JournalRepository journal;
    @Autowired
    io.carebus.journal.JournalReplay replay;

    @Test
    void anAdmissionOverMllpIsStoredInTheEnginesOwnFhirServer() throws Exception {
        String controlId = "LF" + UUID.randomUUID().toString().substring(0, 12);
        String mrn = "MRN-" + controlId;
        long journalId = admit(controlId, mrn);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(journal.deliveries(journalId))
                .anySatisfy(d -> {
                    assertThat(d.destination()).isEqualTo("fhir-store");
                    assertThat(d.status()).as(String.valueOf(d.error())).isEqualTo("delivered");
                }));
        SearchParameterMap byMrn = SearchParameterMap.newSynchronous("identifier",
                new TokenParam("urn:carebus:id:HOSP", mrn));                                     // PID-3.1 / PID-3.4
        await().atMost(Duration.ofSeconds(30)).until(() ->
                daos.getResourceDao(Patient.class).search(byMrn, new SystemRequestDetails()).size() == 1);
        Patient stored = (Patient) daos.getResourceDao(Patient.class).search(byMrn, new SystemRequestDetails())
                .getResources(0, 1).get(0);
        assertThat(stored.getNameFirstRep().getFamily()).isEqualTo("DOE");                       // PID-5.1
        SearchParameterMap encounters = SearchParameterMap.newSynchronous("subject",
                new ca.uhn.fhir.rest.param.ReferenceParam(stored.getIdElement().toUnqualifiedVersionless().getValue()));
        assertThat(daos.getResourceDao(Encounter.class).search(encounters, new SystemRequestDetails()).size())
                .isEqualTo(1);                                                                     // PV1

        // a later message for the same patient (a name change) updates the same Patient, never duplicates it
        String again = "LF" + UUID.randomUUID().toString().substring(0, 12);
        try (MllpClient client = new MllpClient(MLLP_PORT)) {
            assertThat(field(client.send(adt(again, mrn).replace("DOE^JANE", "ROE^JANE")), "MSA", 1)).isEqualTo("AA");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> daos.getResourceDao(Patient.class)
                .read(stored.getIdElement().toUnqualifiedVersionless(), new SystemRequestDetails())
                .getNameFirstRep().getFamily().equals("ROE"));
        assertThat(daos.getResourceDao(Patient.class).search(byMrn, new SystemRequestDetails()).size()).isEqualTo(1);
    }

    /** Sends an admission over MLLP and returns its journal id once it is journaled. */
    private long admit(String controlId, String mrn) throws Exception {
        try (MllpClient client = new MllpClient(MLLP_PORT)) {
            assertThat(field(client.send(adt(controlId, mrn)), "MSA", 1)).isEqualTo("AA");
        }
        return await().atMost(Duration.ofSeconds(20)).until(() -> journal.search(
                new io.carebus.journal.JournalSearch(null, null, null, controlId, null, null, null, null, 1)),
                found -> !found.isEmpty()).get(0).id();
    }

    /**
     * A replayed message (or a redelivery after the store committed but before the delivery was recorded) stores
     * the same resources again, never a second copy: here an admission whose PV1 has no visit number (PV1-19), so
     * its Encounter has no business identifier to be matched on, and the Provenance of the message.
     */
    @Test
    void aReplayedAdmissionDuplicatesNothing() throws Exception {
        String controlId = "LR" + UUID.randomUUID().toString().substring(0, 12);
        String mrn = "MRN-" + controlId;
        long journalId = admit(controlId, mrn);
        awaitStored(journalId);
        SearchParameterMap byMrn = SearchParameterMap.newSynchronous("identifier",
                new TokenParam("urn:carebus:id:HOSP", mrn));
        Patient stored = (Patient) daos.getResourceDao(Patient.class).search(byMrn, new SystemRequestDetails())
                .getResources(0, 1).get(0);
        String patient = stored.getIdElement().toUnqualifiedVersionless().getValue();

        awaitStored(replay.replay(journalId));

        assertThat(daos.getResourceDao(Patient.class).search(byMrn, new SystemRequestDetails()).size()).isEqualTo(1);
        assertThat(daos.getResourceDao(Encounter.class).search(SearchParameterMap.newSynchronous("subject",
                new ca.uhn.fhir.rest.param.ReferenceParam(patient)), new SystemRequestDetails()).size()).isEqualTo(1);
        assertThat(daos.getResourceDao(org.hl7.fhir.r4.model.Provenance.class).search(SearchParameterMap
                .newSynchronous("target", new ca.uhn.fhir.rest.param.ReferenceParam(patient)),
                new SystemRequestDetails()).size()).isEqualTo(1);
    }

    private void awaitStored(long journalId) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(journal.deliveries(journalId))
                .anySatisfy(d -> {
                    assertThat(d.destination()).isEqualTo("fhir-store");
                    assertThat(d.status()).as(String.valueOf(d.error())).isEqualTo("delivered");
                }));
    }
}
