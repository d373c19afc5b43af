package io.carebus.journal;

import static io.carebus.support.MllpClient.field;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import io.carebus.routing.DestinationRouter;
import io.carebus.support.EngineTestBase;
import io.carebus.support.MllpClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/**
 * A replay to chosen destinations: only those of the message's destinations get it again, the choice is in the
 * audit trail, and a name the engine does not know (or that the routing table does not give the message) is
 * refused before anything is replayed.
 */
class ReplayToChosenDestinationsTest extends EngineTestBase {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
    };
    private static final ParameterizedTypeReference<List<Map<String, Object>>> JSON_LIST =
            new ParameterizedTypeReference<>() {
            };

    @Autowired
    TestRestTemplate http;
    @Autowired
    JournalRepository journal;
    @Autowired
    DestinationRouter router;

    @Test
    void aReplayToOneDestinationReachesThatDestinationOnly() throws Exception {
        String controlId = "RD" + UUID.randomUUID().toString().substring(0, 12);
        long original = acceptedAndDelivered(controlId);
        Set<String> everywhere = Set.copyOf(router.destinationsFor("EHR^HOSP", "ADT", "A01"));
        assertThat(everywhere).contains("downstream").hasSizeGreaterThan(1);

        ResponseEntity<Map<String, Object>> answer = analyst().exchange(
                "/api/journal/{id}/replay?destination=downstream", HttpMethod.POST, null, JSON, original);

        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(answer.getBody()).containsEntry("destinations", List.of("downstream"));
        long toDownstream = ((Number) answer.getBody().get("journalId")).longValue();
        await().atMost(Duration.ofSeconds(20)).until(() ->
                DOWNSTREAM.controlIds().stream().filter(controlId::equals).count() == 2);
        assertThat(journal.auditTrail(original)).anySatisfy(a -> {
            assertThat(a.action()).isEqualTo("replay");
            assertThat(a.detail()).isEqualTo("new journal id " + toDownstream + ", to downstream");
        });

        // a replay to every destination after it: each destination's queue keeps one patient's messages in order,
        // so once this one is delivered everywhere the first one would have been too, had it gone there
        long toAll = ((Number) analyst().postForObject("/api/journal/{id}/replay", null, Map.class, original)
                .get("journalId")).longValue();
        await().atMost(Duration.ofSeconds(30)).until(() -> deliveredTo(toAll).equals(everywhere));
        assertThat(deliveredTo(toDownstream)).containsExactly("downstream");
        assertThat(journal.find(toDownstream).orElseThrow().status()).isEqualTo("delivered");
    }

    @Test
    void unknownDisabledOrUnroutedDestinationsAreRefusedBeforeAnythingIsReplayed() throws Exception {
        String controlId = "RU" + UUID.randomUUID().toString().substring(0, 12);
        long original = acceptedAndDelivered(controlId);

        ResponseEntity<Map<String, Object>> unknown = analyst().exchange(
                "/api/journal/{id}/replay?destination=downstream&destination=nowhere&destination=elsewhere",
                HttpMethod.POST, null, JSON, original);
        assertThat(unknown.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat((String) unknown.getBody().get("error")).contains("nowhere, elsewhere").doesNotContain("downstream");

        // lab-feed exists, but the routing table sends it only LABROUTE's messages
        ResponseEntity<Map<String, Object>> unrouted = analyst().exchange(
                "/api/journal/{id}/replay?destination=lab-feed", HttpMethod.POST, null, JSON, original);
        assertThat(unrouted.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
        assertThat((String) unrouted.getBody().get("error")).contains("not routed to lab-feed");

        ResponseEntity<Map<String, Object>> many = analyst().exchange("/api/journal/replay", HttpMethod.POST,
                new HttpEntity<>(Map.of("ids", List.of(original), "destinations", List.of("nowhere"))), JSON);
        assertThat(many.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat((String) many.getBody().get("error")).contains("nowhere");

        assertThat(replaysOf(controlId)).isEmpty();

        ResponseEntity<List<Map<String, Object>>> chosen = analyst().exchange("/api/journal/replay", HttpMethod.POST,
                new HttpEntity<>(Map.of("ids", List.of(original), "destinations", List.of("downstream"))), JSON_LIST);
        assertThat(chosen.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(chosen.getBody()).singleElement()
                .satisfies(row -> assertThat(row).containsEntry("destinations", List.of("downstream")));
        await().atMost(Duration.ofSeconds(20)).until(() ->
                DOWNSTREAM.controlIds().stream().filter(controlId::equals).count() == 2);
    }

    private long acceptedAndDelivered(String controlId) throws Exception {
        try (MllpClient client = new MllpClient(MLLP_PORT)) {
            assertThat(field(client.send(adt(controlId, "MRN-" + controlId)), "MSA", 1)).isEqualTo("AA");
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> DOWNSTREAM.controlIds().contains(controlId));
        return journal.search(new JournalSearch(null, null, null, controlId, null, null, null, null, 10)).get(0).id();
    }

    private List<JournalEntry> replaysOf(String controlId) {
        return journal.search(new JournalSearch(null, null, null, controlId, null, null, null, null, 10)).stream()
                .filter(e -> e.replayOf() != null).toList();
    }

    private Set<String> deliveredTo(long journalId) {
        return journal.deliveries(journalId).stream().filter(d -> d.status().equals("delivered"))
                .map(JournalRepository.Delivery::destination).collect(Collectors.toSet());
    }

    private TestRestTemplate analyst() {
        return http.withBasicAuth("analyst", ANALYST_PASSWORD);
    }
}
