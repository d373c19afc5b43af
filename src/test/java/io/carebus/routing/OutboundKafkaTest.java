package io.carebus.routing;

import static io.carebus.support.MllpClient.field;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.carebus.journal.JournalRepository;
import io.carebus.journal.JournalSearch;
import io.carebus.support.EngineTestBase;
import io.carebus.support.MllpClient;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The Kafka destination: every routed message is published, keyed by the patient hash, never by the identifier. */
class OutboundKafkaTest extends EngineTestBase {

    @Autowired
    JournalRepository journal;

    @Test
    void messagesArePublishedKeyedByPatientHash() throws Exception {
        String controlId = "KF" + UUID.randomUUID().toString().substring(0, 12);
        String patient = "MRN-" + controlId;
        try (MllpClient client = new MllpClient(MLLP_PORT)) {
            assertThat(field(client.send(adt(controlId, patient)), "MSA", 1)).isEqualTo("AA");
        }
        String patientKey = journal.search(new JournalSearch(null, null, null, controlId, null, null, null, null, 1))
                .get(0).patientKey();

        List<ConsumerRecord<String, byte[]>> records = new CopyOnWriteArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.getBrokersAsString(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + controlId,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(EVENTS_TOPIC));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.stream().anyMatch(r -> new String(r.value()).contains(controlId));
            });
        }
        ConsumerRecord<String, byte[]> record = records.stream()
                .filter(r -> new String(r.value()).contains(controlId)).findFirst().orElseThrow();
        assertThat(record.key()).isEqualTo(patientKey).doesNotContain(patient);
        assertThat(new String(record.value())).isEqualTo(adt(controlId, patient));
        long id = journal.search(new JournalSearch(null, null, null, controlId, null, null, null, null, 1)).get(0).id();
        await().atMost(Duration.ofSeconds(10)).until(() -> journal.deliveries(id).stream()
                .anyMatch(d -> d.destination().equals("events") && d.status().equals("delivered")));
    }
}
