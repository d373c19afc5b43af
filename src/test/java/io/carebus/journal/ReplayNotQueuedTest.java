package io.carebus.journal;

import static io.carebus.support.MllpClient.field;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.carebus.support.EngineTestBase;
import io.carebus.support.MllpClient;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/**
 * A replay the broker refuses to queue (here the ingress address is full and its policy is FAIL) is answered 503
 * and its new journal row says so, instead of reading {@code queued} for a message that is nowhere.
 */
class ReplayNotQueuedTest extends EngineTestBase {

    private static final String INGRESS = "carebus.ingress.hl7v2";
    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
    };

    @Autowired
    TestRestTemplate http;
    @Autowired
    JournalRepository journal;
    @Autowired
    EmbeddedActiveMQ embedded;

    @Test
    void aReplayTheBrokerRefusesIsAnErrorRowAndA503() throws Exception {
        String controlId = "NQ" + UUID.randomUUID().toString().substring(0, 12);
        try (MllpClient client = new MllpClient(MLLP_PORT)) {
            assertThat(field(client.send(adt(controlId, "MRN-" + controlId)), "MSA", 1)).isEqualTo("AA");
        }
        long original = await().atMost(Duration.ofSeconds(20)).until(() -> journal.search(
                new JournalSearch(null, null, null, controlId, null, null, null, null, 1)), l -> !l.isEmpty())
                .get(0).id();
        TestRestTemplate analyst = http.withBasicAuth("analyst", ANALYST_PASSWORD);
        String replay = "/api/journal/" + original + "/replay";

        ActiveMQServer broker = embedded.getActiveMQServer();
        Queue ingress = broker.locateQueue(INGRESS);
        AddressSettings settings = broker.getAddressSettingsRepository().getMatch(INGRESS);
        ingress.pause();
        long queuedReplay;
        long refusedReplay;
        try {
            // one message fills the address; the broker refuses the next one (Artemis address-full-policy FAIL)
            AddressSettings full = new AddressSettings().setMaxSizeBytes(1L)
                    .setAddressFullMessagePolicy(AddressFullMessagePolicy.FAIL);
            full.merge(settings);
            broker.getAddressSettingsRepository().addMatch(INGRESS, full);
            ResponseEntity<Map<String, Object>> first = analyst.exchange(replay, HttpMethod.POST, null, JSON);
            assertThat(first.getStatusCode()).isEqualTo(HttpStatus.OK);
            queuedReplay = ((Number) first.getBody().get("journalId")).longValue();

            ResponseEntity<Map<String, Object>> refused = analyst.exchange(replay, HttpMethod.POST, null, JSON);

            assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
            assertThat(String.valueOf(refused.getBody().get("error"))).contains("not queued");
            refusedReplay = ((Number) refused.getBody().get("journalId")).longValue();
        } finally {
            broker.getAddressSettingsRepository().addMatch(INGRESS, settings);
            ingress.resume();
        }

        JournalEntry row = journal.find(refusedReplay).orElseThrow();
        assertThat(row.status()).isEqualTo("error");
        assertThat(row.error()).contains("not queued");
        // the one queued before goes its way once the address takes messages again
        await().atMost(Duration.ofSeconds(30)).until(() -> journal.deliveries(queuedReplay).stream()
                .anyMatch(d -> d.destination().equals("downstream") && d.status().equals("delivered")));
    }
}
