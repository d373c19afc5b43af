package io.carebus.routing;

import static io.carebus.support.MllpClient.field;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.exceptions.UnclassifiedServerFailureException;
import io.carebus.journal.JournalRepository;
import io.carebus.journal.JournalSearch;
import io.carebus.support.EngineTestBase;
import io.carebus.support.KafkaSendFailures;
import io.carebus.support.MllpClient;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.hl7.fhir.instance.model.api.IBaseBundle;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * One patient's messages reach each FHIR and Kafka destination in the order they arrived when a delivery fails and
 * is retried. The patient's first message fails its first two deliveries (a send and its two quick retries each);
 * the second message arrives while the first one waits for its third and last delivery (the test configuration:
 * back-off 100 ms doubling, three attempts), which succeeds. A redelivery delay kept by the broker would hand the
 * second message over first (ARTEMIS-2417).
 */
class DestinationRetryOrderTest extends EngineTestBase {

    @Autowired
    JournalRepository journal;
    @Autowired
    IInterceptorService storageInterceptors;

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    private void send(String controlId, String patientId) throws Exception {
        try (MllpClient client = new MllpClient(MLLP_PORT)) {
            assertThat(field(client.send(adt(controlId, patientId)), "MSA", 1)).isEqualTo("AA");
        }
    }

    /**
     * Sends the first message, which {@code destination} fails until {@code recover} runs; once its second delivery
     * has failed, recovers the destination and sends the second message, which then arrives during the first one's
     * back-off.
     */
    private void sendSecondDuringTheFirstsBackOff(String destination, String first, String second, String patient,
                                                  Runnable recover) throws Exception {
        send(first, patient);
        long id = await().atMost(Duration.ofSeconds(20)).until(() -> journal.search(
                new JournalSearch(null, null, null, first, null, null, null, null, 1)), l -> !l.isEmpty()).get(0).id();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                .until(() -> journal.deliveries(id).stream().anyMatch(d -> d.destination().equals(destination)
                        && d.status().equals("error") && d.attempts() >= 2));
        recover.run();
        send(second, patient);
    }

    /** The control ids {@code first} and {@code second} in the order their bodies appear. */
    private static List<String> inOrder(List<String> bodies, String first, String second) {
        return bodies.stream().map(body -> body.contains(first) ? first : body.contains(second) ? second : null)
                .filter(Objects::nonNull).toList();
    }

    @Test
    void aFhirServersRetriedTransactionComesBeforeThePatientsNextOne() throws Exception {
        String first = "FA1" + run;
        String second = "FA2" + run;
        FHIR_SERVER.answer(first, 503);

        sendSecondDuringTheFirstsBackOff("fhir-server", first, second, "ORDF-" + run,
                () -> FHIR_SERVER.answer(first, 200));

        await().atMost(Duration.ofSeconds(30))
                .until(() -> inOrder(FHIR_SERVER.accepted(), first, second).size() >= 2);
        assertThat(inOrder(FHIR_SERVER.accepted(), first, second)).containsExactly(first, second);
    }

    /** Fails the engine's own FHIR server's transactions of one message while {@link #failing} is set. */
    @Interceptor
    public static class FailingTransactions {
        private final String controlId;
        private final AtomicBoolean failing = new AtomicBoolean(true);
        private final List<String> stored = new CopyOnWriteArrayList<>();

        FailingTransactions(String controlId) {
            this.controlId = controlId;
        }

        // the transaction Bundle's identifier is the message's MSH-10 (BundleAssembler)
        @Hook(Pointcut.STORAGE_TRANSACTION_PROCESSING)
        public void processing(IBaseBundle bundle) {
            String id = ((Bundle) bundle).getIdentifier().getValue();
            if (controlId.equals(id) && failing.get()) {
                throw new UnclassifiedServerFailureException(503, "storage unavailable");
            }
            stored.add(String.valueOf(id));
        }
    }

    @Test
    void theLocalFhirStoresRetriedTransactionComesBeforeThePatientsNextOne() throws Exception {
        String first = "FL1" + run;
        String second = "FL2" + run;
        FailingTransactions storage = new FailingTransactions(first);
        storageInterceptors.registerInterceptor(storage);
        try {
            sendSecondDuringTheFirstsBackOff("fhir-store", first, second, "ORDL-" + run,
                    () -> storage.failing.set(false));

            await().atMost(Duration.ofSeconds(30)).until(() -> inOrder(storage.stored, first, second).size() >= 2);
            assertThat(inOrder(storage.stored, first, second)).containsExactly(first, second);
        } finally {
            storageInterceptors.unregisterInterceptor(storage);
        }
    }

    @Test
    void aRetriedKafkaPublishComesBeforeThePatientsNextOne() throws Exception {
        assertKafkaOrder("events", EVENTS_TOPIC, "KA");
    }

    @Test
    void aRetriedFhirEventComesBeforeThePatientsNextOne() throws Exception {
        assertKafkaOrder("fhir-events", FHIR_EVENTS_TOPIC, "KF");
    }

    private void assertKafkaOrder(String destination, String topic, String prefix) throws Exception {
        String first = prefix + "1" + run;
        String second = prefix + "2" + run;
        KafkaSendFailures.fail(topic, first);
        try {
            sendSecondDuringTheFirstsBackOff(destination, first, second, "ORD" + prefix + "-" + run,
                    () -> KafkaSendFailures.recover(topic, first));
        } finally {
            KafkaSendFailures.recover(topic, first);
        }

        List<String> published = new CopyOnWriteArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.getBrokersAsString(),
                ConsumerConfig.GROUP_ID_CONFIG, "order-" + prefix + run,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200))
                        .forEach(r -> published.add(new String(r.value(), StandardCharsets.UTF_8)));
                return inOrder(published, first, second).size() >= 2;
            });
        }
        assertThat(inOrder(published, first, second)).containsExactly(first, second);
    }
}
