package io.carebus.routing;

import static io.carebus.support.MllpClient.field;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import io.carebus.journal.JournalRepository;
import io.carebus.journal.JournalSearch;
import io.carebus.support.EngineTestBase;
import io.carebus.support.MllpClient;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A FHIR destination's refusal that no retry can change goes to the dead letters at its first attempt, with the
 * reason in the journal; what may pass later is retried up to carebus.queues.max-delivery-attempts (3 here).
 */
@ExtendWith(OutputCaptureExtension.class)
class FhirRefusalDeliveryTest extends EngineTestBase {

    @Autowired
    JournalRepository journal;
    @Autowired
    DeadLetters deadLetters;
    @Autowired
    DaoRegistry daos;

    @Test
    void anExternalServersUnprocessableEntityIsDeadLetteredAtOnce() throws Exception {
        String controlId = "RF" + UUID.randomUUID().toString().substring(0, 12);
        FHIR_SERVER.answer(controlId, 422);

        JournalRepository.Delivery dead = awaitDead(send(controlId, "MRN-" + controlId), "fhir-server");

        assertThat(dead.attempts()).isEqualTo(1);
        assertThat(dead.error()).contains("422").contains("refused with 422");
        assertThat(FHIR_SERVER.received().stream().filter(b -> b.contains(controlId)).count()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> deadLetters.list("DLQ.carebus.out.fhir-server", 1000)
                .stream().anyMatch(d -> controlId.equals(d.controlId())));
    }

    @Test
    void anExternalServersUnavailableIsRetriedToTheLastAttempt() throws Exception {
        String controlId = "RU" + UUID.randomUUID().toString().substring(0, 12);
        FHIR_SERVER.answer(controlId, 503);

        JournalRepository.Delivery dead = awaitDead(send(controlId, "MRN-" + controlId), "fhir-server");

        assertThat(dead.attempts()).isEqualTo(3);
        assertThat(dead.error()).contains("503");
    }

    /** FHIR R4 http.html#cond-update: a conditional update that matches two resources is refused with 412. */
    @Test
    void theLocalStoresPreconditionFailedIsDeadLetteredAtOnce(CapturedOutput output) throws Exception {
        String controlId = "RP" + UUID.randomUUID().toString().substring(0, 12);
        String mrn = "MRN-" + controlId;
        for (int i = 0; i < 2; i++) {
            Patient twin = new Patient();
            twin.addIdentifier().setSystem("urn:carebus:id:HOSP").setValue(mrn);
            daos.getResourceDao(Patient.class).create(twin, new SystemRequestDetails());
        }

        JournalRepository.Delivery dead = awaitDead(send(controlId, mrn), "fhir-store");

        assertThat(dead.attempts()).isEqualTo(1);
        assertThat(dead.error()).contains("PreconditionFailedException").contains(mrn);
        assertThat(output.getAll()).as("HAPI's reason quotes the identifier: journal only, never the log")
                .contains("controlId=" + controlId).doesNotContain(mrn);
        await().atMost(Duration.ofSeconds(10)).until(() -> deadLetters.list("DLQ.carebus.out.fhir-store", 1000)
                .stream().anyMatch(d -> controlId.equals(d.controlId())));
    }

    private long send(String controlId, String mrn) throws Exception {
        try (MllpClient client = new MllpClient(MLLP_PORT)) {
            assertThat(field(client.send(adt(controlId, mrn)), "MSA", 1)).isEqualTo("AA");
        }
        return await().atMost(Duration.ofSeconds(20)).until(() -> journal.search(
                new JournalSearch(null, null, null, controlId, null, null, null, null, 1)), l -> !l.isEmpty())
                .get(0).id();
    }

    private JournalRepository.Delivery awaitDead(long journalId, String destination) {
        await().atMost(Duration.ofSeconds(60)).until(() -> journal.deliveries(journalId).stream()
                .anyMatch(d -> d.destination().equals(destination) && d.status().equals("dead")));
        return journal.deliveries(journalId).stream().filter(d -> d.destination().equals(destination))
                .findFirst().orElseThrow();
    }
}
