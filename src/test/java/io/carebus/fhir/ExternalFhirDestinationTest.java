package io.carebus.fhir;

import static io.carebus.support.MllpClient.field;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import io.carebus.conversion.spine.ReplaySafeEntries;
import io.carebus.journal.JournalReplay;
import io.carebus.journal.JournalRepository;
import io.carebus.journal.JournalSearch;
import io.carebus.routing.DeadLetters;
import io.carebus.support.EngineTestBase;
import io.carebus.support.MllpClient;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Provenance;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The spine's FHIR destination pointed at an external FHIR server by URL: here the engine's own {@code /fhir} over
 * HTTP, a real HAPI JPA server. A replayed message (or one redelivered after the server committed) creates nothing
 * twice, also for the entries without a business identifier: an Encounter whose PV1 has no visit number (PV1-19)
 * and the message's Provenance. The destinations sign in with {@code auth.type basic} or {@code smart-backend}
 * (a token from the engine's own SMART token endpoint).
 */
class ExternalFhirDestinationTest extends EngineTestBase {

    @Autowired
    DaoRegistry daos;
    @Autowired
    JournalRepository journal;
    @Autowired
    JournalReplay replay;
    @Autowired
    DeadLetters deadLetters;

    @Test
    void aReplayedMessageCreatesNothingTwiceOnAServerThatAssignsItsOwnIds() throws Exception {
        String patient = sendTwice(EXTERNAL_FHIR_SENDER, "fhir-external");

        List<IBaseResource> encounters = encountersOf(patient);
        assertThat(encounters).hasSize(1);
        // the key travels as a URI identifier, the conditional create's match
        assertThat(((Encounter) encounters.get(0)).getIdentifier()).extracting(Identifier::getSystem)
                .contains(ReplaySafeEntries.URI_IDENTIFIER_SYSTEM);
        // Provenance has no identifier element: the key is a tag
        List<IBaseResource> provenances = provenancesOf(patient);
        assertThat(provenances).hasSize(1);
        assertThat(((Provenance) provenances.get(0)).getMeta().getTag()).extracting(t -> t.getSystem())
                .contains(ReplaySafeEntries.ENTRY_TAG_SYSTEM);
    }

    @Test
    void aReplayedMessageCreatesNothingTwiceOnAServerThatTakesClientIds() throws Exception {
        String patient = sendTwice(EXTERNAL_FHIR_IDS_SENDER, "fhir-external-ids");

        List<IBaseResource> encounters = encountersOf(patient);
        assertThat(encounters).hasSize(1);
        assertThat(((Encounter) encounters.get(0)).getIdentifier()).isEmpty();   // stored as PUT Encounter/<key>
        assertThat(provenancesOf(patient)).hasSize(1);
    }

    @Test
    void aSmartBackendDestinationDeliversWithATokenSignedRs384() throws Exception {
        deliveredWithToken(SMART_FHIR_SENDER, "fhir-external-smart");
    }

    @Test
    void aSmartBackendDestinationDeliversWithATokenSignedEs384() throws Exception {
        deliveredWithToken(SMART_EC_FHIR_SENDER, "fhir-external-smart-ec");
    }

    @Test
    void aKeyTheClientDidNotRegisterIsRefusedAndTheMessageIsDeadLetteredNotLost() throws Exception {
        String controlId = "XK" + UUID.randomUUID().toString().substring(0, 12);
        String mrn = "MRN-" + controlId;
        long journalId = send(labResult(SMART_WRONG_KEY_FHIR_SENDER, controlId, mrn), controlId);
        String destination = "fhir-external-smart-wrong-key";
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(journal.deliveries(journalId))
                .anySatisfy(d -> {
                    assertThat(d.destination()).isEqualTo(destination);
                    assertThat(d.status()).isEqualTo("dead");
                }));
        JournalRepository.Delivery dead = journal.deliveries(journalId).stream()
                .filter(d -> d.destination().equals(destination)).findFirst().orElseThrow();
        // retried as a failure of the server's side, then dead-lettered: 3 attempts (EngineTestBase)
        assertThat(dead.attempts()).isEqualTo(3);
        assertThat(dead.error()).contains("TokenRequestException").contains("401").contains("invalid_client")
                .doesNotContain("eyJ");   // no assertion or token in the journal
        await().atMost(Duration.ofSeconds(10)).until(() -> deadLetters.list("DLQ.carebus.out." + destination, 1000)
                .stream().anyMatch(d -> controlId.equals(d.controlId())));
        assertThat(patientsWithMrn(mrn)).isEmpty();
    }

    /** /fhir takes no request without credentials: delivered means the bearer token was accepted. */
    private void deliveredWithToken(String sender, String destination) throws Exception {
        String controlId = "XS" + UUID.randomUUID().toString().substring(0, 12);
        String mrn = "MRN-" + controlId;
        long journalId = send(labResult(sender, controlId, mrn), controlId);
        awaitDelivered(journalId, destination);
        List<IBaseResource> patients = patientsWithMrn(mrn);
        assertThat(patients).hasSize(1);
        String patient = patients.get(0).getIdElement().toUnqualifiedVersionless().getValue();
        assertThat(encountersOf(patient)).hasSize(1);
        assertThat(provenancesOf(patient)).hasSize(1);
    }

    private long send(String message, String controlId) throws Exception {
        try (MllpClient client = new MllpClient(MLLP_PORT)) {
            assertThat(field(client.send(message), "MSA", 1)).isEqualTo("AA");
        }
        return await().atMost(Duration.ofSeconds(20)).until(() -> journal.search(
                new JournalSearch(null, null, null, controlId, null, null, null, null, 1)),
                found -> !found.isEmpty()).get(0).id();
    }

    private List<IBaseResource> patientsWithMrn(String mrn) {
        SearchParameterMap byMrn = SearchParameterMap.newSynchronous("identifier",
                new TokenParam("urn:carebus:id:HOSP", mrn));
        return daos.getResourceDao(Patient.class).search(byMrn, new SystemRequestDetails()).getResources(0, 10);
    }

    /** Sends a lab result during an inpatient stay, then replays it; returns the patient's reference. */
    private String sendTwice(String sender, String destination) throws Exception {
        String controlId = "XF" + UUID.randomUUID().toString().substring(0, 12);
        String mrn = "MRN-" + controlId;
        try (MllpClient client = new MllpClient(MLLP_PORT)) {
            assertThat(field(client.send(labResult(sender, controlId, mrn)), "MSA", 1)).isEqualTo("AA");
        }
        long journalId = await().atMost(Duration.ofSeconds(20)).until(() -> journal.search(
                new JournalSearch(null, null, null, controlId, null, null, null, null, 1)),
                found -> !found.isEmpty()).get(0).id();
        awaitDelivered(journalId, destination);
        awaitDelivered(replay.replay(journalId), destination);

        SearchParameterMap byMrn = SearchParameterMap.newSynchronous("identifier",
                new TokenParam("urn:carebus:id:HOSP", mrn));
        List<IBaseResource> patients = daos.getResourceDao(Patient.class).search(byMrn, new SystemRequestDetails())
                .getResources(0, 10);
        assertThat(patients).hasSize(1);
        return patients.get(0).getIdElement().toUnqualifiedVersionless().getValue();
    }

    private List<IBaseResource> encountersOf(String patient) {
        return daos.getResourceDao(Encounter.class).search(SearchParameterMap.newSynchronous("subject",
                new ReferenceParam(patient)), new SystemRequestDetails()).getResources(0, 10);
    }

    private List<IBaseResource> provenancesOf(String patient) {
        return daos.getResourceDao(Provenance.class).search(SearchParameterMap.newSynchronous("target",
                new ReferenceParam(patient)), new SystemRequestDetails()).getResources(0, 10);
    }

    private void awaitDelivered(long journalId, String destination) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(journal.deliveries(journalId))
                .anySatisfy(d -> {
                    assertThat(d.destination()).isEqualTo(destination);
                    assertThat(d.status()).as(String.valueOf(d.error())).isEqualTo("delivered");
                }));
    }

    /** ORU^R01 whose PV1 has no visit number (PV1-19): its Encounter has no business identifier. */
    private static String labResult(String sender, String controlId, String mrn) {
        return "MSH|^~\\&|" + sender + "|HOSP|CAREBUS|PMS|20250315113000||ORU^R01^ORU_R01|" + controlId + "|P|2.5.1\r"
                + "PID|1||" + mrn + "^^^HOSP^MR||DOE^JANE||19800101|F\r"
                + "PV1|1|I|2000^2012^01\r"
                + "OBR|1||F-" + controlId + "|2345-7^Glucose^LN|||20250315110000\r"
                + "OBX|1|NM|2345-7^Glucose^LN||98|mg/dL|70-99||||F|||20250315110000\r";
    }
}
