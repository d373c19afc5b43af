package io.carebus.conversion;

import static io.carebus.support.MllpClient.field;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import ca.uhn.fhir.context.FhirContext;
import io.carebus.journal.JournalRepository;
import io.carebus.journal.JournalSearch;
import io.carebus.routing.DeadLetters;
import io.carebus.support.EngineTestBase;
import io.carebus.support.MllpClient;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * HL7 v2 → FHIR in the running engine: the FHIR server destination gets the transaction Bundle, Kafka
 * carebus.fhir.events gets the same JSON, the MLLP downstream still gets the original v2; an unconvertible
 * message is dead-lettered with its reason; the /api/convert endpoints.
 */
class ConversionSpineTest extends EngineTestBase {

    @Autowired
    JournalRepository journal;
    @Autowired
    DeadLetters deadLetters;
    @Autowired
    TestRestTemplate http;
    @Autowired
    FhirContext fhirContext;

    @Test
    void anAdmissionReachesTheFhirServerAndTheFhirTopicAsATransactionBundle() throws Exception {
        String controlId = "FH" + UUID.randomUUID().toString().substring(0, 12);
        String patient = "MRN-" + controlId;
        try (MllpClient client = new MllpClient(MLLP_PORT)) {
            assertThat(field(client.send(adt(controlId, patient)), "MSA", 1)).isEqualTo("AA");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> FHIR_SERVER.received().stream().anyMatch(b -> b.contains(controlId)));
        String json = FHIR_SERVER.received().stream().filter(b -> b.contains(controlId)).findFirst().orElseThrow();
        assertThat(FHIR_SERVER.headerNames()).as("no internal header (journal id, patient hash) sent to the server")
                .noneMatch(h -> h.toLowerCase().startsWith("carebus") || h.toLowerCase().startsWith("jms"));
        Bundle bundle = fhirContext.newJsonParser().parseResource(Bundle.class, json);
        assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.TRANSACTION);
        Patient p = (Patient) bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(Patient.class::isInstance).findFirst().orElseThrow();
        assertThat(p.getIdentifierFirstRep().getValue()).isEqualTo(patient);                      // PID-3.1
        assertThat(p.getIdentifierFirstRep().getSystem()).isEqualTo("urn:carebus:id:HOSP");     // PID-3.4
        assertThat(bundle.getEntry().stream().filter(e -> e.getResource() == p).findFirst().orElseThrow()
                .getRequest().getUrl()).isEqualTo("Patient?identifier=urn%3Acarebus%3Aid%3AHOSP|" + patient);          // conditional update

        List<ConsumerRecord<String, String>> records = new CopyOnWriteArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.getBrokersAsString(),
                ConsumerConfig.GROUP_ID_CONFIG, "fhir-" + controlId,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(FHIR_EVENTS_TOPIC));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.stream().anyMatch(r -> r.value().contains(controlId));
            });
        }
        assertThat(records.stream().filter(r -> r.value().contains(controlId)).findFirst().orElseThrow().value())
                .startsWith("{\"resourceType\":\"Bundle\"").doesNotContain("MSH|");
        // the MLLP downstream gets the message as it came in
        await().atMost(Duration.ofSeconds(10)).until(() -> DOWNSTREAM.received().stream()
                .anyMatch(m -> m.equals(adt(controlId, patient))));
        long id = journal.search(new JournalSearch(null, null, null, controlId, null, null, null, null, 1)).get(0).id();
        await().atMost(Duration.ofSeconds(10)).until(() -> journal.deliveries(id).stream()
                .filter(d -> List.of("fhir-server", "fhir-events").contains(d.destination())
                        && d.status().equals("delivered")).count() == 2);
    }

    @Test
    void aMessageWithNothingToConvertIsDeadLetteredWithItsReason() throws Exception {
        String controlId = "FX" + UUID.randomUUID().toString().substring(0, 12);
        String message = "MSH|^~\\&|EHR|HOSP|CAREBUS|PMS|20250101120000||ADT^A01^ADT_A01|" + controlId + "|P|2.5.1\r"
                + "EVN|A01|20250101120000\r";
        try (MllpClient client = new MllpClient(MLLP_PORT)) {
            assertThat(field(client.send(message), "MSA", 1)).isEqualTo("AA");
        }
        long id = await().atMost(Duration.ofSeconds(20)).until(() -> journal.search(
                new JournalSearch(null, null, null, controlId, null, null, null, null, 1)), l -> !l.isEmpty()).get(0).id();
        await().atMost(Duration.ofSeconds(20)).until(() -> journal.deliveries(id).stream()
                .anyMatch(d -> d.destination().equals("fhir-server") && d.status().equals("dead")));
        JournalRepository.Delivery dead = journal.deliveries(id).stream()
                .filter(d -> d.destination().equals("fhir-server")).findFirst().orElseThrow();
        assertThat(dead.error()).contains("UnconvertibleMessageException").contains("nothing to convert");
        assertThat(dead.attempts()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> deadLetters.list("DLQ.carebus.out.fhir-server", 1000)
                .stream().anyMatch(d -> controlId.equals(d.controlId())));
        assertThat(FHIR_SERVER.received()).noneMatch(b -> b.contains(controlId));
    }

    @Test
    void theConvertEndpointsAnswerBundlesAndOperationOutcomes() {
        String er7 = adt("REST-1", "MRN-REST-1");
        HttpHeaders text = new HttpHeaders();
        text.setContentType(MediaType.TEXT_PLAIN);
        assertThat(http.postForEntity("/api/convert/hl7v2-to-fhir", new HttpEntity<>(er7, text), String.class)
                .getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);

        ResponseEntity<String> ok = http.withBasicAuth("analyst", ANALYST_PASSWORD)
                .postForEntity("/api/convert/hl7v2-to-fhir", new HttpEntity<>(er7, text), String.class);
        assertThat(ok.getStatusCode()).isEqualTo(HttpStatus.OK);
        Bundle bundle = fhirContext.newJsonParser().parseResource(Bundle.class, ok.getBody());
        assertThat(bundle.getIdentifier().getValue()).isEqualTo("REST-1");                      // MSH-10

        ResponseEntity<String> bad = http.withBasicAuth("engineer", ENGINEER_PASSWORD)
                .postForEntity("/api/convert/hl7v2-to-fhir", new HttpEntity<>("hello", text), String.class);
        assertThat(bad.getStatusCode()).isEqualTo(HttpStatus.UNPROCESSABLE_ENTITY);
        OperationOutcome outcome = fhirContext.newJsonParser().parseResource(OperationOutcome.class, bad.getBody());
        assertThat(outcome.getIssueFirstRep().getDiagnostics()).contains("no MSH segment");

        HttpHeaders json = new HttpHeaders();
        json.setContentType(MediaType.parseMediaType("application/fhir+json"));
        ResponseEntity<String> back = http.withBasicAuth("analyst", ANALYST_PASSWORD).postForEntity(
                "/api/convert/fhir-to-hl7v2?trigger=A04", new HttpEntity<>(ok.getBody(), json), String.class);
        assertThat(back.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(back.getBody()).startsWith("MSH|^~\\&|").contains("ADT^A04^ADT_A01")
                .contains("PID|1||MRN-REST-1^^^HOSP^MR||DOE^JANE||19800101|F");
        assertThat(new String(back.getBody().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).contains("\r");
    }
}
